/**
 * `iptlens services` as registered on a commander program (the lead wires it into main.ts):
 * table and JSON output, --evidence, --namespace, exit codes, the nftables refusal, bad options.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerServicesCommand } from '../../src/cli/commands/services.js';
import { loadNode } from '../../src/cli/inputs.js';
import { sampleClusterKubectlText, samplesDir } from './support.js';

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let code = -1;
  const program = new Command()
    .name('iptlens')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerServicesCommand(
    program,
    { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: { NO_COLOR: '1' } },
    (c) => (code = c),
    loadNode,
  );
  try {
    await program.parseAsync(['services', ...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  return { code, stdout, stderr };
}

const current = ['iptables-save.txt', 'ip-addr.txt'].map((f) => join(samplesDir, 'iptables-current', f));
const dir = mkdtempSync(join(tmpdir(), 'iptlens-services-'));

describe('iptlens services', () => {
  it('prints the table and exits 0', async () => {
    const r = await run(current);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^web\/frontend:http\/tcp\s+LoadBalancer\s+10\.96\.120\.5\s+10\.0\.0\.100\s+30080\s+Local\s+Cluster\s+1\/2\s+-$/m);
  });

  it('--namespace keeps one namespace; --evidence cites file:line', async () => {
    const r = await run([...current, '-n', 'shop', '--evidence']);
    expect(r.stdout).not.toMatch(/^web\//m);
    expect(r.stdout).toMatch(/^shop\/cart:http\/tcp/m);
    expect(r.stdout).toMatch(/local-endpoint\s+10\.244\.1\.7 is in this node's pod prefix 10\.244\.1\.0\/24\s+\S+iptables-save\.txt:\d+/);
  });

  it('--json prints the iptlens.services/v1 document', async () => {
    const r = await run([...current, '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.schema).toBe('iptlens.services/v1');
    expect(json.services).toHaveLength(11);
    expect(r.code).toBe(0);
    expect(JSON.parse((await run([...current, '--output', 'json'])).stdout).services).toHaveLength(11);
  });

  it('reads kubectl JSON among the inputs and names IPVS virtual services with it', async () => {
    const kubectl = join(dir, 'kubectl.json');
    writeFileSync(kubectl, sampleClusterKubectlText());
    const files = ['iptables-save.txt', 'ipset-save.txt', 'ipvsadm-Ln.txt', 'ip-addr.txt'].map((f) => join(samplesDir, 'ipvs-local', f));
    const r = await run([...files, kubectl]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^web\/frontend:http\/tcp\s+LoadBalancer\s+10\.96\.120\.5\s+10\.0\.0\.100\s+30080\s+Local/m);
    expect(r.stderr).not.toContain('not-yet-read');
  });

  it('refuses kube-proxy\'s nftables mode with exit 2 and a located error', async () => {
    const nft = join(dir, 'nft.txt');
    writeFileSync(nft, 'table ip kube-proxy {\n\tchain services {\n\t}\n}\n');
    const r = await run([nft]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[k8s/nftables-mode]');
    expect(r.stderr).toContain('nft.txt:1:1');
    expect(r.stdout).toContain('kube-proxy: nftables mode (not read yet: no catalogue)');
  });

  it('exits 2 on unreadable input and on a bad --pod-cidr', async () => {
    expect((await run([join(dir, 'missing.txt')])).code).toBe(2);
    const bad = await run([...current, '--pod-cidr', '10.244.1.0/99']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--pod-cidr "10.244.1.0/99" is not an address prefix');
  });

  it('--pod-cidr tells locality when ip addr is not given (pods of the cluster CIDR outside it are elsewhere)', async () => {
    const r = await run([current[0]!, '--pod-cidr', '10.244.1.0/24', '--json']);
    const services = JSON.parse(r.stdout).services as { name: string; endpoints: { address: string; local: boolean | string }[] }[];
    expect(services.find((s) => s.name === 'cart')!.endpoints.map((e) => e.local)).toEqual([true, false]);
    // The API server runs on the host network of cp-1 (10.0.0.10): not a pod address, not known as a node address.
    expect(services.find((s) => s.name === 'kubernetes')!.endpoints.map((e) => e.local)).toEqual(['unknown']);
  });

  it('--output markdown prints a ticket report with the Service table and the deciding lines', async () => {
    const r = await run([...current, '--output', 'markdown']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('iptlens services');
    expect(r.stdout).toMatch(/web\/frontend:http\/tcp/);
    expect(r.stdout).toMatch(/iptables-save\.txt:126/);
  });

  it('has --help with examples', async () => {
    const r = await run(['--help']);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('kubectl get svc,endpointslices,nodes -A -o json');
  });
});
