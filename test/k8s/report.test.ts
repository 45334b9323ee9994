/**
 * The renderers of `iptlens services` (src/report/services): the table, the evidence under each
 * row, and the iptlens.services/v1 JSON document.
 */
import { describe, expect, it } from 'vitest';
import type { ServiceCatalogue } from '../../src/k8s/types.js';
import { servicesDocument } from '../../src/report/services/document.js';
import { servicesReportJson } from '../../src/report/services/json.js';
import { serviceLabel, servicesReportText } from '../../src/report/services/text.js';
import { PLAIN } from '../../src/report/style.js';
import { byName, sampleCatalogue } from './support.js';

const current = sampleCatalogue('iptables-current', ['iptables-save.txt', 'ip-addr.txt']);
const ipvs = sampleCatalogue('ipvs-local', ['iptables-save.txt', 'ipset-save.txt', 'ipvsadm-Ln.txt', 'ip-addr.txt']);

function row(text: string, label: string): string[] {
  const line = text.split('\n').find((l) => l.startsWith(`${label} `));
  if (!line) throw new Error(`no row ${label}`);
  return line.trim().split(/\s{2,}/);
}

describe('text table', () => {
  const text = servicesReportText(current, { style: PLAIN, evidence: false });

  it('says the mode and the node-wide settings first', () => {
    const [mode, settings] = text.split('\n');
    expect(mode).toBe('kube-proxy: iptables mode, current rules (1.24+)');
    expect(settings).toBe("cluster CIDR 10.244.0.0/16 · masquerade-all no · masquerade bit 14 (0x4000) · this node's pods 10.244.1.0/24");
  });

  it('has one row per Service port with the documented columns', () => {
    expect(text).toMatch(/^SERVICE\s+TYPE\s+CLUSTER-IP\s+LB\/EXTERNAL IPS\s+NODEPORT\s+ETP\s+ITP\s+ENDPOINTS\s+AFFINITY$/m);
    expect(row(text, 'web/frontend:http/tcp')).toEqual(['web/frontend:http/tcp', 'LoadBalancer', '10.96.120.5', '10.0.0.100', '30080', 'Local', 'Cluster', '1/2', '-']);
    expect(row(text, 'shop/session:http/tcp')).toEqual(['shop/session:http/tcp', 'ClusterIP', '10.96.150.7', '-', '-', '-', 'Cluster', '1/2', 'ClientIP 10800s']);
    expect(row(text, 'shop/legacy:http/tcp')).toEqual(['shop/legacy:http/tcp', 'ClusterIP', '10.96.160.2', '-', '-', '-', '?', 'none', '-']);
    expect(text).toContain('11 Service ports;');
  });

  it('shows unknown locality as "?" and unnamed IPVS Service ports by address', () => {
    const noAddr = sampleCatalogue('iptables-current', ['iptables-save.txt']);
    expect(row(servicesReportText(noAddr, { style: PLAIN, evidence: false }), 'shop/cart:http/tcp')[7]).toBe('?/2');
    const ipvsText = servicesReportText(ipvs, { style: PLAIN, evidence: false });
    expect(ipvsText.split('\n')[0]).toBe('kube-proxy: IPVS mode');
    expect(ipvsText).toMatch(/^\? 10\.96\.120\.5:80\/tcp\s+LoadBalancer\s+10\.96\.120\.5\s+10\.0\.0\.100\s+30080\s+Local\s+Cluster\s+1\/2/m);
    expect(ipvsText).toContain('health-check NodePorts 32100');
  });

  it('labels unnamed ports and unknown names as documented', () => {
    const s = byName(current, 'web/frontend:http');
    expect(serviceLabel(s)).toBe('web/frontend:http/tcp');
    expect(serviceLabel({ ...s, portName: '' })).toBe('web/frontend/tcp');
    expect(serviceLabel({ ...s, namespace: null, name: null, key: 'nodeport:31080/tcp' })).toBe('? nodeport:31080/tcp');
  });
});

describe('--evidence', () => {
  const text = servicesReportText(current, { style: PLAIN, evidence: true });

  it('lists under each row its endpoints and facts with file:line', () => {
    const block = text.slice(text.indexOf('web/frontend:http/tcp  '));
    expect(block).toMatch(/endpoint 10\.244\.1\.5:8080 \(local\)\s+\S*samples\/iptables-current\/iptables-save\.txt:\d+/);
    expect(block).toMatch(/external-traffic-policy\s+KUBE-EXT-XQW6G4JP7X6Y57U2 ends in KUBE-SVL-XQW6G4JP7X6Y57U2, the local endpoints only\s+\S*iptables-save\.txt:126/);
    expect(block).toMatch(/health check 32100/);
  });

  it('cites the line each fact is on', () => {
    const lines = current.services.flatMap((s) => s.evidence);
    const source = lines[0]!.at.source.text.split('\n');
    const cited = [...text.matchAll(/iptables-save\.txt:(\d+)/g)].map((m) => Number(m[1]));
    expect(cited.length).toBeGreaterThan(50);
    // Every cited line exists and is a rule, a chain declaration or a table line.
    for (const n of cited) expect(source[n - 1]).toMatch(/^(-A |:|\*)/);
  });
});

describe('JSON (iptlens.services/v1)', () => {
  it('carries the catalogue with 1-based positions', () => {
    const json = JSON.parse(JSON.stringify(servicesReportJson('node-a', current)));
    expect(json.schema).toBe('iptlens.services/v1');
    expect(json.mode).toBe('iptables');
    expect(json.generation).toBe('current');
    const f = json.services.find((s: { name: string }) => s.name === 'frontend');
    expect(f).toMatchObject({ key: 'XQW6G4JP7X6Y57U2', externalTrafficPolicy: 'Local', nodePort: 30080, healthCheckNodePort: 32100, loadBalancerIPs: ['10.0.0.100'] });
    expect(f.endpoints[0]).toMatchObject({ address: '10.244.1.5', port: 8080, local: true, clusterPolicy: true, localPolicy: true, chain: 'KUBE-SEP-QT5XCBCWAQBU75YJ' });
    expect(f.endpoints[0].line).toBeGreaterThan(0);
    const etp = f.evidence.find((e: { fact: string; line: number }) => e.fact === 'external-traffic-policy' && e.line === 126);
    expect(etp).toMatchObject({ column: 1 });
    expect(etp.file).toMatch(/iptables-current\/iptables-save\.txt$/);
    expect(json.settings).toMatchObject({ clusterCidrs: ['10.244.0.0/16'], masqueradeBit: 14, masqueradeAll: false });
    expect(json.diagnostics).toEqual([]);
  });

  it('includes the catalogue\'s diagnostics after the given ones', () => {
    const c: ServiceCatalogue = sampleCatalogue('ipvs-bound-lb', ['iptables-save.txt', 'ipset-save.txt', 'ipvsadm-Ln.txt', 'ip-addr.txt']);
    const json = servicesReportJson('x', c);
    expect(json.diagnostics.map((d) => d.code)).toEqual(['k8s/unassigned-ipvs-service', 'k8s/unassigned-ipvs-service']);
    expect(json.diagnostics[0]!.line).toBeGreaterThan(0);
  });
});

describe('report document (--output markdown|html)', () => {
  const meta = { commandLine: ['iptlens', 'services', 'x'], version: 'test' };

  it('has the Service table, a verdict and the lines deciding each policy', () => {
    const doc = servicesDocument('node-a', [], current, [], meta);
    expect(doc.command).toBe('services');
    expect(doc.verdict).toEqual({ tone: 'ok', text: '11 Service ports (iptables mode)' });
    const table = doc.tables[0]!;
    expect(table.rows).toHaveLength(11);
    expect(table.rows.find((r) => r[0] === 'web/admin:http/tcp')?.[9]).toBe('203.0.113.0/24, 10.0.0.0/24');
    const decisive = doc.evidence.filter((e) => e.decisive).map((e) => e.why);
    expect(decisive).toContain('web/frontend:http/tcp: KUBE-EXT-XQW6G4JP7X6Y57U2 ends in KUBE-SVL-XQW6G4JP7X6Y57U2, the local endpoints only');
    expect(doc.evidence.length).toBeLessThanOrEqual(80);
  });

  it('says what to do: names for IPVS, and Local Services without a local endpoint', () => {
    const bound = sampleCatalogue('ipvs-bound-lb', ['iptables-save.txt', 'ipset-save.txt', 'ipvsadm-Ln.txt', 'ip-addr.txt']);
    const doc = servicesDocument('node', [], bound, [], meta);
    expect(doc.remediation.some((r) => r.includes('kubectl get svc,endpointslices,nodes -A -o json'))).toBe(true);
    expect(doc.remediation.some((r) => r.includes('? 172.21.9.80:80/tcp') && r.includes('externalTrafficPolicy Local without a local endpoint'))).toBe(true);
  });

  it('refuses nftables mode as a problem', () => {
    const nft: ServiceCatalogue = { ...current, mode: 'nftables', generation: 'unknown', services: [] };
    expect(servicesDocument('n', [], nft, [], meta).verdict.tone).toBe('problem');
  });
});
