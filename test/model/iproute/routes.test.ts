import { describe, expect, it } from 'vitest';
import { parseIpRouteText } from '../../../grammar/iproute/parse-route.js';
import { buildRoutes, type BuildRoutesOptions } from '../../../src/model/iproute/routes.js';
import type { Route } from '../../../src/model/iproute/types.js';

function routes(text: string, options?: BuildRoutesOptions) {
  return buildRoutes(parseIpRouteText({ name: 'ip-route.txt', text }), options);
}

function dest(route: Route): string {
  return route.destination === 'default' ? 'default' : route.destination.text;
}

describe('routes from ip route', () => {
  it('fills in what iproute2 leaves out: unicast, table main, proto boot, scope global', () => {
    const [r] = routes('10.244.175.0/24 via 172.18.0.4 dev eth0\n').routes;
    expect(r).toMatchObject({ type: 'unicast', table: 'main', proto: 'boot', scope: 'global', dev: 'eth0', onlink: false, family: 'ipv4' });
    expect(r!.via!.text).toBe('172.18.0.4');
  });

  it('reads every field of a full line', () => {
    const [r] = routes('default via 10.0.0.1 dev eth0 proto dhcp src 10.0.0.3 metric 100 \n').routes;
    expect(r).toMatchObject({ destination: 'default', proto: 'dhcp', metric: 100 });
    expect([r!.via!.text, r!.src!.text]).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('reads typed routes, the table they are in, and flags', () => {
    const list = routes(
      [
        'blackhole 10.244.0.0/26 proto bird',
        'local 10.96.0.1 dev kube-ipvs0 table local proto kernel scope host src 10.96.0.1',
        'throw 10.3.0.0/16 table 500',
        'unreachable 10.1.0.0/16',
        '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink',
        '10.13.42.136/29 dev ldit  proto kernel  scope link  src 10.13.42.137 linkdown',
      ].join('\n'),
    ).routes;
    expect(list.map((r) => [r.type, dest(r), r.table, r.scope])).toEqual([
      ['blackhole', '10.244.0.0/26', 'main', 'global'],
      ['local', '10.96.0.1', 'local', 'host'],
      ['throw', '10.3.0.0/16', 500, 'global'],
      ['unreachable', '10.1.0.0/16', 'main', 'global'],
      ['unicast', '10.244.1.0/24', 'main', 'global'],
      ['unicast', '10.13.42.136/29', 'main', 'link'],
    ]);
    expect(list[4]!.onlink).toBe(true);
    expect(list[5]!.flags).toEqual(['linkdown']);
  });

  it('takes the table from the caller or from the prompt command when lines do not say it', () => {
    expect(routes('throw 131.159.14.0/23\n', { table: 500 }).routes[0]!.table).toBe(500);
    expect(routes('$ ip route show table local\nlocal 10.0.0.3 dev eth0 proto kernel scope host src 10.0.0.3\n').routes[0]!.table).toBe('local');
    expect(routes('1.2.3.0/24 dev eth0 table 254\n').routes[0]!.table).toBe('main');
  });

  it('reads multipath nexthops with their weights', () => {
    const [r] = routes('172.16.0.0/16 proto static\n\tnexthop via 10.0.0.1 dev veth0 weight 1\n\tnexthop via 10.0.0.2 dev veth0 weight 3 dead\n').routes;
    expect(r!.nexthops!.map((n) => [n.via!.text, n.dev, n.weight, n.flags])).toEqual([
      ['10.0.0.1', 'veth0', 1, []],
      ['10.0.0.2', 'veth0', 3, ['dead']],
    ]);
  });

  it('decides the family from addresses, then `pref`, then the caller, then the line before', () => {
    const list = routes('fe80::/64 dev eth0 proto kernel metric 256 pref medium\ndefault dev wg0 metric 1024 pref medium\nunreachable default dev lo\n').routes;
    expect(list.map((r) => r.family)).toEqual(['ipv6', 'ipv6', 'ipv6']);
    expect(routes('default dev wg0\n', { family: 'ipv6' }).routes[0]!.family).toBe('ipv6');
    const assumed = routes('default dev wg0\n');
    expect(assumed.routes[0]!.family).toBe('ipv4');
    expect(assumed.diagnostics.map((d) => d.code)).toEqual(['iproute/family-assumed']);
  });

  it('reads IPv6 errors and a v4 route with an IPv6 gateway', () => {
    const list = routes('unreachable 2001:4ca0:2001::/48 dev lo  metric 1024  error -101\n10.0.0.0/8 via inet6 fe80::1 dev eth0\n').routes;
    expect(list[0]).toMatchObject({ type: 'unreachable', error: -101, metric: 1024, family: 'ipv6' });
    expect([list[1]!.family, list[1]!.via!.family]).toEqual(['ipv4', 'ipv6']);
  });

  it('leaves out, with an error, a route whose destination or gateway cannot be read', () => {
    const text = '-A INPUT -j ACCEPT\n10.0.0.0/8 via 10.0.0.X dev eth0\n10.1.0.0/16 dev eth0\n';
    const result = routes(text);
    expect(result.routes.map(dest)).toEqual(['10.1.0.0/16']);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, text.slice(d.at!.start, d.at!.end)])).toEqual([
      ['iproute/bad-destination', '-A'],
      ['iproute/bad-route-value', '10.0.0.X'],
    ]);
  });

  it('says which words it does not model', () => {
    const result = routes('10.0.0.0/8 dev eth0 encap mpls 200 frobnicate\n');
    const info = result.diagnostics.find((d) => d.code === 'iproute/unknown-words')!;
    expect(info.message).toContain('frobnicate');
    expect(info.message).toContain('encap mpls');
    expect(result.routes[0]!.unmodelled).toEqual(['200', 'frobnicate', 'encap mpls']);
  });
});
