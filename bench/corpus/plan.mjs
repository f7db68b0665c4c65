// Decides which files a corpus holds: projects, sessions, their sizes, generations,
// subagents and --continue copies. Pure: the same random state gives the same plan.

import { MODELS } from './responses.mjs';

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;

const MIXES = {
  realistic: {
    huge: [0.22, 0.12, 0.07],
    session: [200 * KB, 1.5, 5 * KB, 40 * MB],
    subagents: 0.25,
  },
  'assistant-heavy': {
    huge: [0.08, 0.05],
    session: [1 * MB, 1.2, 20 * KB, 40 * MB],
    subagents: 0.2,
  },
};

const PROJECT_NAMES = [
  'api-server',
  'web-app',
  'infra',
  'ml-pipeline',
  'docs',
  'mobile',
  'cli-tool',
  'data.warehouse',
  'my_site',
  'payments',
  'auth-service',
  'dotfiles',
  'game-engine',
  'résumé-builder',
  'kernel-patches',
];

function projectCwds(random, count) {
  const cwds = [];
  for (let i = 0; i < count; i++) {
    const name = `${PROJECT_NAMES[i % PROJECT_NAMES.length]}${i >= PROJECT_NAMES.length ? `-${i}` : ''}`;
    cwds.push(
      random.chance(0.8)
        ? `/home/dev/projects/${name}`
        : `/home/dev/work/client_${i}/${name}/packages/core`,
    );
  }
  return cwds;
}

/** Claude Code's folder name for a cwd: every character outside [A-Za-z0-9] becomes '-'. */
export const encodeCwd = (cwd) => cwd.replace(/[^a-zA-Z0-9]/g, '-');

function pickModel(random, version) {
  if (version.startsWith('1.0'))
    return random.chance(0.85) ? 'claude-sonnet-4-20250514' : 'claude-haiku-4-5-20251001';
  return random.weighted([
    [MODELS[0], 50],
    [MODELS[1], 20],
    [MODELS[2], 10],
    [MODELS[3], 20],
  ]);
}

function planSession(random, cwd, version, target, mix) {
  const session = {
    version,
    cwd,
    sessionId: random.uuid(),
    model: pickModel(random, version),
    startMs: YEAR_START + Math.floor(random.next() * YEAR_MS * 0.97),
    target,
    malformed: random.chance(0.05) ? random.int(1, 2) : 0,
    cutLastLine: random.chance(0.02),
    subagents: [],
    continueCopy: null,
  };
  if (version === '2.1.330' && random.chance(mix.subagents)) {
    for (let i = random.int(1, 4); i > 0; i--) {
      const agentId = `a${random.hex(16)}`;
      session.subagents.push({
        path: `${session.sessionId}/subagents/agent-${agentId}.jsonl`,
        agentId,
        attributionAgent: random.pick(['general-purpose', 'Explore', 'Plan']),
        model: random.chance(0.5) ? 'claude-haiku-4-5-20251001' : session.model,
        target: random.logNormal(150 * KB, 1, 10 * KB, 5 * MB),
      });
    }
  }
  if (version === '2.0.50' && random.chance(0.3)) {
    for (let i = random.int(1, 3); i > 0; i--) {
      const agentId = random.hex(8);
      session.subagents.push({
        path: `agent-${agentId}.jsonl`,
        agentId,
        model: 'claude-haiku-4-5-20251001',
        target: random.logNormal(30 * KB, 1, 2 * KB, 1 * MB),
      });
    }
  }
  if (version.startsWith('1.0') && random.chance(0.4)) {
    session.continueCopy = {
      sessionId: random.uuid(),
      extra: random.logNormal(50 * KB, 1, 5 * KB, 1 * MB),
    };
  }
  return session;
}

const plannedBytes = (s) =>
  s.target +
  s.subagents.reduce((n, a) => n + a.target, 0) +
  (s.continueCopy ? s.target + s.continueCopy.extra : 0);

/** Returns the sessions to write for a mix ('realistic' | 'assistant-heavy' | 'single-file'). */
export function planCorpus(random, mixName, totalBytes) {
  if (mixName === 'single-file') {
    const s = planSession(random, '/home/dev/projects/monorepo', '2.1.330', totalBytes, {
      subagents: 0,
    });
    return [{ ...s, model: MODELS[0], malformed: 2, cutLastLine: false, continueCopy: null }];
  }
  const mix = MIXES[mixName];
  const cwds = projectCwds(
    random,
    Math.min(60, Math.max(4, Math.round(40 * Math.sqrt(totalBytes / GB)))),
  );
  const sessions = [];
  let left = totalBytes;
  for (const fraction of mix.huge) {
    const s = planSession(random, random.pick(cwds), '2.1.330', Math.round(totalBytes * fraction), {
      subagents: 0,
    });
    sessions.push(s);
    left -= s.target;
  }
  while (left > 0) {
    const version = random.weighted([
      ['2.1.330', 70],
      ['2.0.50', 15],
      ['1.0.70', 10],
      ['1.0.5', 5],
    ]);
    const cap = version === '2.1.330' ? mix.session[3] : 3 * MB;
    const target = Math.min(
      left,
      random.logNormal(mix.session[0], mix.session[1], mix.session[2], cap),
    );
    const s = planSession(random, random.pick(cwds), version, target, mix);
    sessions.push(s);
    left -= plannedBytes(s);
  }
  return sessions;
}
