import type {
  BlockResponse,
  MessagesResponse,
  SessionsResponse,
} from '../../../src/views/web/api-types.js';
import { Chart } from '../chart.js';
import {
  formatCompact,
  formatDateTime,
  formatDuration,
  formatInt,
  formatTime,
  formatUsd,
  formatUsdExact,
} from '../format.js';
import { Empty, Meter, Panel, Section, Stat } from '../parts.js';

function BlockPanel(props: { block: BlockResponse }) {
  const b = props.block.block;
  const tz = props.block.timezone;
  if (!b) {
    return (
      <Panel title="Current 5-hour block">
        <Empty>No response in the last 24 hours, so no block is running.</Empty>
      </Panel>
    );
  }
  const elapsed = (b.end - b.start - b.timeLeftMs) / (b.end - b.start);
  return (
    <Panel title="Current 5-hour block (all projects)">
      <p class="block-when" data-testid="block-window">
        {formatDateTime(b.start, tz)} – {formatTime(b.end, tz).slice(0, 5)} ·{' '}
        {b.active
          ? `${formatDuration(b.timeLeftMs)} left`
          : `ended, last response ${formatTime(b.lastMs, tz)}`}
      </p>
      <Meter
        label="Time used in the block"
        fraction={b.active ? elapsed : 1}
        text={b.active ? `${formatDuration(b.timeLeftMs)} left` : 'ended'}
      />
      <div class="stats">
        <Stat
          label="Cost"
          value={formatUsd(b.costNanos)}
          exact={formatUsdExact(b.costNanos)}
          testId="block-cost"
        />
        <Stat
          label="Tokens"
          value={formatInt(b.tokens.total)}
          sub={`${formatInt(b.responses)} responses`}
          testId="block-tokens"
        />
        <Stat
          label="Burn rate"
          value={b.burnRateNanosPerHour === null ? '–' : `${formatUsd(b.burnRateNanosPerHour)}/h`}
          testId="block-burn"
        />
        {b.projectedCostNanos !== null ? (
          <Stat
            label="Projected by block end"
            value={formatUsd(b.projectedCostNanos)}
            sub={b.projectedTokens === null ? undefined : `${formatInt(b.projectedTokens)} tokens`}
            testId="block-projection"
          />
        ) : null}
      </div>
    </Panel>
  );
}

export function SessionsActivity(props: {
  sessions: SessionsResponse;
  messages: MessagesResponse;
  block: BlockResponse;
}) {
  const { sessions: s, messages: m } = props;
  return (
    <Section id="sessions" title="Sessions & Activity">
      <div class="panels">
        <Panel title="Sessions over time">
          <Chart
            source={s}
            title="Active sessions over time"
            x={s.buckets}
            series={[{ label: 'Sessions', values: s.activeSessions }]}
            kind="bars"
            bucket={s.bucket}
            timezone={s.timezone}
            format={formatInt}
            axisFormat={formatCompact}
            height={200}
            integer
          />
        </Panel>
        <Panel title="Messages over time">
          <Chart
            source={m}
            title="Messages over time by role"
            x={m.buckets}
            series={m.series.map((r) => ({ label: r.role, values: r.counts }))}
            kind="line"
            bucket={m.bucket}
            timezone={m.timezone}
            format={formatInt}
            axisFormat={formatCompact}
            height={200}
            integer
          />
        </Panel>
        <BlockPanel block={props.block} />
        <Panel title={`Recent sessions (${formatInt(s.total)} in range)`} wide>
          {s.sessions.length === 0 ? (
            <Empty>No sessions in this range.</Empty>
          ) : (
            <div class="table-wrap">
              <table class="data" data-testid="sessions-table">
                <thead>
                  <tr>
                    <th scope="col">Last activity</th>
                    <th scope="col">Project</th>
                    <th scope="col" class="num">
                      Cost
                    </th>
                    <th scope="col" class="num">
                      Tokens
                    </th>
                    <th scope="col" class="num">
                      Responses
                    </th>
                    <th scope="col">Session</th>
                  </tr>
                </thead>
                <tbody>
                  {s.sessions.slice(0, 10).map((row) => (
                    <tr key={row.id}>
                      <td>{formatDateTime(row.lastMs, s.timezone)}</td>
                      <td>{row.project ?? '–'}</td>
                      <td class="num" title={formatUsdExact(row.costNanos)}>
                        {formatUsd(row.costNanos)}
                      </td>
                      <td class="num">{formatInt(row.tokens.total)}</td>
                      <td class="num">{formatInt(row.responses)}</td>
                      <td>
                        <code title={row.id}>{row.id.slice(0, 8)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </Section>
  );
}
