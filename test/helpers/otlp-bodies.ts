import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FixtureBody {
  file: string;
  signal: 'metrics' | 'logs';
  /** The OTLP/JSON form: the JSON body itself, or the `.pb.json` decoding of a protobuf body. */
  json: unknown;
}

/** A run's OTLP bodies, in arrival order, in their OTLP/JSON form. */
export function otlpBodiesOf(runDir: string): FixtureBody[] {
  const dir = join(runDir, 'otlp');
  const index = readFileSync(join(dir, 'index.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { file: string; path: string });
  const files = new Set(readdirSync(dir));
  return index.map(({ file, path }) => {
    const jsonFile = file.endsWith('.pb') && files.has(`${file}.json`) ? `${file}.json` : file;
    return {
      file,
      signal: path.endsWith('/v1/logs') ? 'logs' : 'metrics',
      json: JSON.parse(readFileSync(join(dir, jsonFile), 'utf8')),
    };
  });
}
