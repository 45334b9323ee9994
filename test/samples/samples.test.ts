import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { backendOf, createNamespace, deleteNamespace, probeKernel, runIn, tablesOf, toolFor } from './kernel-namespace.js';

const repoRoot = resolve(fileURLToPath(import.meta.url), '../../..');
const samplesDir = join(repoRoot, 'samples');
const bundles = readdirSync(samplesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

function read(bundle: string, file: string): string {
  return readFileSync(join(samplesDir, bundle, file), 'utf8');
}

function has(bundle: string, file: string): boolean {
  return existsSync(join(samplesDir, bundle, file));
}

/**
 * `ipset save` as set name → its create line and its members (compared as a set: a hash set lists
 * them in its hash order). `bucketsize`/`initval` are printed by ipset ≥ 7.11 on kernels ≥ 5.11
 * only, so a dump from an older node lacks them.
 */
function ipsetsOf(text: string): Map<string, { create: string; members: string[] }> {
  const sets = new Map<string, { create: string; members: string[] }>();
  for (const line of text.split('\n')) {
    const [verb, name = '', ...rest] = line.split(' ');
    if (verb === 'create') sets.set(name, { create: line.replace(/ bucketsize \d+ initval 0x[0-9a-f]+$/, ''), members: [] });
    if (verb === 'add') sets.get(name)?.members.push(rest.join(' '));
  }
  for (const set of sets.values()) set.members.sort();
  return sets;
}

/** The `ipvsadm -Ln` real servers of one virtual service. */
function realServers(ipvsadm: string, service: string): string[] | undefined {
  const lines = ipvsadm.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`TCP  ${service} `));
  if (at < 0) return undefined;
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = /^ {2}-> (\S+)/.exec(l);
    if (m === null) break;
    out.push(m[1] ?? '');
  }
  return out;
}

describe('samples/README.md', () => {
  const readme = readFileSync(join(samplesDir, 'README.md'), 'utf8');
  const listed = [...readme.matchAll(/^\| `([^`/]+)\/` \|/gm)].map((m) => m[1]);

  it('has a line for every sample folder', () => {
    expect(bundles.filter((b) => !listed.includes(b))).toEqual([]);
  });

  it('lists only folders that exist', () => {
    expect(listed.filter((b) => b !== undefined && !bundles.includes(b))).toEqual([]);
  });
});

describe('the bundles tell the stories the README claims', () => {
  it('ipvs-local: the Local LB IP is matched by KUBE-LOAD-BALANCER-LOCAL but not bound on the node', () => {
    const sets = ipsetsOf(read('ipvs-local', 'ipset-save.txt'));
    expect(sets.get('KUBE-LOAD-BALANCER-LOCAL')?.members).toEqual(['10.0.0.100,tcp:80']);
    expect(sets.get('KUBE-LOAD-BALANCER')?.members).toContain('10.0.0.100,tcp:80');
    expect(read('ipvs-local', 'ip-addr.txt')).not.toContain('10.0.0.100/32');
    expect(read('ipvs-local', 'ip-route.txt')).not.toMatch(/^local 10\.0\.0\.100 /m);
    expect(read('ipvs-local', 'ipset-list.txt')).toContain('Name: KUBE-LOAD-BALANCER-LOCAL');
  });

  it('ipvs-cluster: the same LB IP is not exempt from the masquerade mark', () => {
    const sets = ipsetsOf(read('ipvs-cluster', 'ipset-save.txt'));
    expect(sets.get('KUBE-LOAD-BALANCER-LOCAL')?.members).toEqual([]);
    expect(sets.get('KUBE-LOAD-BALANCER')?.members).toContain('10.0.0.100,tcp:80');
    expect(read('ipvs-cluster', 'iptables-save.txt')).toContain('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
    expect(read('ipvs-cluster', 'ipvsadm-Sn.txt')).toContain('-a -t 10.0.0.100:80 -r 10.244.3.7:8080 -m -w 1');
  });

  it('ipvs-local-node-b: without a local endpoint the Local LB keeps every endpoint', () => {
    expect(realServers(read('ipvs-local-node-b', 'ipvsadm-Ln.txt'), '10.0.0.100:80')).toEqual(['10.244.1.5:8080', '10.244.3.7:8080']);
    expect(realServers(read('ipvs-local', 'ipvsadm-Ln.txt'), '10.0.0.100:80')).toEqual(['10.244.1.5:8080']);
  });

  it('ipvs-bound-lb: the SLB IP is local and its Local ingress service has no real server', () => {
    expect(read('ipvs-bound-lb', 'ip-addr.txt')).toContain('inet 203.0.113.10/32 scope global kube-ipvs0');
    expect(read('ipvs-bound-lb', 'ip-route.txt')).toMatch(/^local 203\.0\.113\.10 dev kube-ipvs0 /m);
    const ipvs = read('ipvs-bound-lb', 'ipvsadm-Ln.txt');
    expect(realServers(ipvs, '203.0.113.10:80')).toEqual([]);
    expect(realServers(ipvs, '203.0.113.10:443')).toEqual([]);
    expect(realServers(ipvs, '203.0.113.11:80')).toEqual(['172.20.1.7:8080', '172.20.3.8:8080']);
  });

  it('iptables-current and iptables-legacy-pre124 program the same Services with their own layouts', () => {
    const current = read('iptables-current', 'iptables-save.txt');
    const legacy = read('iptables-legacy-pre124', 'iptables-save.txt');
    // Same Service port → same chain hash in both generations (sha256 of "web/frontend:http" + "tcp").
    expect(current).toContain(':KUBE-SVL-XQW6G4JP7X6Y57U2 - [0:0]');
    expect(legacy).toContain(':KUBE-XLB-XQW6G4JP7X6Y57U2 - [0:0]');
    const redirect = 'Redirect pods trying to reach external loadbalancer VIP to clusterIP';
    expect(legacy).toContain(`-A KUBE-XLB-XQW6G4JP7X6Y57U2 -s 10.244.0.0/16 -m comment --comment "${redirect}" -j KUBE-SVC-XQW6G4JP7X6Y57U2`);
    const podTraffic = 'pod traffic for web/frontend:http external destinations';
    expect(current).toContain(`-A KUBE-EXT-XQW6G4JP7X6Y57U2 -s 10.244.0.0/16 -m comment --comment "${podTraffic}" -j KUBE-SVC-XQW6G4JP7X6Y57U2`);
    expect(legacy).toContain('-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0');
  });

  it('calico: pod CIDR masquerade by ipset, and routes from BIRD', () => {
    const masq = /-A cali-nat-outgoing .*-m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE/;
    expect(read('calico', 'iptables-save.txt')).toMatch(masq);
    expect(ipsetsOf(read('calico', 'ipset-save.txt')).get('cali40masq-ipam-pools')?.members).toEqual(['10.244.0.0/16']);
    expect(read('calico', 'ip-route.txt')).toMatch(/^blackhole 10\.244\.41\.64\/26 proto bird $/m);
  });
});

const kernel = probeKernel('samples');
if (!kernel.available) console.warn(`[samples] kernel load tests skipped: ${kernel.reason} (they need root and network namespaces)`);

describe.skipIf(!kernel.available)('every iptables sample loads into a real kernel and saves back unchanged', () => {
  const created: string[] = [];
  afterAll(() => {
    for (const ns of created) deleteNamespace(ns);
  });

  const cases = bundles.flatMap((bundle) =>
    (['iptables-save.txt', 'ip6tables-save.txt'] as const).filter((file) => has(bundle, file)).map((file) => ({ bundle, file })),
  );

  it('found an iptables dump in every bundle', () => {
    expect(new Set(cases.map((c) => c.bundle))).toEqual(new Set(bundles));
  });

  for (const { bundle, file } of cases) {
    it(`${bundle}/${file}`, () => {
      const text = read(bundle, file);
      const family = file.startsWith('ip6') ? 'ipv6' : 'ipv4';
      const backend = backendOf(text);
      const ns = createNamespace('samples', bundle);
      created.push(ns);
      if (has(bundle, 'ipset-save.txt')) {
        const ipsets = read(bundle, 'ipset-save.txt');
        const restored = runIn(ns, ['ipset', 'restore'], ipsets);
        expect(restored.stderr).toBe('');
        expect(restored.status).toBe(0);
        expect(ipsetsOf(runIn(ns, ['ipset', 'save']).stdout)).toEqual(ipsetsOf(ipsets));
      }
      const loaded = runIn(ns, [toolFor('restore', family, backend)], text);
      expect(loaded.stderr).toBe('');
      expect(loaded.status).toBe(0);
      const saved = runIn(ns, [toolFor('save', family, backend)]);
      expect(saved.status).toBe(0);
      expect(tablesOf(saved.stdout)).toEqual(tablesOf(text));
      if (has(bundle, 'ipset-list.txt')) {
        // References count the rules just loaded; "Size in memory" is the running kernel's.
        const strip = (t: string): string => t.replace(/^Size in memory: \d+$/gm, '').replace(/^Revision: \d+$/gm, '');
        expect(strip(runIn(ns, ['ipset', 'list']).stdout)).toEqual(strip(read(bundle, 'ipset-list.txt')));
      }
    });
  }
});
