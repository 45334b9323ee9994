/**
 * What the report tests share: the repository's sample nodes, one trace probe per sample, and
 * a runner for the CLI that captures its output. Paths are given relative to the repository
 * (as a user in a checkout would type them), so outputs name `samples/…` files on every machine.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { repoRoot } from '../support/paths.js';

process.chdir(repoRoot);

/** Every sample node folder, by name (`iptables-current`, …). */
export const SAMPLES: readonly string[] = readdirSync(join(repoRoot, 'samples'))
  .filter((name) => statSync(join(repoRoot, 'samples', name)).isDirectory())
  .sort();

/**
 * A trace per sample that shows what the sample is about; samples not listed get a pod →
 * kube-dns probe of their family.
 */
const PROBES: Readonly<Record<string, readonly string[]>> = {
  'iptables-current': ['--from', 'pod', '--src', '10.244.1.5', '--dst', '10.96.0.10', '-p', 'udp', '--dport', '53'],
  'iptables-legacy-pre124': ['--from', 'external', '--src', '198.51.100.7', '--dst', '10.0.0.102', '--dport', '80'],
  'ipvs-local': ['--from', 'pod', '--src', '10.244.1.5', '--dst', '10.0.0.100', '--dport', '80'],
  'ipvs-cluster': ['--from', 'pod', '--src', '10.244.1.5', '--dst', '10.0.0.100', '--dport', '80'],
  'ipvs-local-node-b': ['--from', 'pod', '--src', '10.244.2.9', '--dst', '10.0.0.100', '--dport', '80'],
  'ipvs-bound-lb': ['--from', 'pod', '--src', '172.20.1.5', '--dst', '203.0.113.10', '--dport', '80'],
  'docker-host': ['--from', 'external', '--src', '198.51.100.7', '--dst', '192.168.1.20', '--dport', '8080'],
  calico: ['--from', 'pod', '--src', '10.244.41.65', '--dst', '10.96.0.10', '-p', 'udp', '--dport', '53'],
  ipv6: ['--from', 'pod', '--src', 'fd00:10:244:1::5', '--dst', 'fd00:10:96::a', '-p', 'udp', '--dport', '53'],
};

export function sampleDir(sample: string): string {
  return `samples/${sample}/`;
}

export function traceArgs(sample: string): string[] {
  const probe = PROBES[sample];
  if (probe) return ['trace', sampleDir(sample), ...probe];
  const v6Only = readdirSync(join(repoRoot, 'samples', sample)).every((f) => !/^iptables-save/.test(f)) && readdirSync(join(repoRoot, 'samples', sample)).some((f) => /^ip6tables/.test(f));
  return ['trace', sampleDir(sample), '--from', 'pod', ...(v6Only ? ['--src', 'fd00:10:244:1::5', '--dst', 'fd00:10:96::a'] : ['--src', '10.244.1.5', '--dst', '10.96.0.10']), '-p', 'udp', '--dport', '53'];
}

/** The file a graph of the sample is drawn from. */
export function graphArgs(sample: string): string[] {
  const files = readdirSync(join(repoRoot, 'samples', sample));
  const v4 = files.find((f) => /^iptables-save/.test(f));
  const v6 = files.find((f) => /^ip6tables-save/.test(f));
  return v4 ? ['graph', `samples/${sample}/${v4}`] : ['graph', `samples/${sample}/${v6 ?? ''}`, '--family', 'ipv6'];
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runIptlens(args: readonly string[], env: Record<string, string | undefined> = { NO_COLOR: '1' }, tty = false): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s), isTTY: tty },
    stderr: { write: (s: string) => (stderr += s), isTTY: tty },
    env,
  });
  return { code, stdout, stderr };
}

/** The ```mermaid blocks of a Markdown text. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^(`{3,})mermaid\n([\s\S]*?)\n\1$/gm)].map((m) => m[2] ?? '');
}
