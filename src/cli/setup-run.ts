import { createInterface } from 'node:readline/promises';
import { createColors } from 'picocolors';
import { envLines, SETUP_TARGETS, type TelemetryTarget, telemetryEnv } from './claude-code-env.js';
import {
  backupSettings,
  type ClaudeSettings,
  type JsonObject,
  readSettings,
  SettingsError,
  settingsEnv,
  settingsText,
  userSettingsPath,
  withEnv,
  writeSettings,
} from './claude-settings.js';
import { UsageError } from './context.js';
import { DEFAULT_PORTS } from './doctor-check.js';
import {
  checkEndpoint,
  isOtlpProtocol,
  type OtlpProtocol,
  PER_SIGNAL_KEY,
} from './doctor-telemetry.js';
import { formatDiff, lineDiff } from './setup-diff.js';

type Target = (typeof SETUP_TARGETS)[number];

/** What `ccmon setup` was asked for, checked. */
export interface SetupRequest {
  target: Target;
  protocol: OtlpProtocol;
  endpoint?: string;
  authToken?: string;
  claudeDir?: string;
  print?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

/** Where setup writes and asks; a test passes its own. */
export interface SetupIo {
  out: (text: string) => void;
  /** Asks a yes/no question; absent when there is no terminal to ask on (then setup does not ask). */
  confirm?: (question: string) => Promise<boolean>;
  env: NodeJS.ProcessEnv;
  now: Date;
  color: boolean;
}

/**
 * embedded: `ccmon serve` on loopback, which stores increments (delta);
 * stack: the compose stack's collector, whose Prometheus exporter wants cumulative sums.
 */
export function setupTarget(r: SetupRequest): TelemetryTarget {
  const port = r.protocol === 'grpc' ? DEFAULT_PORTS.otlpGrpc : DEFAULT_PORTS.otlpHttp;
  const host = r.target === 'embedded' ? '127.0.0.1' : 'localhost';
  const endpoint = r.endpoint ?? `http://${host}:${port}`;
  if (!URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw new UsageError(
      `--endpoint "${endpoint}" is not an http:// or https:// URL (for example http://127.0.0.1:${port})`,
    );
  }
  const token = r.authToken?.trim();
  // A bearer token (RFC 6750 token68) needs no escaping in OTEL_EXPORTER_OTLP_HEADERS.
  if (token !== undefined && !/^[A-Za-z0-9._~+/-]+=*$/.test(token)) {
    throw new UsageError(
      '--auth-token may hold only letters, digits and . _ ~ + / - (then = padding); generate one with `openssl rand -hex 24`',
    );
  }
  return {
    protocol: r.protocol,
    endpoint,
    temporality: r.target === 'embedded' ? 'delta' : 'cumulative',
    ...(token ? { authToken: token } : {}),
  };
}

function describe(r: SetupRequest, t: TelemetryTarget): string {
  const receiver = r.target === 'embedded' ? 'ccmon serve' : "the stack's OpenTelemetry Collector";
  return `${receiver}: OTLP ${t.protocol} to ${t.endpoint}, ${t.temporality} sums${t.authToken ? ', with a bearer token' : ''}`;
}

/** The same variables for bash/zsh, fish and PowerShell, to paste into a profile. */
export function shellLines(env: Record<string, string>, about: string): string {
  const block = (title: string, lines: string[]) => [`# ${title}`, ...lines, ''];
  return [
    `# Claude Code telemetry to ${about}`,
    '# Put these where the shell that starts Claude Code reads them, then restart Claude Code.',
    '# (`ccmon setup` without --print writes them to settings.json instead, for every shell and IDE.)',
    '',
    ...block('bash / zsh: ~/.bashrc or ~/.zshrc', envLines(env, 'bash')),
    ...block('fish: ~/.config/fish/config.fish', envLines(env, 'fish')),
    ...block('PowerShell: $PROFILE', envLines(env, 'powershell')),
  ].join('\n');
}

function nextSteps(r: SetupRequest): string {
  const run =
    r.target === 'embedded'
      ? 'Keep `ccmon serve` running to receive the telemetry'
      : 'Start the stack (deploy/start.sh, or deploy\\start.bat on Windows)';
  return [
    'Restart Claude Code: quit every running session (and IDE extension) and start it again; it reads settings.json only when it starts.',
    `${run}, then check everything with \`ccmon doctor\`.`,
    '',
  ].join('\n');
}

/** `ccmon setup`: merges the telemetry variables into settings.json's `env` block, after a backup. */
export async function runSetup(
  r: SetupRequest,
  io: SetupIo,
): Promise<{ written: boolean; path?: string; backup?: string }> {
  const target = setupTarget(r);
  const env = telemetryEnv(target);
  const about = describe(r, target);
  if (r.print) {
    io.out(shellLines(env, about));
    return { written: false };
  }

  const path = userSettingsPath(r.claudeDir, io.env);
  let file: ClaudeSettings;
  let next: JsonObject;
  try {
    file = readSettings(path);
    next = withEnv(file, env);
  } catch (error) {
    if (error instanceof SettingsError)
      throw new SettingsError(`${error.message}. Nothing was written`);
    throw error;
  }
  io.out(
    `Claude Code settings: ${path}${file.exists ? '' : ' (new file)'}\nTelemetry to ${about}\n`,
  );

  const c = createColors(io.color);
  const fit = checkEndpoint(
    { value: target.protocol, from: '--protocol' },
    { value: target.endpoint, from: '--endpoint' },
    DEFAULT_PORTS,
  );
  const warnings = fit.status === 'ok' ? [] : [`${fit.detail}; ${fit.fix}`];
  const overrides = Object.keys(settingsEnv(file)).filter((k) => PER_SIGNAL_KEY.test(k));
  if (overrides.length > 0) {
    warnings.push(
      `${overrides.join(', ')} in ${path} override this endpoint for one signal; remove them by hand if they point elsewhere`,
    );
  }
  for (const w of warnings) io.out(`${c.yellow('warning:')} ${w}\n`);

  if (JSON.stringify(next) === JSON.stringify(file.settings)) {
    io.out('\nAlready set; nothing to write.\n');
    return { written: false, path };
  }
  const text = settingsText(next, file.text);
  const diff = formatDiff(lineDiff(file.text, text), { added: c.green, removed: c.red });
  io.out(`\n${diff.join('\n')}\n\n`);
  if (r.dryRun) {
    io.out('Dry run: nothing written.\n');
    return { written: false, path };
  }
  if (!r.yes && io.confirm && !(await io.confirm(`Write these changes to ${path}?`))) {
    io.out('Nothing written.\n');
    return { written: false, path };
  }
  const backup = file.exists ? backupSettings(path, io.now) : undefined;
  writeSettings(file, text);
  io.out(
    `Wrote ${path}${backup ? `; the previous version is in ${backup}` : ''}.\n\n${nextSteps(r)}`,
  );
  return { written: true, path, backup };
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** The request as commander gives it: target and protocol not yet checked. */
export type SetupCliOptions = Omit<SetupRequest, 'target' | 'protocol'> & {
  target: string;
  protocol: string;
};

function isTarget(value: string): value is Target {
  return SETUP_TARGETS.some((t) => t === value);
}

/** `ccmon setup`'s work, loaded only when it runs. */
export async function setupAction(o: SetupCliOptions): Promise<void> {
  if (!isTarget(o.target) || !isOtlpProtocol(o.protocol)) {
    throw new UsageError(`unknown --target or --protocol`);
  }
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  await runSetup(
    {
      target: o.target,
      protocol: o.protocol,
      endpoint: o.endpoint,
      authToken: o.authToken,
      claudeDir: o.claudeDir,
      print: o.print === true,
      dryRun: o.dryRun === true,
      yes: o.yes === true,
    },
    {
      out: (text) => process.stdout.write(text),
      ...(tty ? { confirm: askOnTerminal } : {}),
      env: process.env,
      now: new Date(),
      color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    },
  );
}
