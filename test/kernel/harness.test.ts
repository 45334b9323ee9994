/**
 * The kernel harness against the kernel: a tiny hand-written ruleset is loaded into a node
 * namespace and each kind of packet fate (DNAT to another node, MASQUERADE, DROP, REJECT, OUTPUT
 * DNAT, NodePort from outside, local delivery, delivery to a local pod, IPv6) is probed and must
 * be observed as the rules say. Also: namespace lifecycle, the legacy backend, roundTrip and
 * restoreTest. Skips, saying why, unless root with `ip netns`, nft, ipset and conntrack.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTopology,
  createNamespace,
  deleteNamespace,
  kernelAvailable,
  probe,
  registeredNamespaces,
  restoreTest,
  roundTrip,
  withNamespace,
  type ProbeResult,
  type Topology,
} from './harness/index.js';

const kernel = kernelAvailable();
if (!kernel.ok) console.warn(`[kernel/harness] skipped: ${kernel.why}.`);
const legacy = kernel.ok && kernel.backends.includes('legacy');
if (kernel.ok && !legacy) console.warn('[kernel/harness] iptables-legacy does not load rules here: the legacy-backend test is skipped.');

const rules = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.7:8080
-A PREROUTING -d 10.96.0.11/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.6:8080
-A PREROUTING -d 10.96.0.13/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.7:9999
-A PREROUTING -d 10.96.0.14/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.1.5:8080
-A PREROUTING -d 10.0.0.11/32 -p tcp -m tcp --dport 30080 -j DNAT --to-destination 10.244.2.7:8080
-A OUTPUT -d 10.96.0.12/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.244.2.7:6443
-A POSTROUTING -s 10.244.1.0/24 ! -d 10.244.0.0/16 -o eth0 -j MASQUERADE
-A POSTROUTING -s 203.0.113.0/24 -d 10.244.2.7/32 -p tcp -m tcp --dport 8080 -j MASQUERADE
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -d 10.244.2.7/32 -p tcp -m tcp --dport 9999 -j DROP
-A FORWARD -d 10.244.2.7/32 -p tcp -m tcp --dport 9998 -j REJECT --reject-with tcp-reset
-A FORWARD -d 10.244.2.7/32 -p udp -m udp --dport 9997 -j REJECT --reject-with icmp-port-unreachable
-A OUTPUT -d 10.244.2.7/32 -p tcp -m tcp --dport 9996 -j DROP
-A OUTPUT -d 10.244.2.7/32 -p udp -m udp --dport 9996 -j DROP
COMMIT
`;

const rules6 = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d fd00:10:96::10/128 -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd00:10:244:2::7]:8080
COMMIT
`;

/** The whole result on failure, so a wrong observation explains itself. */
function explain(r: ProbeResult): string {
  const obs = r.raw.observations.map((o) => `  ${o.ns} ${o.stage} ${o.iface} ${o.flow.src}:${o.flow.sport} → ${o.flow.dst}:${o.flow.dport}`);
  return [`sender: ${JSON.stringify(r.raw.sender)}`, `signals: ${JSON.stringify(r.raw.signals)}`, 'observations:', ...obs, `conntrack:\n${r.raw.conntrackText}`, `unreadable: ${JSON.stringify(r.raw.conntrackUnreadable)}`].join('\n');
}

function rootLinkNames(): string[] {
  const out = spawnSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' }).stdout;
  return (JSON.parse(out) as Array<{ ifname: string }>).map((l) => l.ifname);
}

function namespaceList(): string {
  return spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
}

describe.skipIf(!kernel.ok)('kernel harness: probes against a hand-written ruleset', () => {
  let topo: Topology;

  beforeAll(async () => {
    topo = await buildTopology({
      area: 'harness',
      pods: [
        { name: 'client', address: '10.244.1.5', address6: 'fd00:10:244:1::5' },
        { name: 'web', address: '10.244.1.6' },
      ],
      remotes: [{ name: 'ep', addresses: ['10.244.2.7', 'fd00:10:244:2::7'] }],
      extraLocalAddresses: [{ iface: 'kube-ipvs0', addresses: ['10.96.0.50/32'] }],
      rules: { iptables: rules, ip6tables: rules6 },
    });
  });

  afterAll(async () => {
    await topo?.destroy();
  });

  it('names its namespaces iptl-<area>-<pid>-<n> and creates nothing in the root namespace', () => {
    const pattern = new RegExp(`^iptl-harness-${process.pid}-\\d+$`);
    const names = topo.roles().map(([, ns]) => ns.name);
    expect(names).toHaveLength(5);
    for (const name of names) expect(name).toMatch(pattern);
    expect(new Set(names).size).toBe(names.length);
    const root = rootLinkNames();
    for (const ours of ['cni0', 'to-node', 'vethpod0', 'vethpod1', 'to-remote0', 'kube-ipvs0']) expect(root).not.toContain(ours);
  });

  it('applies the node sysctls it reports', async () => {
    expect(topo.layout.sysctls['net.ipv4.ip_forward']).toBe('1');
    expect((await topo.node.run(['sysctl', '-n', 'net.ipv4.ip_forward'])).trim()).toBe('1');
    expect((await topo.node.run(['sysctl', '-n', 'net.ipv4.conf.all.rp_filter'])).trim()).toBe('0');
  });

  it('loads the rules with the nft backend and keeps its observer out of iptables-save', async () => {
    const saved = await topo.node.run(['iptables-nft-save']);
    expect(saved).toContain('-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.7:8080');
    expect(saved).not.toMatch(/iptl_observe|Warning/);
    expect(await topo.node.run(['iptables-legacy-save'])).not.toContain('DNAT');
  });

  it('pod → ClusterIP DNATed to an endpoint on another node: dnat 10.244.2.7:8080, leaves by eth0, not masqueraded', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.96.0.10', dport: 80 });
    expect(r.disposition, explain(r)).toBe('egress');
    expect(r.egressIface).toBe('eth0');
    expect(r.dnat).toEqual({ ip: '10.244.2.7', port: 8080 });
    expect(r.snat).toBeNull();
    expect(r.reached).toEqual(['upstream', 'remote:ep']);
    expect(r.conntrack?.original).toMatchObject({ src: '10.244.1.5', dst: '10.96.0.10', dport: 80 });
    expect(r.conntrack?.reply).toMatchObject({ src: '10.244.2.7', sport: 8080, dst: '10.244.1.5' });
    // The grammar reads every event line this conntrack printed.
    expect(r.raw.conntrackEvents.map((e) => e.event)).toContain('new');
    expect(r.raw.conntrackUnreadable).toEqual([]);
  });

  it('pod → outside the cluster: MASQUERADE gives snat 10.0.0.11', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '198.51.100.7', dport: 443 });
    expect(r.disposition, explain(r)).toBe('egress');
    expect(r.egressIface).toBe('eth0');
    expect(r.snat?.ip).toBe('10.0.0.11');
    expect(r.dnat).toBeNull();
    expect(r.reached).toEqual(['upstream']);
    const atUpstream = r.raw.observations.find((o) => o.ns === 'upstream' && o.stage === 'arrived');
    expect(atUpstream?.flow.src).toBe('10.0.0.11');
  });

  it('a DROP in filter FORWARD is a drop, with no conntrack entry', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.244.2.7', dport: 9999 });
    expect(r.disposition, explain(r)).toBe('drop');
    expect(r.conntrack).toBeNull();
    expect(r.reached).toEqual([]);
    expect(r.raw.sender.kind).toBe('timeout');
  });

  it('a DNAT before a FORWARD DROP is still seen (from the observer, not conntrack)', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.96.0.13', dport: 80 });
    expect(r.disposition, explain(r)).toBe('drop');
    expect(r.conntrack).toBeNull();
    expect(r.dnat).toEqual({ ip: '10.244.2.7', port: 9999 });
    expect(r.snat).toBeUndefined();
  });

  it('a REJECT --reject-with tcp-reset is a reject, the reset coming from the address the pod called', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.244.2.7', dport: 9998 });
    expect(r.disposition, explain(r)).toBe('reject');
    expect(r.raw.sender.kind).toBe('refused');
    expect(r.raw.signals).toContainEqual(expect.objectContaining({ kind: 'tcp-reset', from: { ip: '10.244.2.7', port: 9998 } }));
    expect(r.reached).toEqual([]);
  });

  it('a UDP REJECT with icmp-port-unreachable is a reject carrying that ICMP error', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'udp', dst: '10.244.2.7', dport: 9997 });
    expect(r.disposition, explain(r)).toBe('reject');
    expect(r.raw.signals).toContainEqual(expect.objectContaining({ kind: 'icmp', type: 'destination-unreachable', code: 'port-unreachable' }));
    expect(r.reached).toEqual([]);
  });

  it('UDP that nothing stops leaves and reaches the remote', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'udp', dst: '10.244.2.7', dport: 53 });
    expect(r.disposition, explain(r)).toBe('egress');
    expect(r.reached).toEqual(['upstream', 'remote:ep']);
    expect(r.conntrack?.original.protocol).toBe('udp');
  });

  it('host → a Service through nat OUTPUT DNAT', async () => {
    const r = await probe(topo, { origin: 'host', protocol: 'tcp', dst: '10.96.0.12', dport: 443 });
    expect(r.disposition, explain(r)).toBe('egress');
    expect(r.egressIface).toBe('eth0');
    expect(r.dnat).toEqual({ ip: '10.244.2.7', port: 6443 });
    expect(r.snat).toBeNull();
    expect(r.conntrack?.original.src).toBe('10.0.0.11');
    expect(r.reached).toEqual(['upstream', 'remote:ep']);
  });

  it('host: a DROP in filter OUTPUT is a drop (TCP retries in silence, UDP gets EPERM)', async () => {
    const tcp = await probe(topo, { origin: 'host', protocol: 'tcp', dst: '10.244.2.7', dport: 9996 });
    expect(tcp.disposition, explain(tcp)).toBe('drop');
    expect(tcp.raw.sender.kind).toBe('timeout');
    expect(tcp.raw.observations).toContainEqual(expect.objectContaining({ ns: 'node', stage: 'routed-out', iface: 'eth0' }));
    const udp = await probe(topo, { origin: 'host', protocol: 'udp', dst: '10.244.2.7', dport: 9996 });
    expect(udp.disposition, explain(udp)).toBe('drop');
    expect(udp.raw.sender.kind).toBe('blocked-locally');
  });

  it('external → a NodePort: DNAT to the remote endpoint, masqueraded to the node address', async () => {
    const r = await probe(topo, { origin: 'external', protocol: 'tcp', src: '203.0.113.7', dst: '10.0.0.11', dport: 30080 });
    expect(r.disposition, explain(r)).toBe('egress');
    expect(r.egressIface).toBe('eth0');
    expect(r.dnat).toEqual({ ip: '10.244.2.7', port: 8080 });
    expect(r.snat?.ip).toBe('10.0.0.11');
    expect(r.conntrack?.original.src).toBe('203.0.113.7');
    expect(r.reached).toEqual(['upstream', 'remote:ep']);
  });

  it('pod → the node address is local', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.0.0.11', dport: 10250 });
    expect(r.disposition, explain(r)).toBe('local');
    expect(r.egressIface).toBeUndefined();
    expect(r.dnat).toBeNull();
    expect(r.reached).toEqual([]);
  });

  it('an address on kube-ipvs0 (down, or a port-less bridge) is local', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.96.0.50', dport: 80 });
    expect(r.disposition, explain(r)).toBe('local');
  });

  it('pod → ClusterIP DNATed to a pod on the same node is local-pod via cni0', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.96.0.11', dport: 80 });
    expect(r.disposition, explain(r)).toBe('local-pod');
    expect(r.egressIface).toBe('cni0');
    expect(r.dnat).toEqual({ ip: '10.244.1.6', port: 8080 });
    expect(r.reached).toEqual(['pod:web']);
  });

  it('hairpin: a pod calling a Service backed by itself gets its own packet back, unless its bridge port lacks hairpin mode', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.96.0.14', dport: 80 });
    expect(r.disposition, explain(r)).toBe('local-pod');
    expect(r.egressIface).toBe('cni0');
    expect(r.dnat).toEqual({ ip: '10.244.1.5', port: 8080 });
    expect(r.reached).toEqual(['pod:client']);
    // br_netfilter bridges the DNATed frame back towards the port it came from; without hairpin
    // mode the bridge (br_forward.c should_deliver) refuses, and the packet is lost.
    const port = topo.layout.pods.find((p) => p.name === 'client')!.hostIface;
    await topo.node.ip(['link', 'set', port, 'type', 'bridge_slave', 'hairpin', 'off']);
    try {
      const lost = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.96.0.14', dport: 80 });
      expect(lost.disposition, explain(lost)).toBe('drop');
      expect(lost.reached).toEqual([]);
    } finally {
      await topo.node.ip(['link', 'set', port, 'type', 'bridge_slave', 'hairpin', 'on']);
    }
  });

  it('IPv6: an ip6tables DNAT is observed the same way', async () => {
    const r = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: 'fd00:10:96::10', dport: 80 });
    expect(r.disposition, explain(r)).toBe('egress');
    expect(r.dnat).toEqual({ ip: 'fd00:10:244:2::7', port: 8080 });
    expect(r.conntrack?.original.src).toBe('fd00:10:244:1::5');
    expect(r.reached).toEqual(['upstream', 'remote:ep']);
  });

  it('probes do not leak into each other: each one sees only its own flow', async () => {
    const a = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.96.0.10', dport: 80 });
    const b = await probe(topo, { origin: 'pod', pod: 'client', protocol: 'tcp', dst: '10.244.2.7', dport: 9999 });
    expect(a.disposition).toBe('egress');
    expect(b.disposition, explain(b)).toBe('drop');
    expect(b.raw.observations.every((o) => o.flow.sport === b.raw.sent.sport)).toBe(true);
    expect(b.raw.conntrackEvents).toEqual([]);
  });

  it('refuses a probe it cannot send instead of inventing a result', async () => {
    await expect(probe(topo, { origin: 'host', protocol: 'tcp', src: '192.0.2.99', dst: '10.244.2.7', dport: 80 })).rejects.toThrow(/could not send/);
    await expect(probe(topo, { origin: 'pod', pod: 'nobody', protocol: 'tcp', dst: '10.244.2.7', dport: 80 })).rejects.toThrow(/no pod/);
  });
});

describe.skipIf(!kernel.ok)('kernel harness: namespace lifecycle', () => {
  it('creates and deletes namespaces, and withNamespace deletes even when its body fails', async () => {
    const ns = await createNamespace('harness');
    expect(namespaceList()).toContain(ns.name);
    expect(registeredNamespaces()).toContain(ns.name);
    await deleteNamespace(ns);
    expect(namespaceList()).not.toContain(ns.name);
    let inside = '';
    await expect(
      withNamespace('harness', async (n) => {
        inside = n.name;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(inside).not.toBe('');
    expect(namespaceList()).not.toContain(inside);
  });

  it('destroy() removes every namespace of a topology', async () => {
    const t = await buildTopology({ area: 'harness', pods: [], remotes: [{ name: 'r', addresses: ['10.244.9.9'] }] });
    const names = t.roles().map(([, ns]) => ns.name);
    for (const n of names) expect(namespaceList()).toContain(n);
    await t.destroy();
    await t.destroy();
    for (const n of names) expect(namespaceList()).not.toContain(n);
  });
});

describe.skipIf(!legacy)('kernel harness: the legacy backend', () => {
  let topo: Topology;
  beforeAll(async () => {
    topo = await buildTopology({ area: 'harness', backend: 'legacy', remotes: [{ name: 'ep', addresses: ['10.244.2.7'] }], rules: { iptables: rules } });
  });
  afterAll(async () => {
    await topo?.destroy();
  });

  it('loads with iptables-legacy-restore and the probe sees the same DNAT and DROP', async () => {
    expect(await topo.node.run(['iptables-legacy-save'])).toContain('--to-destination 10.244.2.7:8080');
    expect(await topo.node.run(['iptables-nft-save'])).not.toContain('DNAT');
    const dnat = await probe(topo, { origin: 'pod', protocol: 'tcp', dst: '10.96.0.10', dport: 80 });
    expect(dnat.disposition, explain(dnat)).toBe('egress');
    expect(dnat.dnat).toEqual({ ip: '10.244.2.7', port: 8080 });
    const drop = await probe(topo, { origin: 'pod', protocol: 'tcp', dst: '10.244.2.7', dport: 9999 });
    expect(drop.disposition, explain(drop)).toBe('drop');
  });
});

describe.skipIf(!kernel.ok)('kernel harness: roundTrip and restoreTest', () => {
  const loose = '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.96.0.10 -p tcp --dport 80 -j DNAT --to-destination 10.244.2.7:8080\nCOMMIT\n';

  it('returns what iptables-save prints after iptables-restore (the kernel adds -m tcp and /32)', async () => {
    for (const backend of kernel.ok ? kernel.backends : []) {
      const r = await roundTrip(loose, { backend });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      if (r.ok) expect(r.saved).toContain('-A PREROUTING -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.7:8080');
    }
  });

  it('round-trips IPv6 through ip6tables', async () => {
    const r = await roundTrip(rules6, { family: 'ipv6' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) expect(r.saved).toContain('--to-destination [fd00:10:244:2::7]:8080');
  });

  it('restores the ipsets first when given, and fails at restore without them', async () => {
    const text = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT\nCOMMIT\n';
    const sets = 'create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536\nadd KUBE-CLUSTER-IP 10.96.0.10,tcp:80\n';
    const withSets = await roundTrip(text, { ipset: sets });
    expect(withSets.ok, JSON.stringify(withSets)).toBe(true);
    if (withSets.ok) expect(withSets.saved).toContain('--match-set KUBE-CLUSTER-IP dst,dst');
    const without = await roundTrip(text);
    expect(without).toMatchObject({ ok: false, step: 'restore' });
  });

  it('restoreTest says whether iptables-restore --test accepts a file, with its message', async () => {
    expect(await restoreTest(loose)).toMatchObject({ ok: true });
    const bad = await restoreTest('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -m no-such-match -j ACCEPT\nCOMMIT\n');
    expect(bad.ok).toBe(false);
    expect(bad.stderr).toMatch(/line:? 3/);
  });

  it('roundTrip reports what only the kernel refuses (DNAT outside the nat table) as a failed restore', async () => {
    const r = await roundTrip('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -j DNAT --to-destination 10.0.0.1\nCOMMIT\n');
    expect(r).toMatchObject({ ok: false, step: 'restore' });
  });

  it('leaves no namespace behind', () => {
    const ours = namespaceList().split('\n').filter((l) => l.startsWith(`iptl-roundtrip-${process.pid}-`) || l.startsWith(`iptl-restoretest-${process.pid}-`));
    expect(ours).toEqual([]);
  });
});
