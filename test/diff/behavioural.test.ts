import { describe, expect, it } from 'vitest';
import { diffNodes } from '../../src/diff/index.js';
import type { DiffResult } from '../../src/diff/types.js';
import { editedSample, sample } from './support.js';

const ids = (r: DiffResult) => r.behavioural.map((d) => d.probe.id).sort();

describe('behavioural diff of sample nodes', () => {
  const r = diffNodes(sample('ipvs-local'), sample('ipvs-cluster'));

  it('finds that a pod\'s packet to the LB address is masqueraded on B (Cluster) and not on A (Local)', () => {
    const d = r.behavioural.find((x) => x.probe.id === 'pod → 10.0.0.100:80/tcp');
    expect(d).toBeDefined();
    expect(d!.probe.service?.key).toBe('10.96.120.5:80/tcp');
    expect(d!.a.outcomes).toMatchObject([{ disposition: 'egress', snat: null, dnat: null }]);
    expect(d!.b.outcomes).toMatchObject([{ disposition: 'egress', snat: { kind: 'masquerade', to: 'the node' } }]);
  });

  it('says where the two paths part, with both rules and what each node\'s set holds', () => {
    const d = r.behavioural.find((x) => x.probe.id === 'pod → 10.0.0.100:80/tcp')!;
    const f = d.firstDifference;
    expect(f.a).toMatchObject({ hook: 'PREROUTING', table: 'nat', chain: 'KUBE-LOAD-BALANCER', rule: 1, effect: 'RETURN' });
    expect(f.b).toMatchObject({ hook: 'PREROUTING', table: 'nat', chain: 'KUBE-LOAD-BALANCER', rule: 1, effect: 'jump KUBE-MARK-MASQ' });
    expect(f.a!.at?.source.name).toMatch(/ipvs-local\/iptables-save\.txt$/);
    expect(f.b!.at?.source.name).toMatch(/ipvs-cluster\/iptables-save\.txt$/);
    expect(f.reasons).toContain("A's KUBE-LOAD-BALANCER-LOCAL holds 10.0.0.100,tcp:80; B's does not");
    // The steps before are the same on both.
    const pa = d.a.result.paths[d.a.path]!;
    const pb = d.b.result.paths[d.b.path]!;
    expect(pa.steps.slice(0, f.index).map((s) => s.effect)).toEqual(pb.steps.slice(0, f.index).map((s) => s.effect));
  });

  it('reports only the probes whose outcome differs: the Service whose policy differs, nothing else', () => {
    expect(r.behavioural.length).toBeGreaterThan(0);
    expect(new Set(r.behavioural.map((d) => d.probe.service?.key))).toEqual(new Set(['10.96.120.5:80/tcp']));
    expect(ids(r)).toEqual(['external → 10.0.0.100:80/tcp', 'external → node:30080/tcp', 'host → 10.0.0.100:80/tcp', 'host → node:30080/tcp', 'pod → 10.0.0.100:80/tcp', 'pod → node:30080/tcp']);
  });

  it('derives probes for every Service address, NodePort and origin of both nodes', () => {
    // 11 Service ports: 11 cluster IPs, 3 LB IPs, 4 NodePorts (on the node's address), each from
    // pod, host and outside, and one class probe per LB IP.
    expect(r.coverage.total).toBe((11 + 3 + 4) * 3 + 3);
    expect(r.coverage.traced + r.coverage.unreached).toBe(r.coverage.total);
    expect(r.coverage.skipped).toEqual([]);
  });
});

describe('probes no difference can reach', () => {
  const pairs: [string, string][] = [
    ['ipvs-local', 'ipvs-cluster'],
    ['iptables-current', 'iptables-legacy-pre124'],
    ['ipvs-local', 'ipvs-local-node-b'],
    ['ipvs-cluster', 'ipvs-cluster-node-b'],
    ['iptables-current', 'ipvs-local'],
    ['docker-host', 'iptables-current'],
  ];

  it.each(pairs)('are not traced, and tracing them anyway changes nothing (%s vs %s)', (x, y) => {
    const a = sample(x);
    const b = sample(y);
    const pruned = diffNodes(a, b);
    const all = diffNodes(a, b, { exhaustive: true });
    expect(all.coverage.traced).toBe(all.coverage.total);
    expect(ids(pruned)).toEqual(ids(all));
  });

  it('skips most probes when the nodes differ in one Service', () => {
    const r = diffNodes(sample('ipvs-local'), sample('ipvs-cluster'));
    expect(r.coverage.unreached).toBeGreaterThan(r.coverage.total / 2);
  });

  it('traces every probe when a difference can meet any packet, and says which', () => {
    const b = editedSample('ipvs-local', (file, text) => (file === 'iptables-save.txt' ? text.replace('-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n', '') : text));
    const r = diffNodes(sample('ipvs-local'), b);
    expect(r.coverage.unreached).toBe(0);
    expect(r.coverage.everyProbeBecause).toMatch(/KUBE-POSTROUTING/);
    // Without the RETURN every forwarded packet is masqueraded on B.
    expect(r.behavioural.some((d) => d.probe.id === 'pod → 10.96.45.12:8080/tcp')).toBe(true);
  });
});

describe('two nodes of one cluster', () => {
  it('do not differ where an endpoint is local to one and remote to the other', () => {
    // ipvs-cluster-node-b is node-b of the same cluster: same Services, its own endpoints.
    const r = diffNodes(sample('ipvs-cluster'), sample('ipvs-cluster-node-b'));
    expect(r.behavioural).toEqual([]);
    expect(r.a.nodeIp).toBe('10.0.0.11');
    expect(r.b.nodeIp).toBe('10.0.0.12');
  });

  it('differ where a Local Service falls back to remote endpoints on the node without one', () => {
    const r = diffNodes(sample('ipvs-local'), sample('ipvs-local-node-b'));
    expect(ids(r)).toEqual(['external → node:30080/tcp', 'host → node:30080/tcp', 'pod → node:30080/tcp']);
    const d = r.behavioural[0]!;
    expect(d.firstDifference.a?.hook).toBe('ipvs');
    expect(d.firstDifference.reasons.join(' ')).toMatch(/B's IPVS TCP 10\.0\.0\.12:30080 sends to 10\.244\.3\.7:8080, which A's does not/);
  });
});
