import { describe, expect, it } from 'vitest';
import { buildNodeSnapshot } from '../../src/model/node.js';
import { lineColumnOf } from '../../grammar/source.js';

const rules = { name: 'iptables-save.txt', text: '*filter\n-A INPUT -i eth9 -m set --match-set NOPE src -j DROP\n-A INPUT -i veth+ -m set --match-set A src -j ACCEPT\nCOMMIT\n' };
const sets = { name: 'ipset-save.txt', text: 'create A hash:ip family inet hashsize 1024 maxelem 65536\n' };
const addrs = {
  name: 'ip-addr.txt',
  text: '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    inet 127.0.0.1/8 scope host lo\n5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default\n    inet 10.96.0.1/32 scope global kube-ipvs0\n    inet 10.96.0.99/32 scope global kube-ipvs0\n',
};
const ipvs = { name: 'ipvsadm.txt', text: 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\nTCP  10.96.0.1:443 rr\n  -> 172.18.0.3:6443              Masq    1      0          0\nTCP  10.0.0.100:80 rr\n  -> 10.244.1.5:8080              Masq    1      0          0\n' };

function where(d: { at: { source: { text: string; name: string }; start: number } | null }) {
  return `${d.at!.source.name}:${lineColumnOf(d.at!.source as never, d.at!.start).line}`;
}

describe('the node snapshot joins its files and cross-checks them', () => {
  const node = buildNodeSnapshot('n', [rules, sets, addrs, ipvs]);
  const codes = node.diagnostics.map((d) => `${d.code}@${where(d)}`);

  it('reads every kind of file into its part', () => {
    expect(node.ipv4?.tables.map((t) => t.name)).toEqual(['filter']);
    expect(node.ipsets?.map((s) => s.name)).toEqual(['A']);
    expect(node.interfaces?.map((i) => i.name)).toEqual(['lo', 'kube-ipvs0']);
    expect(node.ipvs?.services).toHaveLength(2);
    expect(node.missing.map((m) => m.what)).toEqual(['routes', 'sysctls']);
  });

  it('warns, at the line that says so, about a set the ipset dump lacks and an interface ip addr lacks', () => {
    expect(codes).toContain('node/set-not-in-dump@iptables-save.txt:2');
    expect(codes).toContain('node/interface-missing@iptables-save.txt:2');
    expect(codes.filter((c) => c.startsWith('node/interface-missing'))).toHaveLength(1);
  });

  it('says which virtual addresses are not bound, and which bound addresses have no virtual service', () => {
    expect(codes).toContain('node/ipvs-vip-not-bound@ipvsadm.txt:6');
    expect(codes).toContain('node/bound-without-ipvs-service@ip-addr.txt:5');
    expect(codes.filter((c) => c.startsWith('node/ipvs-vip-not-bound'))).toHaveLength(1);
  });

  it('says what a missing ipset dump costs when rules use sets', () => {
    const bare = buildNodeSnapshot('n', [rules]);
    expect(bare.missing.find((m) => m.what === 'ipsets')?.consequence).toContain('-m set');
  });
});
