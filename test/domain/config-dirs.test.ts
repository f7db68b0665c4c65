import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectsDirs } from '../../src/sources/transcripts/config-dirs.js';
import { discoverTranscripts } from '../../src/sources/transcripts/discover.js';
import { NEW_RUNS } from '../helpers/truth.js';

describe('finding transcripts', () => {
  it('defaults to $XDG_CONFIG_HOME/claude and ~/.claude', () => {
    expect(projectsDirs([], { XDG_CONFIG_HOME: '/x' }).map((d) => d.path)).toEqual([
      '/x/claude/projects',
      join(homedir(), '.claude', 'projects'),
    ]);
    expect(projectsDirs([], {}).map((d) => d.path)[0]).toBe(
      join(homedir(), '.config', 'claude', 'projects'),
    );
  });

  it('CLAUDE_CONFIG_DIR is a comma-separated list with ~ expanded; --claude-dir overrides all', () => {
    const env = { CLAUDE_CONFIG_DIR: '~/a, /b', CLAUDE_PROJECTS_DIR: '/c/projects' };
    expect(projectsDirs([], env).map((d) => d.path)).toEqual([
      join(homedir(), 'a', 'projects'),
      '/b/projects',
      '/c/projects',
    ]);
    expect(projectsDirs(['/d'], env).map((d) => d.path)).toEqual(['/d/projects']);
  });

  it('finds subagent transcripts and names dirs that do not exist, reading the others', () => {
    const found = discoverTranscripts(
      projectsDirs([`${NEW_RUNS}json-agent`, '/nonexistent/ccmon-test']),
    );
    expect(found.files.some((f) => f.includes('/subagents/agent-'))).toBe(true);
    expect(found.files).toHaveLength(2);
    expect(found.problems).toHaveLength(1);
    expect(found.problems[0]?.message).toContain('/nonexistent/ccmon-test/projects');
    expect(found.problems[0]?.message).toContain('does not exist');
  });
});
