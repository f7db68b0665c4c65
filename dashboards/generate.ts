// Writes the dashboards' JSON into deploy/grafana/dashboards: npm run dashboards
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dashboardDir, dashboardFiles } from './dashboard-files.js';

const root = fileURLToPath(new URL('..', import.meta.url));
for (const file of dashboardFiles()) {
  const path = join(root, dashboardDir, file.name);
  writeFileSync(path, file.json);
  console.log(`wrote ${join(dashboardDir, file.name)}`);
}
