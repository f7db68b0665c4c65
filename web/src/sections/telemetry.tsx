import type { TelemetryResponse } from '../../../src/views/web/api-types.js';
import {
  formatInt,
  formatMs,
  formatPercent,
  formatSeconds,
  formatUsd,
  formatUsdExact,
} from '../format.js';
import { Empty, Panel, Section, Stat } from '../parts.js';

/** Figures only Claude Code's OpenTelemetry has; without it, say how to turn it on. */
export function Telemetry(props: { telemetry: TelemetryResponse }) {
  const t = props.telemetry;
  if (!t.available) {
    return (
      <Section id="telemetry" title="OpenTelemetry">
        <div class="panel wide no-data" data-testid="telemetry-off">
          <p>{t.note}</p>
          <p>
            Run <code>ccmon setup</code>, then restart Claude Code.
          </p>
        </div>
      </Section>
    );
  }
  const decisions = t.editDecisions.accept + t.editDecisions.reject;
  const l = t.apiLatency;
  return (
    <Section id="telemetry" title="OpenTelemetry">
      {t.note ? <p class="section-note">{t.note}</p> : null}
      <div class="panels">
        <Panel title="Code and activity">
          <div class="stats">
            <Stat label="Lines added" value={formatInt(t.linesAdded)} testId="lines-added" />
            <Stat label="Lines removed" value={formatInt(t.linesRemoved)} testId="lines-removed" />
            <Stat label="Commits" value={formatInt(t.commits)} testId="commits" />
            <Stat label="Pull requests" value={formatInt(t.pullRequests)} testId="pull-requests" />
            <Stat
              label="Edit decisions"
              value={`${formatInt(t.editDecisions.accept)} accepted · ${formatInt(t.editDecisions.reject)} rejected`}
              sub={
                decisions > 0
                  ? `${formatPercent(t.editDecisions.accept / decisions)} accepted`
                  : undefined
              }
              testId="edit-decisions"
            />
            <Stat
              label="Active time"
              value={formatSeconds(t.activeTimeSeconds)}
              testId="active-time"
            />
          </div>
        </Panel>
        <Panel title="API latency">
          {l.count === 0 ? (
            <Empty>No api_request events in this range.</Empty>
          ) : (
            <div class="stats">
              <Stat
                label="Median"
                value={formatMs(l.p50Ms)}
                sub={`${formatInt(l.count)} requests`}
                testId="latency-p50"
              />
              <Stat label="95th percentile" value={formatMs(l.p95Ms)} testId="latency-p95" />
              <Stat label="Mean" value={formatMs(l.meanMs)} testId="latency-mean" />
              <Stat label="Slowest" value={formatMs(l.maxMs)} testId="latency-max" />
            </div>
          )}
        </Panel>
        <Panel title="Per user" wide>
          {t.users.length === 0 ? (
            <Empty>No response in this range carries a user id.</Empty>
          ) : (
            <div class="table-wrap">
              <table class="data" data-testid="users-table">
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col" class="num">
                      Cost
                    </th>
                    <th scope="col" class="num">
                      Tokens
                    </th>
                    <th scope="col" class="num">
                      Sessions
                    </th>
                    <th scope="col" class="num">
                      Prompts
                    </th>
                    <th scope="col" class="num">
                      Lines +/−
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {t.users.map((u) => (
                    <tr key={u.userId}>
                      <th scope="row">
                        <code title={u.userId}>{u.userId.slice(0, 12)}</code>
                      </th>
                      <td class="num" title={formatUsdExact(u.costNanos)}>
                        {formatUsd(u.costNanos)}
                      </td>
                      <td class="num">{formatInt(u.tokens.total)}</td>
                      <td class="num">{formatInt(u.sessions)}</td>
                      <td class="num">{formatInt(u.prompts)}</td>
                      <td class="num">
                        +{formatInt(u.linesAdded)} / −{formatInt(u.linesRemoved)}
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
