import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerDiffCommand } from '../../src/cli/commands/diff.js';
import { loadNodes } from '../../src/cli/inputs.js';
import { bundle, samplesDir } from './support.js';

/**
 * The command on a program of its own, as main.ts builds it (exitOverride, output to strings),
 * and its exit code as main.ts's runCli returns it (a usage error commander throws is 2).
 */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let code = 0;
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { NO_COLOR: '1' } };
  const program = new Command().exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerDiffCommand(program, io, (c) => (code = c), loadNodes);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode === 0 ? 0 : 2;
  }
  return { code, stdout, stderr };
}

const s = (name: string) => join(samplesDir, name);

describe('iptlens diff', () => {
  it('exits 0 when the nodes are equivalent', async () => {
    const r = await run(['diff', s('iptables-current'), s('iptables-current')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EQUIVALENT');
  });

  it('exits 1 when they differ, and prints the JSON document with --json', async () => {
    const r = await run(['diff', s('ipvs-local'), s('ipvs-cluster'), '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.schema).toBe('iptlens.diff/v1');
    expect(json.behavioural.map((d: { probe: { id: string } }) => d.probe.id)).toContain('pod → 10.0.0.100:80/tcp');
  });

  it('exits 2 on an input error, printing it with file:line:col', async () => {
    const dir = bundle({ 'iptables-save.txt': '*filter\n:INPUT ACCEPT [0:0]\nhello world\nCOMMIT\n' });
    const r = await run(['diff', dir, s('iptables-current')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/iptables-save\.txt:3:\d+: error\[/);
  });

  it('exits 2 on a bad option value', async () => {
    for (const bad of [['--a-node-ip', 'ten'], ['--b-pod-cidr', '10.0.0.0/99'], ['--max-paths', '0']]) {
      const r = await run(['diff', s('ipvs-local'), s('ipvs-cluster'), ...bad]);
      expect(r.code, bad.join(' ')).toBe(2);
      expect(r.stderr, bad.join(' ')).toContain(`iptlens diff: ${bad[0]}`);
      expect(r.stdout, bad.join(' ')).toBe('');
    }
    expect((await run(['diff', s('ipvs-local')])).code).toBe(2);
  });

  it('takes the node address and pod prefix of a node whose files lack ip addr', async () => {
    const only = (name: string) => bundle({ 'iptables-save.txt': readFileSync(join(s(name), 'iptables-save.txt'), 'utf8') });
    const a = only('iptables-current');
    const b = only('iptables-current');
    const without = await run(['diff', a, b, '--json']);
    expect(JSON.parse(without.stdout).coverage.skipped.map((x: { what: string }) => x.what).join(' ')).toMatch(/pod probes/);
    const given = await run(['diff', a, b, '--json', '--a-node-ip', '10.0.0.11', '--b-node-ip', '10.0.0.11', '--a-pod-cidr', '10.244.1.0/24', '--b-pod-cidr', '10.244.1.0/24']);
    const json = JSON.parse(given.stdout);
    expect(json.coverage.skipped).toEqual([]);
    expect(json.a).toMatchObject({ nodeIp: '10.0.0.11', podCidr: '10.244.1.0/24' });
    expect(given.code).toBe(0);
  });

  it('has help with examples and the exit status', async () => {
    const r = await run(['diff', '--help']);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit status: 0 when the nodes are equivalent, 1 when they differ, 2 on input or usage errors.');
  });
});
