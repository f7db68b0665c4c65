import type { Db } from '../../store/open-store.js';
import { type BlocksJson, blockReport, blocksJson, blocksTable } from './block-report.js';
import {
  type DailyJson,
  type MonthlyJson,
  periodJson,
  periodReport,
  periodTable,
  type WeeklyJson,
} from './period-report.js';
import { type ProjectsJson, projectJson, projectReport, projectTable } from './project-report.js';
import type { ReportName, ReportOptions } from './report-options.js';
import { type SessionsJson, sessionJson, sessionReport, sessionTable } from './session-report.js';
import type { TableStyle } from './text-table.js';

export type ReportJson =
  | DailyJson
  | WeeklyJson
  | MonthlyJson
  | SessionsJson
  | BlocksJson
  | ProjectsJson;

/** A report read from the store, ready to print either way. */
export interface BuiltReport {
  json(): ReportJson;
  table(style: TableStyle): string;
}

export function buildReport(db: Db, name: ReportName, options: ReportOptions): BuiltReport {
  switch (name) {
    case 'daily':
    case 'weekly':
    case 'monthly': {
      const r = periodReport(db, options, name);
      return { json: () => periodJson(r), table: (style) => periodTable(r, style) };
    }
    case 'session': {
      const r = sessionReport(db, options);
      return { json: () => sessionJson(r), table: (style) => sessionTable(r, style) };
    }
    case 'projects': {
      const r = projectReport(db, options);
      return { json: () => projectJson(r), table: (style) => projectTable(r, style) };
    }
    case 'blocks': {
      const r = blockReport(db, options);
      return { json: () => blocksJson(r), table: (style) => blocksTable(r, style) };
    }
  }
}
