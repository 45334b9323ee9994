/**
 * The real captures of /work/shared/samples/real (read in place, never copied: see SOURCES.md).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseIpvsadmText } from '../../../grammar/ipvsadm/parse.js';
import { buildIpvs, findVirtualService, summarizeVirtualService } from '../../../src/model/ipvs/build.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const shared = path.resolve(repoRoot, '../shared');
const real = path.join(shared, 'samples/real');
const present = existsSync(real);
if (!present) console.warn(`ipvs real-capture tests skipped: ${real} is absent`);

function read(file: string) {
  const text = readFileSync(file, 'utf8');
  const result = buildIpvs(parseIpvsadmText({ name: file, text }));
  return { ...result, text, codes: result.diagnostics.map((d) => `${d.severity} ${d.code}`) };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

describe.skipIf(!present)('tkng-kind ipvsadm -ln captures (kube-proxy IPVS mode on kind)', () => {
  const dir = path.join(real, 'tkng-kind');

  it('ClusterIP: 12 services, with only the prompt line reported', () => {
    const { table, codes, text, diagnostics } = read(path.join(dir, 'ipvs-clusterip__ipvsadm-ln.txt'));
    expect(codes).toEqual(['info ipvs/prompt-line']);
    expect(text.slice(diagnostics[0]!.at!.start, diagnostics[0]!.at!.end)).toBe(text.split('\n')[0]);
    expect(table.version).toBe('1.2.1');
    expect(table.services).toHaveLength(12);
    expect(table.services.reduce((n, s) => n + s.realServers.length, 0)).toBe(20);
    expect(table.services.every((s) => s.scheduler === 'rr' && s.realServers.every((r) => r.forward === 'masq' && r.weight === 1))).toBe(true);
    const dns = findVirtualService(table, { protocol: 'udp', address: '10.96.0.10', port: 53 });
    expect(summarizeVirtualService(dns!)).toEqual({
      protocol: 'udp',
      address: '10.96.0.10',
      port: 53,
      fwmark: null,
      scheduler: 'rr',
      realServers: [
        { address: '10.244.0.3', port: 53, forward: 'masq', weight: 1 },
        { address: '10.244.0.4', port: 53, forward: 'masq', weight: 1 },
      ],
    });
    expect(dns!.realServers.map((r) => r.inactConn)).toEqual([8, 8]);
    // A NodePort is one IPVS service per node address.
    expect(table.services.filter((s) => s.port === 31730).map((s) => s.address?.text)).toEqual(['192.168.224.4', '10.244.2.1', '127.0.0.1']);
  });

  it('LoadBalancer: the elided lines are warned about, the one service between them is read', () => {
    const { table, codes } = read(path.join(dir, 'loadbalancer__ipvsadm-ln.txt'));
    expect(codes).toEqual(['info ipvs/prompt-line', 'warning ipvs/elided-output', 'warning ipvs/elided-output']);
    expect(table.services.map(summarizeVirtualService)).toEqual([
      {
        protocol: 'tcp',
        address: '198.51.100.0',
        port: 80,
        fwmark: null,
        scheduler: 'rr',
        realServers: ['10.244.1.6', '10.244.2.5', '10.244.2.6'].map((address) => ({ address, port: 80, forward: 'masq', weight: 1 })),
      },
    ]);
  });

  it('NodePort: one service with three endpoints', () => {
    const { table, codes } = read(path.join(dir, 'nodeport__ipvsadm-ln.txt'));
    expect(codes).toEqual(['info ipvs/prompt-line']);
    expect(table.services.map((s) => [s.address?.text, s.port, s.realServers.length])).toEqual([['192.168.224.2', 30064, 3]]);
  });
});

describe.skipIf(!present)('every real capture', () => {
  it('is read without throwing, and every diagnostic points inside its file', () => {
    const files = allFiles(real).filter((f) => f.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const { diagnostics, text } = read(file);
      for (const d of diagnostics) {
        expect(d.at, `${file}: ${d.code}`).not.toBeNull();
        expect(d.at!.end).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('finds no virtual service in files that are not ipvsadm output', () => {
    const others = allFiles(real).filter((f) => f.endsWith('.txt') && !f.includes('ipvsadm'));
    for (const file of others) expect(read(file).table.services, file).toEqual([]);
  });
});
