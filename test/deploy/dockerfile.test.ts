import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './tools.js';

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => /^[A-Z]+\s/.test(line));

describe('Dockerfile', () => {
  it('builds with npm ci and the native toolchain in a build stage, runs on node:20-slim', () => {
    const stages = instructions.filter((line) => line.startsWith('FROM '));
    expect(stages).toEqual(['FROM node:20-slim AS build', 'FROM node:20-slim']);
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/npm run build/);
    expect(dockerfile).toMatch(/apt-get install[^\n]*python3 make g\+\+/);
  });

  it('runs as a non-root user', () => {
    const users = instructions.filter((line) => line.startsWith('USER '));
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(:|\s|$)/);
  });

  it('serves on 0.0.0.0:9091 and checks /health', () => {
    expect(instructions).toContain(
      'CMD ["node", "dist/cli/main.js", "serve", "--host", "0.0.0.0", "--port", "9091"]',
    );
    expect(instructions.find((line) => line.startsWith('HEALTHCHECK '))).toContain(
      'http://127.0.0.1:9091/health',
    );
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['.git', 'node_modules', '**/.env', '*.db', 'deploy']) {
      expect(ignored).toContain(entry);
    }
  });
});
