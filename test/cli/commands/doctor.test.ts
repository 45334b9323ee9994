/**
 * `iptlens doctor` as registered on a commander program (the lead wires it into main.ts): exit
 * codes, --fail-on, --check, --lb-model, --json, --output markdown, --list-checks, bad usage.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDoctorCommand } from '../../../src/cli/commands/doctor.js';
import { loadNodes } from '../../../src/cli/inputs.js';
import { CHECKS } from '../../../src/k8s/doctor/index.js';
import { repoRoot } from '../../support/paths.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let code = -1;
  const program = new Command().name('iptlens').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerDoctorCommand(program, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { NO_COLOR: '1' } }, (c) => (code = c), loadNodes);
  try {
    await program.parseAsync(['doctor', ...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // As runCli (main.ts) maps commander's usage errors.
    code = error.exitCode === 0 ? 0 : 2;
  }
  return { code, stdout, stderr };
}

const sample = (name: string): string => join(repoRoot, 'samples', name);

describe('iptlens doctor', () => {
  it('exits 0 when the worst finding is a warning, 1 with --fail-on warning', async () => {
    const r = await run([sample('ipvs-local')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('warning lb-loopback-unmasqueraded  ipvs-local');
    expect((await run([sample('ipvs-local'), '--fail-on', 'warning'])).code).toBe(1);
    expect((await run([sample('iptables-current'), '--fail-on', 'info'])).code).toBe(1);
  });

  it('exits 1 on an error-level finding (the ACK "connection refused" case)', async () => {
    const r = await run([sample('ipvs-bound-lb')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^error {3}local-policy-no-endpoint {2}ipvs-bound-lb/m);
  });

  it('exits 0 with no findings', async () => {
    const r = await run([sample('calico')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no findings');
  });

  it('--check runs only those checks; an unknown one is a usage error (2)', async () => {
    const r = await run([sample('ipvs-bound-lb'), '--check', 'health-probe-martian', '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.checks).toEqual(['health-probe-martian']);
    expect(new Set(json.findings.map((f: { id: string }) => f.id))).toEqual(new Set(['health-probe-martian']));
    // The probes only matter for an LB that probes from its VIP: without --lb-model they are warnings.
    expect(r.code).toBe(0);
    const bad = await run([sample('ipvs-bound-lb'), '--check', 'no-such-check']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no check named no-such-check');
  });

  it('--lb-model tencent-clb makes the martian probes errors, and simulates the loopback across nodes', async () => {
    expect((await run([sample('ipvs-bound-lb'), '--check', 'health-probe-martian', '--lb-model', 'tencent-clb'])).code).toBe(1);
    const r = await run([sample('ipvs-local'), sample('ipvs-local-node-b'), '--lb-model', 'tencent-clb', '--json']);
    expect(r.code).toBe(1);
    const loop = JSON.parse(r.stdout).findings.find((f: { id: string; severity: string }) => f.id === 'lb-loopback-unmasqueraded' && f.severity === 'error');
    expect(loop.title).toContain('p=100%');
    expect((await run([sample('ipvs-local'), '--lb-model', 'nope'])).code).toBe(2);
  });

  it('--output markdown renders the report for a ticket', async () => {
    const r = await run([sample('ipvs-bound-lb'), '--output', 'markdown']);
    expect(r.stdout).toContain('iptlens doctor');
    expect(r.stdout).toContain('local-policy-no-endpoint');
    expect(r.stdout).toMatch(/sha256|[0-9a-f]{64}/);
  });

  it('--list-checks lists every check with its docs page and needs no bundle', async () => {
    const r = await run(['--list-checks']);
    expect(r.code).toBe(0);
    for (const c of CHECKS) expect(r.stdout).toContain(`(docs/checks/${c.meta.id}.md)`);
  });

  it('no bundle is a usage error; an input with errors exits 2 and prints them with file:line:col', async () => {
    expect((await run([])).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'iptlens-doctor-'));
    const bad = join(dir, 'iptables-save.txt');
    writeFileSync(bad, '*filter\n:INPUT ACCEPT [0:0]\nthis is not a rule\nCOMMIT\n');
    const r = await run([bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:3:1: error[iptables/syntax]`);
  });
});
