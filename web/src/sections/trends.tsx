import type { TimeseriesResponse } from '../../../src/views/web/api-types.js';
import { Chart } from '../chart.js';
import {
  formatCompact,
  formatInt,
  formatUsdCompact,
  formatUsdExact,
  KIND_LABELS,
  shortModel,
} from '../format.js';
import { Panel, Section } from '../parts.js';
import type { ModelColors } from '../theme.js';

export function Trends(props: {
  tokensByKind: TimeseriesResponse;
  costByModel: TimeseriesResponse;
  colors: ModelColors;
}) {
  const { tokensByKind: k, costByModel: m } = props;
  return (
    <Section id="trends" title="Token & Cost Trends">
      <div class="panels">
        <Panel title="Tokens over time, by kind" wide>
          <Chart
            source={k}
            title="Tokens over time by kind"
            x={k.buckets}
            series={k.series.map((s) => ({ label: KIND_LABELS[s.key] ?? s.key, values: s.tokens }))}
            kind="line"
            bucket={k.bucket}
            timezone={k.timezone}
            format={formatInt}
            axisFormat={formatCompact}
          />
        </Panel>
        <Panel title="Cost over time, by model" wide>
          <Chart
            source={m}
            title="Cost over time by model"
            x={m.buckets}
            series={m.series.map((s) => ({
              label: shortModel(s.label),
              values: s.costNanos ?? [],
              color: props.colors(s.key),
            }))}
            kind="line"
            bucket={m.bucket}
            timezone={m.timezone}
            format={formatUsdExact}
            axisFormat={formatUsdCompact}
          />
        </Panel>
      </div>
    </Section>
  );
}

export function DailyCost(props: { dailyCost: TimeseriesResponse; colors: ModelColors }) {
  const d = props.dailyCost;
  return (
    <Section id="daily" title="Daily Cost">
      <Panel title="Cost per day, stacked by model" wide>
        <Chart
          source={d}
          title="Daily cost by model"
          x={d.buckets}
          series={d.series.map((s) => ({
            label: shortModel(s.label),
            values: s.costNanos ?? [],
            color: props.colors(s.key),
          }))}
          kind="stacked"
          bucket="day"
          timezone={d.timezone}
          format={formatUsdExact}
          axisFormat={formatUsdCompact}
        />
      </Panel>
    </Section>
  );
}
