import type { BudgetResponse, SummaryResponse } from '../../../src/views/web/api-types.js';
import { formatDate, formatInt, formatPercent, formatUsd, formatUsdExact } from '../format.js';
import { Meter, Notes, Panel, Section, Stat } from '../parts.js';

export function BudgetHealth(props: { summary: SummaryResponse; budget: BudgetResponse }) {
  const { summary: s, budget: b } = props;
  const used = b.usedFraction ?? 0;
  const projectedFraction = b.budgetNanos ? b.projectedNanos / b.budgetNanos : 0;
  const tone = used >= 1 ? 'over' : projectedFraction > 1 ? 'warn' : 'ok';
  return (
    <Section id="budget" title="Budget & Health">
      <div class="panels">
        <Panel
          title={`Monthly budget (${formatDate(b.monthStart, b.timezone)} – ${formatDate(b.monthEnd - 1, b.timezone)}, all projects)`}
        >
          {b.budgetNanos === null ? (
            <p class="empty" data-testid="no-budget">
              No monthly budget is set. Start the server with <code>ccmon serve --budget USD</code>{' '}
              to see spend against it.
            </p>
          ) : (
            <Meter
              label="Monthly budget used"
              fraction={used}
              text={`${formatPercent(used)} of ${formatUsd(b.budgetNanos)}`}
              tone={tone}
            />
          )}
          <div class="stats">
            <Stat
              label="Spent this month"
              value={formatUsd(b.spentNanos)}
              exact={formatUsdExact(b.spentNanos)}
              testId="month-spent"
            />
            {b.budgetNanos !== null ? (
              <Stat
                label="Remaining"
                value={formatUsd(b.remainingNanos ?? 0)}
                sub={`of ${formatUsd(b.budgetNanos)} (${formatPercent(used)} used)`}
                testId="budget-remaining"
              />
            ) : null}
            <Stat
              label="Projected month end"
              value={formatUsd(b.projectedNanos)}
              sub="at this month's pace"
              testId="month-projected"
            />
          </div>
        </Panel>
        <Panel title="Responses">
          <div class="stats">
            <Stat
              label="Success rate"
              value={formatPercent(s.status.successRate)}
              sub={`${formatInt(s.status.success)} of ${formatInt(s.responses)}`}
              testId="success-rate"
            />
            <Stat label="API errors" value={formatInt(s.status.errors)} testId="api-errors" />
            <Stat
              label="Truncated"
              value={formatInt(s.status.truncated)}
              sub="stopped at max tokens"
              testId="truncated"
            />
          </div>
          <Notes notes={s.notes} />
        </Panel>
      </div>
    </Section>
  );
}
