import type { ComponentChildren } from 'preact';

export function Section(props: {
  id: string;
  title: string;
  children: ComponentChildren;
  note?: string;
}) {
  return (
    <section id={props.id} class="section" aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.note ? <p class="section-note">{props.note}</p> : null}
      {props.children}
    </section>
  );
}

export function Panel(props: { title: string; children: ComponentChildren; wide?: boolean }) {
  return (
    <div class={props.wide ? 'panel wide' : 'panel'}>
      <h3>{props.title}</h3>
      {props.children}
    </div>
  );
}

/** One figure: a label, the value, and the exact value on hover / for screen readers. */
export function Stat(props: {
  label: string;
  value: string;
  exact?: string;
  sub?: string;
  testId: string;
}) {
  return (
    <div class="stat">
      <div class="stat-label">{props.label}</div>
      <div class="stat-value" data-testid={props.testId} title={props.exact}>
        {props.value}
      </div>
      {props.sub ? <div class="stat-sub">{props.sub}</div> : null}
    </div>
  );
}

export function Notes(props: { notes: string[] }) {
  if (props.notes.length === 0) return null;
  return (
    <ul class="notes" data-testid="notes">
      {props.notes.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

/** A horizontal bar for shares and gauges: a native meter, so assistive tech reads its value. */
export function Meter(props: {
  label: string;
  fraction: number;
  text: string;
  tone?: 'ok' | 'warn' | 'over';
  color?: string;
}) {
  return (
    <meter
      class={`meter ${props.tone ?? 'ok'}`}
      min={0}
      max={1}
      value={Math.max(0, Math.min(1, props.fraction))}
      aria-label={props.label}
      aria-valuetext={props.text}
      title={props.text}
      style={props.color ? { '--meter-color': props.color } : undefined}
    >
      {props.text}
    </meter>
  );
}
