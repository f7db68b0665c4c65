import { spawn } from 'node:child_process';
const serve = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/sprof', 'dist/cli/main.js', 'serve', '--db', '/tmp/ys/dash.db', '--no-otlp', '--port', '3298', '--claude-dir', '/tmp/ys/emptyclaude'], { stdio: 'ignore' });
for (let i = 0; i < 100; i++) { try { await fetch('http://127.0.0.1:3298/health'); break; } catch { await new Promise(r => setTimeout(r, 200)); } }
for (let i = 0; i < 40; i++) { const r = await fetch(`http://127.0.0.1:3298/api/${process.env.EP}`); await r.text(); }
serve.kill('SIGINT');
await new Promise((r) => serve.on('exit', r));
