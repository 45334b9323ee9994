import { describe, expect, it } from 'vitest';
import { parseIpAddrText } from '../../../grammar/iproute/parse-addr.js';
import { buildInterfaces, localAddresses } from '../../../src/model/iproute/index.js';
import { buildRoutes } from '../../../src/model/iproute/routes.js';
import { parseIpRouteText } from '../../../grammar/iproute/parse-route.js';

function interfaces(text: string) {
  return buildInterfaces(parseIpAddrText({ name: 'ip-addr.txt', text }));
}

const NODE = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000
    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff
    inet 10.0.0.3/24 brd 10.0.0.255 scope global dynamic eth0
       valid_lft 3599sec preferred_lft 3599sec
    inet 10.0.0.77/24 scope global secondary eth0:vip
       valid_lft forever preferred_lft forever
    inet6 2001:db8::3/64 scope global
       valid_lft forever preferred_lft forever
3: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default
    link/ether 5e:3c:20:ad:9b:1a brd ff:ff:ff:ff:ff:ff
    inet 10.96.0.1/32 scope global kube-ipvs0
       valid_lft forever preferred_lft forever
    inet 10.96.0.10/32 scope global kube-ipvs0
       valid_lft forever preferred_lft forever
4: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default
    link/ether 9a:1e:7b:4f:22:10 brd ff:ff:ff:ff:ff:ff
    inet 10.244.0.0/32 scope global flannel.1
       valid_lft forever preferred_lft forever
5: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000
    link/ether 2a:81:4b:0c:d5:55 brd ff:ff:ff:ff:ff:ff
    inet 10.244.0.1/24 brd 10.244.0.255 scope global cni0
       valid_lft forever preferred_lft forever
6: vethd2a1c1e4@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master cni0 state UP group default
    link/ether 1e:57:61:1d:cb:55 brd ff:ff:ff:ff:ff:ff link-netnsid 0
7: tun0: <POINTOPOINT,MULTICAST,NOARP,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UNKNOWN group default qlen 100
    link/none
    inet 10.10.10.1 peer 10.10.10.2/32 scope global tun0
       valid_lft forever preferred_lft forever
8: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc htb state UP qlen 1000
    inet [PUBLIC IP HERE] scope global eth1
    inet6 fe80::2XX:XXXX:XXXX:XXXX/64 scope link
`;

describe('interfaces from ip addr', () => {
  it('keeps the exact address and the network it is on', () => {
    const { byName } = interfaces(NODE);
    const [first, second, v6] = byName.get('eth0')!.addresses;
    expect([first!.address.text, first!.address.prefix, first!.prefix.text, first!.prefixLength]).toEqual(['10.0.0.3', 32, '10.0.0.0/24', 24]);
    expect(first!.broadcast!.text).toBe('10.0.0.255');
    expect([first!.secondary, first!.flags, first!.validLifetime]).toEqual([false, ['dynamic'], 3599]);
    expect([second!.secondary, second!.label, second!.validLifetime]).toEqual([true, 'eth0:vip', 'forever']);
    expect([v6!.family, v6!.address.prefix, v6!.prefixLength]).toEqual(['ipv6', 128, 64]);
    expect(byName.get('lo')!.addresses[0]!.scope).toBe('host');
  });

  it('reads a point-to-point address: local host, peer, and the peer prefix', () => {
    const tun = interfaces(NODE).byName.get('tun0')!.addresses[0]!;
    expect([tun.address.text, tun.peer?.text, tun.prefix.text, tun.prefixLength]).toEqual(['10.10.10.1', '10.10.10.2', '10.10.10.2', 32]);
  });

  it('reads state, flags, mtu, master and link; guesses kinds from names and says so', () => {
    const { byName } = interfaces(NODE);
    expect(byName.get('kube-ipvs0')).toMatchObject({ state: 'DOWN', kind: 'dummy', kindFrom: 'name', mtu: 1500 });
    expect(byName.get('flannel.1')).toMatchObject({ kind: 'vxlan', kindFrom: 'name' });
    expect(byName.get('cni0')).toMatchObject({ kind: 'bridge', kindFrom: 'name' });
    expect(byName.get('vethd2a1c1e4')).toMatchObject({ kind: 'veth', master: 'cni0', link: 'if3', index: 6 });
    expect(byName.get('lo')).toMatchObject({ kind: 'loopback', kindFrom: 'link-type', linkType: 'loopback' });
    expect(byName.get('eth0')!.kind).toBeUndefined();
    expect(byName.get('eth0')!.flags).toEqual(['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']);
  });

  it('takes the kind from -d details over the name', () => {
    const { byName } = interfaces('3: cni0: <UP> mtu 1500\n    link/ether 2a:81:4b:0c:d5:55 brd ff:ff:ff:ff:ff:ff\n    vxlan id 4 dev eth0\n');
    expect(byName.get('cni0')).toMatchObject({ kind: 'vxlan', kindFrom: 'details' });
  });

  it('reports anonymised addresses where they are and keeps the interface', () => {
    const table = interfaces(NODE);
    const errors = table.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => [e.code, NODE.slice(e.at!.start, e.at!.end)])).toEqual([
      ['iproute/bad-address', '[PUBLIC'],
      ['iproute/bad-address', 'fe80::2XX:XXXX:XXXX:XXXX/64'],
    ]);
    expect(table.byName.get('eth1')!.addresses).toEqual([]);
  });

  it('gives the node its own addresses, with the interface of each', () => {
    const { interfaces: list } = interfaces(NODE);
    const local = localAddresses(list);
    expect(local.filter((l) => l.interface === 'kube-ipvs0').map((l) => l.address.text)).toEqual(['10.96.0.1', '10.96.0.10']);
    expect(local.every((l) => l.from === 'address')).toBe(true);
    expect(local.map((l) => l.address.text)).toContain('10.0.0.77');
  });

  it('adds the local routes of table local: a whole prefix, and addresses on no interface line', () => {
    const { interfaces: list } = interfaces(NODE);
    const routes = buildRoutes(parseIpRouteText({
      name: 'ip route show table local',
      text: 'local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1\nlocal 10.96.0.1 dev kube-ipvs0 proto kernel scope host src 10.96.0.1\nlocal 192.0.2.0/24 dev lo scope host\nbroadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.3\n',
    }), { table: 'local' }).routes;
    const local = localAddresses(list, routes);
    const fromRoutes = local.filter((l) => l.from === 'local-route').map((l) => `${l.interface} ${l.address.text}`);
    expect(fromRoutes).toEqual(['lo 127.0.0.0/8', 'lo 192.0.2.0/24']);
    expect(local.filter((l) => l.address.text === '10.96.0.1')).toHaveLength(1);
  });
});
