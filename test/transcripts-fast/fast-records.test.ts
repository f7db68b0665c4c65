import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { LINE_SHAPE, recordsOfLineBytes } from '../../src/sources/transcripts/fast-records.js';
import { isObject } from '../../src/sources/transcripts/json-fields.js';
import { recordsOfLine } from '../../src/sources/transcripts/parse-record.js';
import type { Field } from '../../src/sources/transcripts/sparse-json.js';
import { tempDir } from '../helpers/store.js';
import { linesOf, recordsViaJsonParse } from './reference.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function transcriptsUnder(dir: string, inProjects = false): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return transcriptsUnder(path, inProjects || entry.name === 'projects');
    return inProjects && entry.name.endsWith('.jsonl') ? [path] : [];
  });
}

/** Lines where the two paths differ, as `where: fast vs slow`; counts the lines compared. */
function differences(files: string[]) {
  const found: string[] = [];
  let lines = 0;
  let withRecords = 0;
  for (const file of files) {
    const buf = readFileSync(file);
    linesOf(buf).forEach(([start, end], i) => {
      lines++;
      const slow = recordsViaJsonParse(buf, start, end);
      const fast = recordsOfLineBytes(buf, start, end);
      if (slow !== null && Object.keys(slow).length > 0) withRecords++;
      if (!isDeepStrictEqual(fast, slow))
        found.push(
          `${file}:${i + 1}: ${JSON.stringify(fast)}\n  JSON.parse: ${JSON.stringify(slow)}`,
        );
    });
  }
  return { found: found.slice(0, 3), lines, withRecords };
}

const fixtureFiles = transcriptsUnder(join(ROOT, 'test/fixtures'));

describe('recordsOfLineBytes gives what JSON.parse then recordsOfLine give', () => {
  it('on every line of every fixture transcript', () => {
    expect(fixtureFiles.length).toBeGreaterThanOrEqual(16);
    const { found, lines, withRecords } = differences(fixtureFiles);
    expect(found).toEqual([]);
    expect(lines).toBeGreaterThan(300);
    expect(withRecords).toBeGreaterThan(80);
  });

  describe('on every line of generated corpora', () => {
    const corpora: Record<string, string[]> = {};
    beforeAll(() => {
      for (const mix of ['realistic', 'assistant-heavy']) {
        const out = join(tempDir(), mix);
        const args = ['bench/generate-corpus.mjs', '--out', out, '--mix', mix, '--size', '5MB'];
        const run = spawnSync(process.execPath, [...args, '--seed', '7'], { cwd: ROOT });
        if (run.status !== 0) throw new Error(`generate-corpus ${mix}: ${run.stderr}`);
        corpora[mix] = transcriptsUnder(out);
      }
    });

    for (const mix of ['realistic', 'assistant-heavy']) {
      it(mix, () => {
        const { found, lines, withRecords } = differences(corpora[mix] ?? []);
        expect(found).toEqual([]);
        expect(lines).toBeGreaterThan(1000);
        expect(withRecords).toBeGreaterThan(500);
      });
    }
  });

  it('on every truncation of real lines and on real lines glued together (torn writes)', () => {
    const lines = fixtureFiles
      .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
      .filter((l) => /"type":"(assistant|user|system|cost-state)"/.test(l) && l.length < 6000);
    const sample = [
      lines.find((l) => l.includes('"tool_use"')),
      lines.find((l) => l.includes('"tool_result"') && l.includes('toolUseResult')),
      lines.find((l) => l.includes('"type":"system"')),
      lines.find((l) => l.includes('"type":"cost-state"')),
    ].map((l) => Buffer.from(l ?? ''));
    const found: string[] = [];
    const check = (buf: Buffer, what: string) => {
      const fast = recordsOfLineBytes(buf, 0, buf.length);
      if (!isDeepStrictEqual(fast, recordsViaJsonParse(buf, 0, buf.length))) found.push(what);
    };
    for (const [i, line] of sample.entries()) {
      expect(line.length).toBeGreaterThan(100);
      for (let cut = 0; cut <= line.length; cut++) check(line.subarray(0, cut), `${i} cut ${cut}`);
      for (const [j, other] of sample.entries()) {
        check(Buffer.concat([line, other]), `${i}+${j}`);
        for (let cut = 1; cut < line.length; cut += 97)
          check(Buffer.concat([line.subarray(0, cut), other]), `${i} cut ${cut}+${j}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('reads nothing beyond the line, wherever the line sits in the buffer', () => {
    const line = '{"type":"cost-state","sessionId":"s","totalCostUSD":1.5}';
    const around: [string, string][] = [
      ['', '}'],
      ['{"x":', ' "'],
      ['\n', 'e'],
      ['abc', '5}'],
    ];
    for (const [before, after] of around) {
      const buf = Buffer.from(`${before}${line.slice(0, -1)}${after}`);
      const start = Buffer.byteLength(before);
      const end = start + line.length - 1;
      expect(recordsOfLineBytes(buf, start, end)).toBeNull();
      expect(recordsOfLineBytes(Buffer.from(`${before}${line}${after}`), start, end + 1)).toEqual({
        costState: { sessionId: 's', costNanos: 1_500_000_000 },
      });
    }
  });

  it('reads only members LINE_SHAPE declares', () => {
    const declared = new Set<string>();
    const declare = (field: Field, path: string) => {
      if (field.kind === 'object')
        field.keys.names.forEach((name, i) => {
          declared.add(`${path}.${name}`);
          declare(field.fields[i] as Field, `${path}.${name}`);
        });
      if (field.kind === 'array') declare(field.of, `${path}[]`);
    };
    declare(LINE_SHAPE, '');
    const read = new Set<string>();
    const watched = (value: object, path: string): object =>
      new Proxy(value, {
        get(target, key, receiver) {
          const v: unknown = Reflect.get(target, key, receiver);
          if (typeof key === 'symbol' || key === 'length') return v;
          const at = Array.isArray(target) ? `${path}[]` : `${path}.${key}`;
          if (!Array.isArray(target)) read.add(at);
          return typeof v === 'object' && v !== null ? watched(v, at) : v;
        },
      });
    for (const file of fixtureFiles)
      for (const text of readFileSync(file, 'utf8').split('\n')) {
        let line: unknown;
        try {
          line = JSON.parse(text);
        } catch {
          continue;
        }
        if (isObject(line)) recordsOfLine(watched(line, '') as typeof line);
      }
    expect(read.size).toBeGreaterThan(20);
    expect([...read].filter((path) => !declared.has(path))).toEqual([]);
  });
});

describe('recordsOfLineBytes on hand-written lines', () => {
  const assistant = (extra: string) =>
    `{"type":"assistant","timestamp":"2026-01-01T00:00:00.000Z","sessionId":"s1","cwd":"/w",${extra}}`;
  const usage = '"usage":{"input_tokens":3,"output_tokens":5}';

  it.each([
    ['an escaped key', assistant(`"m\\u0065ssage":{"id":"m1",${usage}}`)],
    [
      'escapes and astral characters',
      assistant(`"message":{"id":"m\\"1\\\\\\ud83d\\ude00😀",${usage}}`),
    ],
    [
      'duplicate members, the last one winning',
      assistant(`"message":{"id":"a"},"message":{"id":"b",${usage},"id":"c"}`),
    ],
    [
      'whitespace between every token',
      ` \t{ "type" : "cost-state" ,\r"sessionId":"s" , "totalCostUSD" : 2e-3 } \r`,
    ],
    [
      'negative zero, exponents and huge numbers',
      assistant(
        `"message":{"id":"m","usage":{"input_tokens":-0,"output_tokens":1E400,"cache_read_input_tokens":12345678901234567890,"cache_creation_input_tokens":1.5e2}}`,
      ),
    ],
    [
      'containers where strings are expected',
      assistant(`"message":{"id":["m"],"model":{"x":1},"stop_reason":[],${usage}}`),
    ],
    [
      'a string where an object is expected',
      '{"type":"user","timestamp":"2026-01-01T00:00:00Z","sessionId":"s","message":"hi","toolUseResult":"Error: no"}',
    ],
    [
      'a rejection behind an escape',
      '{"type":"user","timestamp":"2026-01-01T00:00:00Z","sessionId":"s","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"\\u0054he user doesn\'t want to proceed with this tool use. The tool use was rejected. And more text after the prefix"}]}}',
    ],
    [
      'a rejection after 64 characters',
      `{"type":"user","timestamp":"2026-01-01T00:00:00Z","sessionId":"s","message":{"content":[{"type":"tool_result","tool_use_id":"t","content":"${'x'.repeat(70)}The user doesn't want to proceed"}]}}`,
    ],
  ])('%s', (_, text) => {
    const buf = Buffer.from(text);
    const fast = recordsOfLineBytes(buf, 0, buf.length);
    expect(fast).not.toBeNull();
    expect(fast).toStrictEqual(recordsViaJsonParse(buf, 0, buf.length));
  });

  it('counts the lines of a long Write from its content, decoded only then', () => {
    const content = `${'line with "quotes" and \\ backslash\n'.repeat(200)}last`;
    const line = JSON.stringify({
      type: 'user',
      timestamp: '2026-01-01T00:00:00Z',
      sessionId: 's',
      message: { content: [{ type: 'tool_result', tool_use_id: 't', content: 'ok' }] },
      toolUseResult: { content, type: 'create', structuredPatch: [] },
    });
    const buf = Buffer.from(line);
    expect(recordsOfLineBytes(buf, 0, buf.length)?.toolResults?.[0]?.linesAdded).toBe(201);
    expect(recordsOfLineBytes(buf, 0, buf.length)).toStrictEqual(
      recordsViaJsonParse(buf, 0, buf.length),
    );
  });

  it.each([
    ['an empty line', ''],
    ['an array', '[1,2]'],
    ['a string', '"type"'],
    ['a truncated line', assistant('"message":{"id":"m"').slice(0, -3)],
    ['two lines glued', `${assistant('"uuid":"u"').slice(0, 40)}${assistant('"uuid":"u"')}`],
    ['trailing garbage', `${assistant('"uuid":"u"')}x`],
    ['a raw tab in a string', assistant('"uuid":"a\tb"')],
    ['a raw control byte in a skipped string', assistant(`"text":"${'a'.repeat(50)}\u0001"`)],
    ['an invalid escape', assistant('"uuid":"a\\xb"')],
    ['a short \\u escape', assistant('"text":"\\u12G4"')],
    ['a trailing comma', assistant('"uuid":"u",')],
    ['a leading zero', assistant('"costUSD":01')],
    ['a bare minus', assistant('"costUSD":-')],
    ['a half literal', assistant('"isSidechain":tru')],
    ['unbalanced brackets', assistant('"x":[{"y":[1,2}]')],
    ['an array closed by a brace', assistant('"x":[1}')],
    ['brackets closed crosswise', assistant('"x":[{"y":1]}')],
    ['a byte order mark', `\ufeff${assistant('"uuid":"u"')}`],
    ['a key without a value', assistant('"uuid"')],
  ])('gives null for %s, as JSON.parse throws', (_, text) => {
    const buf = Buffer.from(text);
    expect(recordsViaJsonParse(buf, 0, buf.length)).toBeNull();
    expect(recordsOfLineBytes(buf, 0, buf.length)).toBeNull();
  });
});
