import type { SummaryResponse } from '../../../src/views/web/api-types.js';
import { formatInt, formatPercent, formatUsd, formatUsdExact, KIND_LABELS } from '../format.js';
import { Section, Stat } from '../parts.js';

export function Overview(props: { summary: SummaryResponse }) {
  const s = props.summary;
  const kinds = (['input', 'output', 'cacheRead', 'cacheCreation'] as const)
    .map((k) => `${KIND_LABELS[k]} ${formatInt(s.tokens[k])}`)
    .join(' · ');
  return (
    <Section id="overview" title="Overview">
      <div class="stats">
        <Stat
          label="Total tokens"
          value={formatInt(s.tokens.total)}
          sub={kinds}
          testId="total-tokens"
        />
        <Stat
          label="Cost in range"
          value={formatUsd(s.costNanos)}
          exact={formatUsdExact(s.costNanos)}
          sub={`${formatInt(s.responses)} responses`}
          testId="total-cost"
        />
        <Stat label="Sessions" value={formatInt(s.sessions)} testId="sessions" />
        <Stat
          label="Cost today"
          value={formatUsd(s.today.costNanos)}
          exact={formatUsdExact(s.today.costNanos)}
          sub={`${formatInt(s.today.tokens)} tokens`}
          testId="cost-today"
        />
        <Stat
          label="Cost this week"
          value={formatUsd(s.week.costNanos)}
          exact={formatUsdExact(s.week.costNanos)}
          sub={`${formatInt(s.week.tokens)} tokens, since Monday`}
          testId="cost-week"
        />
        <Stat
          label="Cache efficiency"
          value={formatPercent(s.cacheEfficiency)}
          sub="cache reads / all input"
          testId="cache-efficiency"
        />
        <Stat
          label="Burn rate, last hour"
          value={`${formatUsd(s.burnRate.lastHourNanosPerHour)}/h`}
          exact={formatUsdExact(s.burnRate.lastHourNanosPerHour)}
          testId="burn-hour"
        />
        <Stat
          label="Burn rate, 5-hour block"
          value={
            s.burnRate.blockNanosPerHour === null
              ? 'no active block'
              : `${formatUsd(s.burnRate.blockNanosPerHour)}/h`
          }
          sub="all projects"
          testId="burn-block"
        />
      </div>
    </Section>
  );
}
