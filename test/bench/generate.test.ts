import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateNode, kubeHash, printIpvsadmList, savedProbability, serviceChains, servicePortName,
  type GeneratedNode, type ProxyGeneration, type ProxyMode, type VirtualServer,
} from '../../bench/generate.js';
import { backendOf, createNamespace, deleteNamespace, probeKernel, run, runIn, tablesOf, toolFor } from '../samples/kernel-namespace.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');

const cache = new Map<string, GeneratedNode>();
function node(services: number, mode: ProxyMode, generation: ProxyGeneration, seed = 1): GeneratedNode {
  const key = `${services}/${mode}/${generation}/${seed}`;
  let n = cache.get(key);
  if (n === undefined) {
    n = generateNode({ services, mode, generation, seed });
    cache.set(key, n);
  }
  return n;
}

function file(n: GeneratedNode, name: string): string {
  const text = n.files[name];
  if (text === undefined) throw new Error(`no ${name}`);
  return text;
}

function chainsDeclared(save: string, prefix: string): Set<string> {
  return new Set([...save.matchAll(new RegExp(`^:(${prefix}[A-Z0-9]{16}) - \\[0:0\\]$`, 'gm'))].map((m) => m[1] ?? ''));
}

describe('kube-proxy names and numbers', () => {
  it('hashes Service ports to the chain names real clusters show', () => {
    // Every kubeadm cluster has these: kube-dns:dns/udp, kube-dns:dns-tcp, kube-dns:metrics, kubernetes:https.
    expect(kubeHash('kube-system/kube-dns:dnsudp')).toBe('TCOU7JCQXEZGVUNU');
    expect(kubeHash('kube-system/kube-dns:dns-tcptcp')).toBe('ERIFXISQEP7F7OF4');
    expect(kubeHash('kube-system/kube-dns:metricstcp')).toBe('JD5MR3NA4I4DYORP');
    expect(kubeHash('default/kubernetes:httpstcp')).toBe('NPX46M4PTMTKRN6Y');
  });

  it('names endpoint chains from the service port, protocol and endpoint (kube-proxy unit-test values)', () => {
    const chains = serviceChains({
      namespace: 'ns1', name: 'svc1', portName: 'p80', protocol: 'tcp', clusterIP: '172.30.0.41', port: 80,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [], endpoints: [],
    });
    expect(chains.svc).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(chains.sep({ ip: '10.180.0.1', port: 80, nodeName: 'n', local: false })).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });

  it('prints probabilities with the 11 digits iptables-save shows, not the 10 kube-proxy writes', () => {
    expect(savedProbability(2)).toBe('0.50000000000');
    expect(savedProbability(3)).toBe('0.33333333349');
    expect(savedProbability(4)).toBe('0.25000000000');
  });

  it('sorts ipvsadm services as libipvs does (protocol, then a signed 32-bit address difference, then port)', () => {
    const vs = (protocol: 'TCP' | 'UDP', ip: string, port: number): VirtualServer => ({ protocol, ip, port, scheduler: 'rr', dests: [] });
    const text = printIpvsadmList([
      vs('UDP', '10.96.0.10', 53), vs('TCP', '10.96.0.10', 53), vs('TCP', '10.96.0.1', 443), vs('TCP', '10.96.0.10', 9),
      vs('TCP', '172.16.0.1', 30001),
    ]);
    // 172.16.0.1 - 10.96.0.x overflows a signed int: libipvs puts the 172.16 address first.
    expect(text.split('\n').slice(3, 8)).toEqual([
      'TCP  172.16.0.1:30001 rr', 'TCP  10.96.0.1:443 rr', 'TCP  10.96.0.10:9 rr', 'TCP  10.96.0.10:53 rr', 'UDP  10.96.0.10:53 rr',
    ]);
  });
});

describe('generateNode', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = generateNode({ services: 200, mode: 'ipvs', seed: 7 });
    const b = generateNode({ services: 200, mode: 'ipvs', seed: 7 });
    const c = generateNode({ services: 200, mode: 'ipvs', seed: 8 });
    expect(a.files).toEqual(b.files);
    expect(c.files['iptables-save.txt']).not.toEqual(a.files['iptables-save.txt']);
    expect(c.files['ipvsadm-Ln.txt']).not.toEqual(a.files['ipvsadm-Ln.txt']);
  });

  it('writes the files of each mode', () => {
    expect(Object.keys(node(50, 'iptables', 'current').files)).toEqual(['iptables-save.txt']);
    const ipvsFiles = ['ip-addr.txt', 'ipset-save.txt', 'iptables-save.txt', 'ipvsadm-Ln.txt'];
    expect(Object.keys(node(50, 'ipvs', 'current').files).sort()).toEqual(ipvsFiles);
  });

  it('synthesises the requested mix of Services', () => {
    const { cluster } = node(1000, 'iptables', 'current');
    const objects = new Set(cluster.services.map((s) => `${s.namespace}/${s.name}`));
    expect(objects.size).toBe(1000);
    const counts = (p: (s: (typeof cluster.services)[number]) => boolean): number => cluster.services.filter(p).length;
    expect(counts((s) => s.loadBalancerIPs.length > 0 && s.externalPolicy === 'Local')).toBeGreaterThan(20);
    expect(counts((s) => s.loadBalancerIPs.length > 0 && s.externalPolicy === 'Cluster')).toBeGreaterThan(20);
    expect(counts((s) => s.nodePort !== undefined && s.loadBalancerIPs.length === 0)).toBeGreaterThan(20);
    expect(counts((s) => s.affinityTimeout !== undefined)).toBeGreaterThan(10);
    expect(counts((s) => s.endpoints.length === 0)).toBeGreaterThan(5);
    expect(counts((s) => s.endpoints.some((e) => e.local))).toBeGreaterThan(50);
    for (const s of cluster.services) expect(s.endpoints.length).toBeLessThanOrEqual(4);
  });

  it('current iptables: one KUBE-SVC per Service port with endpoints, KUBE-SVL only for Local ones with a local endpoint', () => {
    const n = node(1000, 'iptables', 'current');
    const save = file(n, 'iptables-save.txt');
    const withEndpoints = n.cluster.services.filter((s) => s.endpoints.length > 0);
    expect(chainsDeclared(save, 'KUBE-SVC-')).toEqual(new Set(withEndpoints.map((s) => serviceChains(s).svc)));
    const svl = n.cluster.services.filter((s) => s.externalPolicy === 'Local' && s.endpoints.some((e) => e.local));
    expect(chainsDeclared(save, 'KUBE-SVL-')).toEqual(new Set(svl.map((s) => serviceChains(s).svl)));
    for (const s of n.cluster.services.filter((x) => x.endpoints.length === 0)) {
      expect(save).toContain(`--comment "${servicePortName(s)} has no endpoints"`);
    }
  });

  it('drops SVC/SEP comments past 1000 endpoints, as kube-proxy largeClusterMode does', () => {
    const big = file(node(1000, 'iptables', 'current'), 'iptables-save.txt');
    const small = file(node(50, 'iptables', 'current'), 'iptables-save.txt');
    expect(big).toMatch(/^-A KUBE-SEP-\w+ -s \S+ -j KUBE-MARK-MASQ$/m);
    expect(big).not.toMatch(/^-A KUBE-SEP-\w+ -s \S+ -m comment/m);
    expect(small).toMatch(/^-A KUBE-SEP-\w+ -s \S+ -m comment --comment "[^"]+" -j KUBE-MARK-MASQ$/m);
  });

  it('pre124 iptables: a KUBE-XLB chain per Local Service, dropping when none of its endpoints is local', () => {
    const n = node(1000, 'iptables', 'pre124');
    const save = file(n, 'iptables-save.txt');
    const local = n.cluster.services.filter((s) => s.externalPolicy === 'Local');
    expect(chainsDeclared(save, 'KUBE-XLB-')).toEqual(new Set(local.map((s) => serviceChains(s).xlb)));
    const noLocal = local.find((s) => s.endpoints.length > 0 && !s.endpoints.some((e) => e.local));
    expect(noLocal).toBeDefined();
    if (noLocal !== undefined) {
      const xlb = serviceChains(noLocal).xlb;
      expect(save).toContain(`-A ${xlb} -m comment --comment "${servicePortName(noLocal)} has no local endpoints" -j KUBE-MARK-DROP`);
    }
    expect(save).not.toMatch(/KUBE-EXT-|KUBE-SVL-|KUBE-PROXY-FIREWALL/);
  });

  it('ipvs: every ClusterIP is bound on kube-ipvs0, listed in KUBE-CLUSTER-IP and has a virtual server', () => {
    const n = node(300, 'ipvs', 'current');
    const addr = file(n, 'ip-addr.txt');
    const ipset = file(n, 'ipset-save.txt');
    const ipvs = file(n, 'ipvsadm-Ln.txt');
    for (const s of n.cluster.services) {
      expect(addr).toContain(`inet ${s.clusterIP}/32 scope global kube-ipvs0`);
      expect(ipset).toContain(`add KUBE-CLUSTER-IP ${s.clusterIP},${s.protocol}:${s.port}\n`);
      expect(ipvs).toContain(`${s.protocol.toUpperCase()}  ${s.clusterIP}:${s.port} rr`);
    }
    for (const s of n.cluster.services.filter((x) => x.externalPolicy === 'Local')) {
      for (const lb of s.loadBalancerIPs) expect(ipset).toContain(`add KUBE-LOAD-BALANCER-LOCAL ${lb},${s.protocol}:${s.port}\n`);
    }
  });

  it('the CLI writes the same files', () => {
    const out = mkdtempSync(join(tmpdir(), 'iptl-generate-'));
    try {
      const cli = join(repoRoot, 'bench/generate-cli.ts');
      const r = run(['npx', 'tsx', cli, '--services', '40', '--mode', 'ipvs', '--seed', '3', '--out', out]);
      expect(r.status).toBe(0);
      const expected = generateNode({ services: 40, mode: 'ipvs', seed: 3 }).files;
      for (const [name, text] of Object.entries(expected)) expect(readFileSync(join(out, name), 'utf8')).toBe(text);
      expect(r.stdout).toMatch(/iptables-save\.txt\t\d+ lines\t\d+ bytes/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

const kernel = probeKernel('bench');
if (!kernel.available) {
  console.warn(`[bench] kernel tests of the generator skipped: ${kernel.reason} (they need root and network namespaces)`);
}

describe.skipIf(!kernel.available)('1k-Service dumps in a real kernel', () => {
  const created: string[] = [];
  afterAll(() => {
    for (const ns of created) deleteNamespace(ns);
  });

  const combos: [ProxyMode, ProxyGeneration][] = [['iptables', 'current'], ['iptables', 'pre124'], ['ipvs', 'current'], ['ipvs', 'pre124']];
  for (const [mode, generation] of combos) {
    it(`${mode}/${generation}: ipset restore, iptables-restore --test, and a load that saves back unchanged`, () => {
      const n = node(1000, mode, generation);
      const save = file(n, 'iptables-save.txt');
      const backend = backendOf(save);
      expect(backend).toBe(generation === 'current' ? 'nft' : 'legacy');
      const ns = createNamespace('bench', `${mode}-${generation}`);
      created.push(ns);
      if (mode === 'ipvs') {
        const sets = runIn(ns, ['ipset', 'restore'], file(n, 'ipset-save.txt'));
        expect(sets.stderr).toBe('');
        expect(sets.status).toBe(0);
      }
      const tested = runIn(ns, [toolFor('restore', 'ipv4', backend), '--test'], save);
      expect(tested.stderr).toBe('');
      expect(tested.status).toBe(0);
      const loaded = runIn(ns, [toolFor('restore', 'ipv4', backend)], save);
      expect(loaded.status).toBe(0);
      expect(tablesOf(runIn(ns, [toolFor('save', 'ipv4', backend)]).stdout)).toEqual(tablesOf(save));
    });
  }
});
