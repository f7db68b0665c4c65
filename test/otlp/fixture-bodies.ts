import { readFileSync } from 'node:fs';
import type { Signal } from '../../src/sources/otlp/index.js';
import { NEW_RUNS } from '../helpers/truth.js';

/** One OTLP body exactly as Claude Code sent it, from a fixture run's otlp/index.jsonl. */
export interface FixtureBody {
  file: string;
  signal: Signal;
  transport: 'http/json' | 'http/protobuf' | 'grpc';
  bytes: Buffer;
  /** The body in OTLP/JSON shape: the .json itself, or the .pb.json beside a .pb. */
  json: unknown;
}

interface IndexLine {
  path: string;
  file: string;
  contentType?: string;
}

function signalOfPath(path: string): Signal {
  if (path.includes('metrics')) return 'metrics';
  if (path.includes('logs')) return 'logs';
  return 'traces';
}

/** The bodies of `run`, a folder of `runs` (the 2.1.330 fixtures unless told). */
export function fixtureBodies(run: string, runs = NEW_RUNS): FixtureBody[] {
  const dir = `${runs}${run}/otlp/`;
  return readFileSync(`${dir}index.jsonl`, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const entry: IndexLine = JSON.parse(line);
      const bytes = readFileSync(dir + entry.file);
      const isJson = entry.file.endsWith('.json');
      return {
        file: `${run}/${entry.file}`,
        signal: signalOfPath(entry.path),
        transport: isJson ? 'http/json' : entry.contentType ? 'http/protobuf' : 'grpc',
        bytes,
        json: JSON.parse(
          isJson ? bytes.toString('utf8') : readFileSync(`${dir + entry.file}.json`, 'utf8'),
        ),
      };
    });
}

export const RUNS_2_1_330 = [
  'json-tools',
  'pb-tools',
  'grpc-tools',
  'json-agent',
  'json-cumulative-slow',
  'json-noperm',
  'tui-json',
];
