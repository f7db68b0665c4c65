import { spawn } from 'node:child_process';
const serve = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--db', '/tmp/ys/dash.db', '--no-otlp', '--port', '3298', '--claude-dir', '/tmp/ys/emptyclaude'], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) { try { await fetch('http://127.0.0.1:3298/health'); break; } catch { await new Promise(r => setTimeout(r, 200)); } }
const q = process.env.Q ?? 'range=7d';
const b = process.env.B ?? 'hour';
const eps = ['summary', `timeseries?groupBy=kind&bucket=${b}`, `timeseries?groupBy=model&bucket=${b}`, 'timeseries?groupBy=model&bucket=day', 'models', 'tools', 'messages', 'sessions?limit=50', 'projects?limit=50', 'block', 'budget', 'telemetry', `dashboard?bucket=${b}&limit=50`];
for (const ep of eps) {
  const ts = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await fetch(`http://127.0.0.1:3298/api/${ep}${ep.includes('?') ? '&' : '?'}${q}`); await r.text(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b); console.log(ep.padEnd(40), ts[2].toFixed(1));
}
serve.kill();
