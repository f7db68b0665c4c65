// The dashboard frame both dashboards share: schema version, time settings,
// the link between them and the data source variable.
import { type Dashboard, DashboardCursorSync, type VariableModel } from '@grafana/schema';
import { layoutRows, type Row } from './layout.js';
import { datasourceVariable } from './variables.js';

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  /** Relative start of the default time range, e.g. 'now-7d'. */
  from: string;
  variables: VariableModel[];
  rows: Row[];
}

/** Tag that links the dashboards to each other in their header. */
const tag = 'claude-code';

export function dashboard(spec: DashboardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: [tag, 'ccmon'],
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: DashboardCursorSync.Crosshair,
    links: [
      {
        type: 'dashboards',
        title: 'Claude Code',
        tags: [tag],
        asDropdown: false,
        icon: 'external link',
        includeVars: false,
        keepTime: true,
        targetBlank: false,
        tooltip: '',
      },
    ],
    refresh: '1m',
    schemaVersion: 42,
    time: { from: spec.from, to: 'now' },
    timepicker: {},
    timezone: 'browser',
    templating: { list: [datasourceVariable(), ...spec.variables] },
    annotations: { list: [] },
    panels: layoutRows(spec.rows),
  };
}
