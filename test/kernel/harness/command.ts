/**
 * Running a command with a time limit. Every kernel-side step of the harness goes through
 * `runCommand`, so nothing it starts can outlive its limit.
 */
import { spawn } from 'node:child_process';
import type { CommandResult, ExecOptions } from './types.js';

export const defaultTimeoutMs = 15_000;

function environment(drop: readonly string[] | undefined): NodeJS.ProcessEnv {
  if (!drop || drop.length === 0) return process.env;
  const env = { ...process.env };
  for (const key of drop) delete env[key];
  return env;
}

/** Runs argv[0] with the rest as arguments; resolves (never rejects) when it ends or is killed. */
export function runCommand(argv: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.resolve({ argv, code: null, stdout: '', stderr: 'empty command', timedOut: false });
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: environment(options.dropEnv) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? defaultTimeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let settled = false;
    const finish = (code: number | null, extra = ''): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        argv,
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8') + extra,
        timedOut,
      });
    };
    child.on('error', (e) => finish(null, `${file}: ${e.message}`));
    child.on('close', (code) => finish(code));
    // A command that does not read its input must not make the write fail loudly.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** One line saying what ran and how it failed, for errors the harness raises. */
export function describeFailure(result: CommandResult): string {
  const how = result.timedOut ? `killed after its time limit` : `exit status ${String(result.code)}`;
  const stderr = result.stderr.trim();
  return `${result.argv.join(' ')}: ${how}${stderr ? `: ${stderr}` : ''}`;
}
