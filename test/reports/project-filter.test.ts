import { describe, expect, it } from 'vitest';
import { periodJson, periodReport } from '../../src/views/reports/period-report.js';
import { projectJson, projectReport } from '../../src/views/reports/project-report.js';
import { storeWith } from '../helpers/store.js';
import { runTruth } from '../helpers/truth.js';
import { optionsWith } from './report-options.js';

describe('--project', () => {
  // Two projects: json-tools/work (0.07045215) and json-agent/work (0.12119595).
  const { db } = storeWith([runTruth('json-tools').dir, runTruth('json-agent').dir]);

  it('the projects report has one row per project, and totals over both', () => {
    const json = projectJson(projectReport(db, optionsWith({ order: 'desc' })));
    expect(
      json.projects.map((p) => [
        p.projectName,
        p.projectPath,
        p.sessions,
        p.responses,
        p.totalCost,
      ]),
    ).toEqual([
      ['json-tools/work', '/home/dev/projects/json-tools/work', 1, 3, 0.07045215],
      ['json-agent/work', '/home/dev/projects/json-agent/work', 1, 3, 0.12119595],
    ]);
    expect(json.totals).toMatchObject({ sessions: 2, responses: 6, totalCost: 0.1916481 });
  });

  it("matches a project's name, its path, or Claude Code's folder name for it", () => {
    for (const project of [
      'json-agent/work',
      '/home/dev/projects/json-agent/work',
      '-home-dev-projects-json-agent-work',
    ]) {
      const json = periodJson(periodReport(db, optionsWith({ project }), 'daily'));
      expect(json.totals.totalCost, project).toBe(0.12119595);
    }
  });

  it('a name that matches nothing gives an empty report that lists the projects', () => {
    const json = periodJson(periodReport(db, optionsWith({ project: 'nope' }), 'daily'));
    expect(json.totals.responses).toBe(0);
    expect(json.notes).toEqual([
      'No usage found for project "nope": no project has that name or path (projects: json-agent/work, json-tools/work).',
    ]);
  });
});
