import { spawn } from 'node:child_process';
const serve = spawn(process.execPath, ['dist/cli/main.js', 'serve', '--db', '/tmp/ys/dash.db', '--no-otlp', '--port', '3298', '--claude-dir', '/tmp/ys/emptyclaude'], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) { try { await fetch('http://127.0.0.1:3298/health'); break; } catch { await new Promise(r => setTimeout(r, 200)); } }
const out = [];
for (const q of ['range=7d&bucket=hour', 'range=90d&bucket=day', 'from=2025-12-04&to=2026-12-04&bucket=day']) {
  const ts = [];
  for (let i = 0; i < 7; i++) { const t = performance.now(); const r = await fetch(`http://127.0.0.1:3298/api/dashboard?limit=50&${q}`); await r.text(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b); out.push(ts[3].toFixed(0));
}
console.log(out.join(' '));
serve.kill();
