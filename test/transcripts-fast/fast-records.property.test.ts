import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordsOfLineBytes } from '../../src/sources/transcripts/fast-records.js';
import { recordsViaJsonParse } from './reference.js';

// A JSON model that can hold what JSON.parse hides: duplicate keys, member order, the spelling
// of numbers. `write` then picks, from a seed, the whitespace and the escapes of every token.
type Json = null | boolean | string | Json[] | { number: string } | { members: [string, Json][] };

const char = fc.oneof(
  { weight: 12, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom('"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '\u2028'),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  },
);
const text = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: char, maxLength: 24 }) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.string({ unit: char, maxLength: 12 }), fc.integer({ min: 2, max: 300 }))
      .map(([s, n]) => s.repeat(n)),
  },
);
const rejection = fc
  .tuple(
    fc.constantFrom(
      "The user doesn't want to proceed",
      'Claude requested permissions',
      'The user',
      '',
    ),
    text,
  )
  .map(([head, tail]) => head + tail);
const number: fc.Arbitrary<Json> = fc
  .oneof(
    fc.integer({ min: -5, max: 1e9 }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
    fc.constantFrom('-0', '0.5e+3', '1E400', '-1e-400', '12345678901234567890', '1.0', '3e0'),
  )
  .map((n) => ({ number: n }));

const { any } = fc.letrec<{ any: Json }>((tie) => ({
  any: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false),
    number,
    text,
    fc.array(tie('any'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.oneof(text, fc.constantFrom('type', 'id', 'content')), tie('any')), {
        maxLength: 4,
      })
      .map((members) => ({ members })),
  ),
}));

/**
 * An object with these members in random order: the `required` ones, some of the others,
 * some twice, and unknown ones mixed in.
 */
function object(
  members: Record<string, fc.Arbitrary<Json>>,
  required: string[] = [],
): fc.Arbitrary<Json> {
  const known = Object.entries(members).map(([k, v]) => fc.tuple(fc.constant(k), v));
  const must = known.filter((_, i) => required.includes(Object.keys(members)[i] as string));
  const member = fc.oneof(
    { weight: 6, arbitrary: fc.oneof(...known) },
    { weight: 1, arbitrary: fc.tuple(text, any) },
  );
  return fc
    .tuple(fc.tuple(...must), fc.subarray(known), fc.array(member, { maxLength: 3 }))
    .chain(([first, picked, extra]) =>
      fc.tuple(fc.constant(first), fc.tuple(...picked), fc.constant(extra)),
    )
    .map(([first, picked, extra]) => [...first, ...picked, ...extra])
    .chain((all) => fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }))
    .map((members) => ({ members }));
}

/** Mostly a value of the expected kind, sometimes anything at all. */
const mostly = (a: fc.Arbitrary<Json>) =>
  fc.oneof({ weight: 8, arbitrary: a }, { weight: 1, arbitrary: fc.oneof(text, any) });
const oneOf = (...values: string[]) => mostly(fc.constantFrom(...values));
const timestamp = oneOf('2026-01-01T00:00:00.000Z', '2025-09-14T16:49:01.893Z', 'yesterday');
const session = {
  sessionId: mostly(text),
  cwd: mostly(text),
  version: mostly(text),
  gitBranch: mostly(text),
  entrypoint: mostly(text),
  uuid: mostly(text),
  isSidechain: mostly(fc.boolean()),
};
const block = object(
  {
    type: oneOf('text', 'tool_use', 'tool_result', 'thinking'),
    id: mostly(text),
    name: mostly(text),
    tool_use_id: mostly(text),
    is_error: mostly(fc.boolean()),
    content: mostly(fc.oneof(rejection, text)),
    text: text,
    input: any,
  },
  ['type'],
);
const usage = object({
  input_tokens: mostly(number),
  output_tokens: mostly(number),
  cache_read_input_tokens: mostly(number),
  cache_creation_input_tokens: mostly(number),
  speed: oneOf('standard', 'fast'),
  cache_creation: mostly(
    object({ ephemeral_5m_input_tokens: number, ephemeral_1h_input_tokens: number }),
  ),
});
const content = mostly(fc.array(mostly(block), { maxLength: 4 }));
const assistantLine = object(
  {
    type: oneOf('assistant'),
    timestamp,
    ...session,
    requestId: mostly(text),
    agentId: mostly(text),
    isApiErrorMessage: mostly(fc.boolean()),
    costUSD: mostly(number),
    message: mostly(
      object(
        {
          id: mostly(text),
          model: mostly(text),
          stop_reason: mostly(
            fc.constantFrom(null, 'max_tokens', 'model_context_window_exceeded', 'end_turn'),
          ),
          usage: mostly(usage),
          content,
        },
        ['usage'],
      ),
    ),
  },
  ['type', 'timestamp', 'sessionId', 'message'],
);
const hunkLine = mostly(
  fc.tuple(fc.constantFrom('+', '-', ' ', ''), text).map(([head, tail]) => head + tail),
);
const userLine = object(
  {
    type: oneOf('user'),
    timestamp,
    ...session,
    toolDenialKind: mostly(text),
    permissionDecision: mostly(object({ decision: oneOf('reject', 'accept') })),
    message: mostly(object({ role: text, content }, ['content'])),
    toolUseResult: mostly(
      object({
        type: oneOf('create', 'update', 'text'),
        content: text,
        structuredPatch: mostly(
          fc.array(mostly(object({ lines: mostly(fc.array(hunkLine, { maxLength: 5 })) })), {
            maxLength: 3,
          }),
        ),
      }),
    ),
  },
  ['type', 'timestamp', 'sessionId', 'message'],
);
const otherLine = object(
  {
    type: oneOf('system', 'cost-state', 'summary', 'assistant', 'user'),
    subtype: oneOf('compact_boundary', 'turn_duration'),
    timestamp,
    ...session,
    totalCostUSD: mostly(number),
  },
  ['type'],
);
/** A tool result that counts: accepted, with a Write's content or an Edit's hunks. */
const editLine = object(
  {
    type: oneOf('user'),
    timestamp,
    ...session,
    message: mostly(
      object({
        content: mostly(
          fc.array(
            mostly(
              object({ type: oneOf('tool_result'), tool_use_id: mostly(text), content: text }, [
                'type',
                'tool_use_id',
              ]),
            ),
            { minLength: 1, maxLength: 3 },
          ),
        ),
      }),
    ),
    toolUseResult: mostly(
      object(
        {
          type: oneOf('create', 'update'),
          content: mostly(text),
          structuredPatch: mostly(
            fc.array(mostly(object({ lines: mostly(fc.array(hunkLine)) }, ['lines'])), {
              maxLength: 3,
            }),
          ),
        },
        ['type'],
      ),
    ),
  },
  ['type', 'timestamp', 'sessionId', 'message', 'toolUseResult'],
);
const line = fc.oneof(assistantLine, userLine, editLine, otherLine);

/** Seeded choices, so a failing case replays (mulberry32). */
function randomFrom(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BLANKS = ['', '', '', '', ' ', '\t', '\r', ' \r\t ', '\n'];
const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
};

function write(value: Json, seed: number): string {
  const random = randomFrom(seed);
  const blank = () => BLANKS[Math.floor(random() * BLANKS.length)] as string;
  const hex = (code: number) => {
    const digits = code.toString(16).padStart(4, '0');
    return `\\u${random() < 0.5 ? digits : digits.toUpperCase()}`;
  };
  const str = (s: string) => {
    let out = '"';
    for (let i = 0; i < s.length; i++) {
      const c = s[i] as string;
      const code = s.charCodeAt(i);
      const short = SHORT_ESCAPES[c];
      if (code < 0x20 || c === '"' || c === '\\')
        out += short !== undefined && random() < 0.8 ? short : hex(code);
      else if (code >= 0xd800 && code <= 0xdfff)
        out += hex(code); // lone or paired: \u surrogates
      else if (c === '/' && random() < 0.5) out += '\\/';
      else out += random() < 0.05 ? hex(code) : c;
    }
    return `${out}"`;
  };
  const go = (v: Json): string => {
    if (v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'string') return str(v);
    if (Array.isArray(v)) return `[${v.map((e) => blank() + go(e) + blank()).join(',')}]`;
    if ('number' in v) return v.number;
    const members = v.members.map(
      ([k, e]) => `${blank()}${str(k)}${blank()}:${blank()}${go(e)}${blank()}`,
    );
    return `{${members.join(',')}}`;
  };
  return blank() + go(value) + blank();
}

/** The line at an odd offset amid garbage, so a read outside [start, end) or an aligned read shows. */
function placed(bytes: Buffer, before: Uint8Array, after: Uint8Array) {
  return {
    buf: Buffer.concat([before, bytes, after]),
    start: before.length,
    end: before.length + bytes.length,
  };
}

const garbage = fc.uint8Array({ maxLength: 7 });
const interestingByte = fc.oneof(
  fc.constantFrom(
    0x22,
    0x5c,
    0x00,
    0x09,
    0x0a,
    0x0d,
    0x1f,
    0x7b,
    0x7d,
    0x5b,
    0x5d,
    0x2c,
    0x3a,
    0x20,
    0x80,
    0xc3,
    0xe2,
    0xff,
    0x75,
    0x30,
    0x2d,
    0x65,
  ),
  fc.integer({ min: 0, max: 255 }),
);
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: interestingByte }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: interestingByte }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('glue' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap bracket' as const), at: fc.nat() }),
);

const SWAPPED: Record<number, number> = { 91: 0x7b, 123: 0x5b, 93: 0x7d, 125: 0x5d };

function mutate(
  bytes: Buffer,
  other: Buffer,
  m: { kind: string; at: number; byte?: number },
): Buffer {
  const at = m.at % (bytes.length + 1);
  const byte = Buffer.of(m.byte ?? 0);
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), byte, bytes.subarray(at)]);
    case 'replace':
      return Buffer.concat([bytes.subarray(0, at), byte, bytes.subarray(at + 1)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
    case 'swap bracket': {
      // The first bracket or brace from `at` on becomes its counterpart: '[' <-> '{'.
      const i = bytes.findIndex((b, k) => k >= at && SWAPPED[b] !== undefined);
      if (i === -1) return bytes;
      const swapped = Buffer.from(bytes);
      swapped[i] = SWAPPED[bytes[i] as number] as number;
      return swapped;
    }
    default:
      return Buffer.concat([bytes.subarray(0, at), other]);
  }
}

function agree(buf: Buffer, start: number, end: number) {
  expect(recordsOfLineBytes(buf, start, end)).toStrictEqual(recordsViaJsonParse(buf, start, end));
}

describe('recordsOfLineBytes agrees with JSON.parse then recordsOfLine', () => {
  it('on random transcript-shaped lines, however they are spelled', () => {
    const seen = { response: 0, toolResult: 0, rejected: 0, linesChanged: 0, session: 0 };
    fc.assert(
      fc.property(line, fc.integer(), garbage, garbage, (value, seed, before, after) => {
        const { buf, start, end } = placed(Buffer.from(write(value, seed)), before, after);
        const slow = recordsViaJsonParse(buf, start, end);
        expect(slow).not.toBeNull();
        if (slow?.response) seen.response++;
        if (slow?.session) seen.session++;
        for (const r of slow?.toolResults ?? []) {
          seen.toolResult++;
          if (r.outcome === 'rejected') seen.rejected++;
          if (r.linesAdded + r.linesRemoved > 0) seen.linesChanged++;
        }
        agree(buf, start, end);
      }),
      // Rejected tool results are the rarest case, about 1 line in 90 (34-44 in
      // 3,000): at 3,000 lines a run now and then saw 20 or fewer and failed
      // the check below (a CI run did).
      { numRuns: 6000 },
    );
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(20);
  });

  it('on those lines cut, glued, with bytes inserted, replaced or deleted', () => {
    fc.assert(
      fc.property(
        line,
        line,
        fc.integer(),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        garbage,
        garbage,
        (a, b, seed, mutations, before, after) => {
          const other = Buffer.from(write(b, seed + 1));
          const bytes = mutations.reduce<Buffer>(
            (acc, m) => mutate(acc, other, m),
            Buffer.from(write(a, seed)),
          );
          const { buf, start, end } = placed(bytes, before, after);
          agree(buf, start, end);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on any JSON value, and on any bytes', () => {
    fc.assert(
      fc.property(any, fc.integer(), garbage, (value, seed, before) => {
        const { buf, start, end } = placed(
          Buffer.from(write(value, seed)),
          before,
          new Uint8Array(),
        );
        agree(buf, start, end);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), garbage, (bytes, before) => {
        const { buf, start, end } = placed(
          Buffer.concat([Buffer.from('{"type":"user",'), bytes]),
          before,
          new Uint8Array(),
        );
        agree(buf, start, end);
      }),
      { numRuns: 1000 },
    );
  });
});
