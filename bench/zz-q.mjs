const { openStore } = await import('../dist/store/open-store.js');
const { usageRows } = await import('../dist/store/usage-queries.js');
const db = openStore('/tmp/ys/dash.db');
const now = Date.now();
const f = { view: 'both', mode: 'auto', fromMs: now - 90 * 86400000, toMs: now };
for (let i = 0; i < 5; i++) {
  let t = performance.now();
  const r = usageRows(db, f, { model: true, bucketMs: 86400000, bucketOffsetMs: 0 });
  console.log('rows', r.length, (performance.now() - t).toFixed(1));
}
console.log(db.prepare("select count(*) from usage_hours where bucket >= ?").get(now - 90 * 86400000));
console.log(db.prepare("select count(*) from usage_quarters where bucket >= ?").get(now - 90 * 86400000));
