import { describe, expect, it } from 'vitest';
import { diffNodes } from '../../src/diff/index.js';
import type { StructuralChange } from '../../src/diff/types.js';
import { editedSample, node, sample } from './support.js';

type Of<K extends StructuralChange['kind']> = Extract<StructuralChange, { kind: K }>;
const ofKind = <K extends StructuralChange['kind']>(changes: readonly StructuralChange[], kind: K): Of<K>[] => changes.filter((c): c is Of<K> => c.kind === kind);

describe('structural diff of sample nodes', () => {
  it('finds nothing between a node and itself', () => {
    for (const name of ['iptables-current', 'ipvs-local', 'calico']) {
      const r = diffNodes(sample(name), sample(name));
      expect(r.structural, name).toEqual([]);
      expect(r.behavioural, name).toEqual([]);
      expect(r.equivalent, name).toBe(true);
    }
  });

  it('names the KUBE-LOAD-BALANCER-LOCAL membership and the RETURN rule that make web/frontend Local (ipvs-local vs ipvs-cluster)', () => {
    const r = diffNodes(sample('ipvs-local'), sample('ipvs-cluster'));
    expect(r.equivalent).toBe(false);
    const members = ofKind(r.structural, 'ipset-members').find((c) => c.set === 'KUBE-LOAD-BALANCER-LOCAL');
    expect(members?.onlyA.map((m) => m.text)).toEqual(['10.0.0.100,tcp:80']);
    expect(members?.onlyB).toEqual([]);
    // Filed under the Service whose LB address the member names.
    expect(members?.group).toMatchObject({ kind: 'service', key: '10.96.120.5:80/tcp' });
    const rule = ofKind(r.structural, 'rule-only').find((c) => c.place.chain === 'KUBE-LOAD-BALANCER');
    expect(rule).toMatchObject({ side: 'a', index: 1 });
    expect(rule?.rule.text).toContain('--match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN');
    expect(rule?.rule.at?.source.name).toMatch(/ipvs-local\/iptables-save\.txt$/);
    // ipset save prints hash members in another order on each node: not a difference.
    expect(ofKind(r.structural, 'ipset-members').map((c) => c.set).sort()).toEqual(['KUBE-HEALTH-CHECK-NODE-PORT', 'KUBE-LOAD-BALANCER-LOCAL', 'KUBE-NODE-PORT-LOCAL-TCP']);
    const servers = ofKind(r.structural, 'ipvs-real-servers').map((c) => [c.service, c.onlyB.map((x) => x.text)]);
    expect(servers).toContainEqual(['tcp 10.0.0.100:80', ['10.244.3.7:8080 masq weight 1']]);
  });

  it('groups the rules of two kube-proxy generations by Service and says which chains each has', () => {
    const r = diffNodes(sample('iptables-current'), sample('iptables-legacy-pre124'));
    const frontend = r.structural.filter((c) => c.group.kind === 'service' && c.group.label === 'web/frontend:http/tcp');
    const chains = ofKind(frontend, 'chain-only').map((c) => `${c.side}:${c.place.chain}`).sort();
    expect(chains).toEqual(['a:KUBE-EXT-XQW6G4JP7X6Y57U2', 'a:KUBE-SVL-XQW6G4JP7X6Y57U2', 'b:KUBE-FW-XQW6G4JP7X6Y57U2', 'b:KUBE-XLB-XQW6G4JP7X6Y57U2']);
    // The endpoint chains are the same (same hash, same DNAT) on both: not listed.
    expect(r.structural.some((c) => 'place' in c && c.place.chain.startsWith('KUBE-SEP-'))).toBe(false);
    // Comment-only differences are listed but do not count.
    const comments = ofKind(r.structural, 'rule-comment');
    expect(comments.length).toBeGreaterThan(0);
    expect(comments.every((c) => !c.matters)).toBe(true);
    expect(r.notes).toContainEqual({ kind: 'comments-ignored', rules: comments.length });
    // Masquerade rules moved from KUBE-SVC- (current) to KUBE-SERVICES (pre-1.24), filed under their Service by comment.
    const kubernetes = r.structural.filter((c) => c.group.kind === 'service' && c.group.label === 'default/kubernetes:https/tcp');
    expect(ofKind(kubernetes, 'rule-only').map((c) => `${c.side}:${c.place.chain}`).sort()).toEqual(['a:KUBE-SVC-NPX46M4PTMTKRN6Y', 'b:KUBE-SERVICES']);
  });
});

describe('what does not count', () => {
  const rules = (counters: string, comment: string) =>
    `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT ${counters}\n:OUTPUT ACCEPT [0:0]\n${counters} -A FORWARD -s 10.1.0.0/16 -m comment --comment "${comment}" -j ACCEPT\n${counters} -A FORWARD -d 10.2.0.0/16 -j DROP\nCOMMIT\n`;

  it('ignores counters entirely and lists a comment change as not mattering', () => {
    const a = node('a', { 'iptables-save.txt': rules('[1:100]', 'allow pods') });
    const b = node('b', { 'iptables-save.txt': rules('[987:654321]', 'pods may pass') });
    const r = diffNodes(a, b);
    expect(r.structural.map((c) => [c.kind, c.matters])).toEqual([['rule-comment', false]]);
    expect(r.equivalent).toBe(true);
    expect(r.notes).toContainEqual({ kind: 'counters-ignored' });
  });

  it('compares rules by meaning: the same rule written another way is the same rule', () => {
    const a = node('a', { 'iptables-save.txt': '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -p tcp -m tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n' });
    const b = node('b', { 'iptables-save.txt': '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -j ACCEPT\nCOMMIT\n' });
    expect(diffNodes(a, b).structural).toEqual([]);
  });

  it('shows a reordered rule as moved, and it matters', () => {
    const chain = (order: string[]) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${order.map((r) => `-A INPUT ${r}\n`).join('')}COMMIT\n`;
    const rs = ['-s 10.0.0.1 -j DROP', '-s 10.0.0.2 -j DROP', '-s 10.0.0.0/24 -j ACCEPT', '-s 10.0.0.3 -j DROP', '-j DROP'];
    const a = node('a', { 'iptables-save.txt': chain(rs) });
    const b = node('b', { 'iptables-save.txt': chain([rs[0]!, rs[1]!, rs[3]!, rs[2]!, rs[4]!]) });
    const r = diffNodes(a, b);
    expect(r.structural.map((c) => c.kind)).toEqual(['rule-moved']);
    expect(r.structural[0]).toMatchObject({ aIndex: 3, bIndex: 4, matters: true });
    expect(r.equivalent).toBe(false);
  });

  it('pairs KUBE-SEP- chains by endpoint when their names differ, and says it does not matter', () => {
    // Another kube-proxy naming the same endpoint chain differently.
    const b = editedSample('iptables-current', (_f, text) => text.replaceAll('KUBE-SEP-QT5XCBCWAQBU75YJ', 'KUBE-SEP-AAAAAAAAAAAAAAAA'));
    const r = diffNodes(sample('iptables-current'), b);
    expect(r.structural.map((c) => [c.kind, c.matters])).toEqual([['chain-renamed', false]]);
    expect(r.structural[0]).toMatchObject({ a: 'KUBE-SEP-QT5XCBCWAQBU75YJ', b: 'KUBE-SEP-AAAAAAAAAAAAAAAA', endpoint: '10.244.1.5:8080', group: { kind: 'service', label: 'web/frontend:http/tcp' } });
    expect(r.equivalent).toBe(true);
  });
});

describe('node facts', () => {
  it('lists what kube-ipvs0 holds only on one node, under its Service', () => {
    const b = editedSample('ipvs-local', (file, text) => (file === 'ip-addr.txt' ? text.replace(/    inet 10\.96\.45\.12\/32 scope global kube-ipvs0\n.*\n/, '') : file === 'ip-route.txt' ? text.replace(/local 10\.96\.45\.12 .*\n/, '') : text));
    const r = diffNodes(sample('ipvs-local'), b);
    const addresses = ofKind(r.structural, 'local-addresses');
    expect(addresses.map((c) => [c.iface, c.onlyA.map((x) => x.text), c.onlyB.length])).toEqual([['kube-ipvs0', ['10.96.45.12 on kube-ipvs0'], 0]]);
    expect(addresses[0]!.group).toMatchObject({ kind: 'service', key: '10.96.45.12:8080/tcp' });
    // Without the address the cluster IP is not local: IPVS does not take the packet.
    expect(r.behavioural.some((d) => d.probe.address === '10.96.45.12')).toBe(true);
  });

  it('lists the sysctls a trace consults, and a node that gave no sysctl dump', () => {
    const b = editedSample('ipvs-local', (file, text) => (file === 'sysctl.txt' ? text.replace('net.ipv4.conf.all.rp_filter = 2', 'net.ipv4.conf.all.rp_filter = 1').replace('net.ipv4.conf.all.arp_ignore = 0', 'net.ipv4.conf.all.arp_ignore = 1') : text));
    const r = diffNodes(sample('ipvs-local'), b);
    expect(ofKind(r.structural, 'sysctl').map((c) => [c.key, c.a?.text, c.b?.text])).toEqual([['net.ipv4.conf.all.rp_filter', 'net.ipv4.conf.all.rp_filter = 2', 'net.ipv4.conf.all.rp_filter = 1']]);
    const c = editedSample('ipvs-local', (file, text) => (file === 'sysctl.txt' ? '' : text));
    expect(ofKind(diffNodes(sample('ipvs-local'), c).structural, 'input-only')).toMatchObject([{ what: 'sysctls', side: 'a' }]);
  });

  it('lists routes one node has, not the ones the kernel derives from addresses', () => {
    const b = editedSample('ipvs-local', (file, text) => (file === 'ip-route.txt' ? text.replace('default via 10.0.0.1 dev eth0 \n', 'default via 10.0.0.254 dev eth0 \n') : text));
    const r = diffNodes(sample('ipvs-local'), b);
    expect(ofKind(r.structural, 'route-only').map((c) => `${c.side} ${c.route.text}`)).toEqual(['a default via 10.0.0.1 dev eth0', 'b default via 10.0.0.254 dev eth0']);
  });
});

describe("the nodes' own addresses", () => {
  // node-a's files as if taken on node-b: its address, pod bridge and pod prefix changed.
  const moved = () =>
    editedSample('iptables-current', (file, text) =>
      file === 'iptables-save.txt' ? text : text.replaceAll('10.0.0.11', '10.0.0.12').replaceAll('10.244.1.1/24', '10.244.2.1/24').replaceAll('10.244.1.1 ', '10.244.2.1 ').replaceAll('10.244.1.0/24', '10.244.2.0/24').replaceAll('10.244.1.255', '10.244.2.255'),
    );

  it('matches A\'s node address and pod network to B\'s, so that only who they are does not make them differ', () => {
    const r = diffNodes(sample('iptables-current'), moved());
    expect(r.notes).toContainEqual({ kind: 'identity-matched', what: 'address', a: '10.0.0.11', b: '10.0.0.12' });
    expect(r.a).toMatchObject({ nodeIp: '10.0.0.11', podCidr: '10.244.1.0/24' });
    expect(r.b).toMatchObject({ nodeIp: '10.0.0.12', podCidr: '10.244.2.0/24' });
    expect(r.structural.filter((c) => c.matters).map((c) => c.kind)).not.toContain('local-addresses');
  });

  it('compares them literally when asked', () => {
    const r = diffNodes(sample('iptables-current'), moved(), { matchIdentity: false });
    expect(ofKind(r.structural, 'local-addresses').length).toBeGreaterThan(0);
    expect(r.equivalent).toBe(false);
  });
});

describe('odd inputs', () => {
  it('compares nodes that gave little or nothing without failing', () => {
    const empty = node('empty', { 'empty.txt': '' });
    const garbage = node('garbage', { 'notes.txt': 'hello\nworld\n', 'iptables-save.txt': '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j NOWHERE\n-A PREROUTING -p tcp --dport 99999 -j ACCEPT\n' });
    const ipv6 = sample('ipv6');
    for (const [a, b] of [
      [empty, empty],
      [empty, sample('ipvs-local')],
      [garbage, sample('docker-host')],
      [ipv6, sample('iptables-current')],
      [ipv6, ipv6],
    ] as const) {
      const r = diffNodes(a, b);
      expect(typeof r.equivalent).toBe('boolean');
      expect(r.coverage.traced + r.coverage.unreached).toBe(r.coverage.total);
    }
    expect(diffNodes(empty, empty).equivalent).toBe(true);
    const onlyB = diffNodes(empty, sample('ipvs-local'));
    expect(ofKind(onlyB.structural, 'ruleset-only')).toMatchObject([{ family: 'ipv4', side: 'b' }]);
    expect(ofKind(onlyB.structural, 'input-only').map((c) => c.what).sort()).toEqual(['interfaces', 'ipsets', 'ipvs', 'routes', 'sysctls']);
  });
});
