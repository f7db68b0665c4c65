// Template variables shared by the dashboards.
import { VariableHide, type VariableModel, VariableRefresh, VariableSort } from '@grafana/schema';
import { datasource } from './panels.js';

/** Lets an imported dashboard point at any Prometheus; starts on the stack's own. */
export function datasourceVariable(): VariableModel {
  return {
    type: 'datasource',
    name: 'datasource',
    label: 'Data source',
    query: 'prometheus',
    current: { text: 'Prometheus', value: 'prometheus' },
    hide: VariableHide.dontHide,
    refresh: VariableRefresh.onDashboardLoad,
    regex: '',
    options: [],
  };
}

/**
 * A multi-value label filter whose "All" is `.*`, so `label=~"$name"` also
 * keeps series that lack the label (Claude Code sends user.email only for
 * logged-in users, for example).
 */
export function labelVariable(variable: {
  name: string;
  label: string;
  /** Grafana's `label_values(series, label)` lookup that lists the choices. */
  values: string;
}): VariableModel {
  return {
    type: 'query',
    name: variable.name,
    label: variable.label,
    datasource,
    query: variable.values,
    current: { text: ['All'], value: ['$__all'] },
    hide: VariableHide.dontHide,
    refresh: VariableRefresh.onTimeRangeChanged,
    sort: VariableSort.alphabeticalAsc,
    multi: true,
    includeAll: true,
    allValue: '.*',
    regex: '',
    options: [],
  };
}
