import type {
  MessagesResponse,
  ModelsResponse,
  ToolsResponse,
} from '../../../src/views/web/api-types.js';
import { formatInt, formatPercent, formatUsd, formatUsdExact, shortModel } from '../format.js';
import { Empty, Meter, Panel, Section } from '../parts.js';
import type { ModelColors } from '../theme.js';

export function ModelsTools(props: {
  models: ModelsResponse;
  tools: ToolsResponse;
  messages: MessagesResponse;
  colors: ModelColors;
}) {
  const { models, tools, messages } = props;
  const allTokens = models.models.reduce((a, m) => a + m.tokens.total, 0);
  const allMessages = messages.byRole.reduce((a, r) => a + r.count, 0);
  return (
    <Section id="models" title="Model & Tool Analytics">
      <div class="panels">
        <Panel title="Token distribution by model">
          {models.models.length === 0 ? (
            <Empty>No responses in this range.</Empty>
          ) : (
            <ul class="bars" data-testid="model-distribution">
              {models.models.map((m) => {
                const share = allTokens > 0 ? m.tokens.total / allTokens : 0;
                return (
                  <li key={m.model}>
                    <div class="bar-head">
                      <span class="swatch" style={{ background: props.colors(m.model) }} />
                      <span class="bar-label" title={m.model}>
                        {shortModel(m.model)}
                      </span>
                      <span class="bar-value">
                        {formatInt(m.tokens.total)} tokens · {formatPercent(share)} ·{' '}
                        <span title={formatUsdExact(m.costNanos)}>{formatUsd(m.costNanos)}</span>
                      </span>
                    </div>
                    <Meter
                      label={`${m.model} share of tokens`}
                      fraction={share}
                      text={formatPercent(share)}
                      color={props.colors(m.model)}
                    />
                    {m.unpricedResponses > 0 ? (
                      <p class="note-inline">
                        No price for this model: its tokens are unpriced, not $0.
                      </p>
                    ) : null}
                    {m.understated > 0 ? (
                      <p class="note-inline">
                        {formatInt(m.understated)} responses with a placeholder output count
                        (understated).
                      </p>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Panel>
        <Panel title="Tools used">
          {tools.tools.length === 0 ? (
            <Empty>No tool calls in this range.</Empty>
          ) : (
            <div class="table-wrap">
              <table class="data" data-testid="tools-table">
                <thead>
                  <tr>
                    <th scope="col">Tool</th>
                    <th scope="col" class="num">
                      Calls
                    </th>
                    <th scope="col" class="num">
                      Rejected
                    </th>
                    <th scope="col" class="num">
                      Failed
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {tools.tools.map((t) => (
                    <tr key={t.name}>
                      <th scope="row">{t.name}</th>
                      <td class="num">{formatInt(t.count)}</td>
                      <td class="num">{formatInt(t.rejected)}</td>
                      <td class="num">{formatInt(t.failed)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
        <Panel title="Message types">
          {allMessages === 0 ? (
            <Empty>No messages in this range.</Empty>
          ) : (
            <ul class="bars" data-testid="message-types">
              {messages.byRole.map((r) => (
                <li key={r.role}>
                  <div class="bar-head">
                    <span class="bar-label">
                      {r.role === 'user'
                        ? 'User (prompts and tool results)'
                        : 'Assistant (API responses)'}
                    </span>
                    <span class="bar-value">{formatInt(r.count)}</span>
                  </div>
                  <Meter
                    label={`${r.role} messages`}
                    fraction={r.count / allMessages}
                    text={formatInt(r.count)}
                  />
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>
    </Section>
  );
}
