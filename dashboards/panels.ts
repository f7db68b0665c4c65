// Typed constructors for the few Grafana panel kinds the dashboards use. Each
// takes what differs between panels (title, queries, unit, size) and fills in
// the rest of the plugin's options. `satisfies` checks every options object
// against the plugin's type from @grafana/schema, so a missing or misspelled
// option is a compile error rather than a key Grafana silently ignores.
import {
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeSizing,
  BarGaugeValueMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  type DataSourceRef,
  FieldColorModeId,
  type FieldConfigSource,
  GraphDrawStyle,
  LegendDisplayMode,
  type Panel,
  PercentChangeColorMode,
  type ReduceDataOptions,
  SortOrder,
  StackingMode,
  TableCellDisplayMode,
  TableCellHeight,
  type ThresholdsConfig,
  ThresholdsMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizOrientation,
} from '@grafana/schema';
import type { Options as BarGaugeOptions } from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type { Options as GaugeOptions } from '@grafana/schema/dist/esm/raw/composable/gauge/panelcfg/x/GaugePanelCfg_types.gen';
import {
  PieChartLegendValues,
  type Options as PieChartOptions,
  PieChartType,
} from '@grafana/schema/dist/esm/raw/composable/piechart/panelcfg/x/PieChartPanelCfg_types.gen';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type {
  FieldConfig as TableFieldConfig,
  Options as TableOptions,
} from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type {
  FieldConfig as TimeSeriesFieldConfig,
  Options as TimeSeriesOptions,
} from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';

/** Every panel reads the data source picked in the dashboard's `datasource` variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, not a template literal
export const datasource: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };

/** A Prometheus target as Grafana stores it in a panel (a DataQuery with Prometheus' fields). */
export type PrometheusQuery = {
  refId: string;
  datasource: DataSourceRef;
  expr: string;
  legendFormat: string;
  instant: boolean;
  range: boolean;
  format: 'time_series' | 'table';
};

/** One PromQL expression of a panel; `legend` names its series (or its table column). */
export interface Query {
  expr: string;
  legend?: string;
  /** Unit of this query's column in a table panel. */
  unit?: string;
}

export interface PanelSpec {
  title: string;
  description: string;
  queries: Query[];
  width: number;
  height: number;
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: ThresholdsConfig;
  /** Shown instead of "No data", e.g. '0' for counters that have not started yet. */
  noValue?: string;
}

const singleColor: ThresholdsConfig = {
  mode: ThresholdsMode.Absolute,
  steps: [{ color: 'green', value: null }],
};

/** Green, then orange from `warn`, red from `alert` (as in the budget alerts). */
export function warnAlertThresholds(warn: number, alert: number): ThresholdsConfig {
  return {
    mode: ThresholdsMode.Absolute,
    steps: [
      { color: 'green', value: null },
      { color: 'orange', value: warn },
      { color: 'red', value: alert },
    ],
  };
}

function prometheusQueries(
  queries: Query[],
  kind: 'instant' | 'range' | 'table',
): PrometheusQuery[] {
  return queries.map((query, index) => ({
    refId: String.fromCharCode(65 + index),
    datasource,
    expr: query.expr,
    legendFormat: query.legend ?? '__auto',
    instant: kind !== 'range',
    range: kind === 'range',
    format: kind === 'table' ? 'table' : 'time_series',
  }));
}

function fieldConfig(
  spec: PanelSpec,
  custom: Record<string, unknown>,
  colorMode: FieldColorModeId,
): FieldConfigSource {
  return {
    defaults: {
      custom,
      color: { mode: colorMode },
      thresholds: spec.thresholds ?? singleColor,
      ...(spec.unit === undefined ? {} : { unit: spec.unit }),
      ...(spec.decimals === undefined ? {} : { decimals: spec.decimals }),
      ...(spec.min === undefined ? {} : { min: spec.min }),
      ...(spec.max === undefined ? {} : { max: spec.max }),
      ...(spec.noValue === undefined ? {} : { noValue: spec.noValue }),
    },
    overrides: [],
  };
}

function basePanel(spec: PanelSpec, type: string) {
  return {
    type,
    title: spec.title,
    description: spec.description,
    datasource,
    gridPos: { x: 0, y: 0, w: spec.width, h: spec.height },
  };
}

const lastValue = { calcs: ['lastNotNull'], fields: '', values: false } satisfies ReduceDataOptions;

export function stat(spec: PanelSpec): Panel {
  return {
    ...basePanel(spec, 'stat'),
    targets: prometheusQueries(spec.queries, 'instant'),
    fieldConfig: fieldConfig(spec, {}, FieldColorModeId.Thresholds),
    options: {
      colorMode: BigValueColorMode.Value,
      graphMode: BigValueGraphMode.None,
      justifyMode: BigValueJustifyMode.Auto,
      percentChangeColorMode: PercentChangeColorMode.Standard,
      showPercentChange: false,
      textMode: BigValueTextMode.Auto,
      wideLayout: true,
      orientation: VizOrientation.Auto,
      reduceOptions: lastValue,
    } satisfies StatOptions,
  };
}

export function gauge(spec: PanelSpec): Panel {
  return {
    ...basePanel(spec, 'gauge'),
    targets: prometheusQueries(spec.queries, 'instant'),
    fieldConfig: fieldConfig(spec, {}, FieldColorModeId.Thresholds),
    options: {
      barShape: 'flat',
      barWidthFactor: 0.5,
      effects: {},
      minVizHeight: 75,
      minVizWidth: 75,
      segmentCount: 1,
      segmentSpacing: 0.3,
      shape: 'gauge',
      showThresholdLabels: false,
      showThresholdMarkers: true,
      sizing: BarGaugeSizing.Auto,
      orientation: VizOrientation.Auto,
      reduceOptions: lastValue,
    } satisfies GaugeOptions,
  };
}

/** Horizontal bars, one per series: rankings such as cost by project. */
export function barGauge(spec: PanelSpec): Panel {
  return {
    ...basePanel(spec, 'bargauge'),
    targets: prometheusQueries(spec.queries, 'instant'),
    fieldConfig: fieldConfig(spec, {}, FieldColorModeId.PaletteClassic),
    options: {
      displayMode: BarGaugeDisplayMode.Gradient,
      maxVizHeight: 300,
      minVizHeight: 16,
      minVizWidth: 8,
      namePlacement: BarGaugeNamePlacement.Auto,
      showUnfilled: true,
      sizing: BarGaugeSizing.Auto,
      valueMode: BarGaugeValueMode.Color,
      legend: {
        calcs: [],
        displayMode: LegendDisplayMode.List,
        placement: 'bottom',
        showLegend: false,
      },
      orientation: VizOrientation.Horizontal,
      reduceOptions: lastValue,
    } satisfies BarGaugeOptions,
  };
}

export function pieChart(spec: PanelSpec): Panel {
  return {
    ...basePanel(spec, 'piechart'),
    targets: prometheusQueries(spec.queries, 'instant'),
    fieldConfig: fieldConfig(spec, {}, FieldColorModeId.PaletteClassic),
    options: {
      displayLabels: [],
      legend: {
        calcs: [],
        displayMode: LegendDisplayMode.Table,
        placement: 'right',
        showLegend: true,
        values: [PieChartLegendValues.Value, PieChartLegendValues.Percent],
      },
      pieType: PieChartType.Donut,
      sort: SortOrder.Descending,
      tooltip: { mode: TooltipDisplayMode.Single, sort: SortOrder.None },
      orientation: VizOrientation.Auto,
      reduceOptions: lastValue,
    } satisfies PieChartOptions,
  };
}

export function timeSeries(
  spec: PanelSpec & { stacked?: boolean; bars?: boolean; interval?: string },
): Panel {
  const custom = {
    drawStyle: spec.bars ? GraphDrawStyle.Bars : GraphDrawStyle.Line,
    lineWidth: 1,
    fillOpacity: spec.stacked || spec.bars ? 60 : 10,
    showPoints: VisibilityMode.Never,
    spanNulls: false,
    stacking: { mode: spec.stacked ? StackingMode.Normal : StackingMode.None, group: 'A' },
  } satisfies TimeSeriesFieldConfig;
  return {
    ...basePanel(spec, 'timeseries'),
    ...(spec.interval === undefined ? {} : { interval: spec.interval }),
    targets: prometheusQueries(spec.queries, 'range'),
    fieldConfig: fieldConfig(spec, custom, FieldColorModeId.PaletteClassic),
    options: {
      legend: {
        calcs: ['sum'],
        displayMode: LegendDisplayMode.Table,
        placement: 'right',
        showLegend: true,
      },
      tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
    } satisfies TimeSeriesOptions,
  };
}

/**
 * One row per label combination, one column per query (named by its legend),
 * joined on the labels the queries share.
 */
export function table(spec: PanelSpec & { sortBy: string }): Panel {
  const targets = prometheusQueries(spec.queries, 'table');
  const single = targets.length === 1;
  const renameByName: Record<string, string> = {};
  for (const [index, query] of spec.queries.entries()) {
    const column = single ? 'Value' : `Value #${targets[index]?.refId}`;
    renameByName[column] = query.legend ?? column;
  }
  const custom = {
    align: 'auto',
    cellOptions: { type: TableCellDisplayMode.Auto },
    filterable: false,
    inspect: false,
  } satisfies TableFieldConfig;
  const config = fieldConfig(spec, custom, FieldColorModeId.Thresholds);
  config.overrides = spec.queries.flatMap((query) =>
    query.unit === undefined || query.legend === undefined
      ? []
      : [
          {
            matcher: { id: 'byName', options: query.legend },
            properties: [{ id: 'unit', value: query.unit }],
          },
        ],
  );
  return {
    ...basePanel(spec, 'table'),
    targets,
    fieldConfig: config,
    transformations: [
      ...(single ? [] : [{ id: 'merge', options: {} }]),
      {
        id: 'organize',
        options: { excludeByName: { Time: true }, renameByName, indexByName: {} },
      },
    ],
    options: {
      cellHeight: TableCellHeight.Sm,
      frameIndex: 0,
      showHeader: true,
      sortBy: [{ displayName: spec.sortBy, desc: true }],
    } satisfies TableOptions,
  };
}
