import { describe, expect, it } from 'vitest';
import { parseIpRouteText } from '../../../grammar/iproute/parse-route.js';
import type { AttributeSyntax } from '../../../grammar/iproute/syntax.js';

function parse(text: string) {
  return parseIpRouteText({ name: 'ip-route.txt', text });
}

function attrs(attributes: readonly AttributeSyntax[]): string[] {
  return attributes.map((a) => [a.name, ...a.values.map((v) => v.text)].join(' '));
}

describe('ip route', () => {
  it('reads each route form: default, via, onlink, typed routes, local table, old double spacing', () => {
    const text = [
      'default via 10.0.0.1 dev eth0 proto dhcp src 10.0.0.3 metric 100 ',
      '10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink ',
      'blackhole 10.244.0.0/26 proto bird ',
      'local 10.96.0.1 dev kube-ipvs0 table local proto kernel scope host src 10.96.0.1 ',
      'broadcast 10.0.0.255 dev eth0 table local proto kernel scope link src 10.0.0.3',
      'unreachable 10.1.0.0/16',
      'prohibit 10.2.0.0/16',
      'throw 10.3.0.0/16 table 500',
      '10.11.64.0/26 dev br1  proto kernel  scope link  src 10.11.64.1 ',
      'unreachable 2001:4ca0:2001::/48 dev lo  metric 1024  error -101',
      'fe80::/64 dev veth0 proto kernel metric 256 pref medium',
      '10.0.0.0/8 via inet6 fe80::1 dev eth0',
    ].join('\n');
    const syntax = parse(text);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.routes.map((r) => [r.type?.text ?? null, r.destination.text])).toEqual([
      [null, 'default'],
      [null, '10.244.1.0/24'],
      ['blackhole', '10.244.0.0/26'],
      ['local', '10.96.0.1'],
      ['broadcast', '10.0.0.255'],
      ['unreachable', '10.1.0.0/16'],
      ['prohibit', '10.2.0.0/16'],
      ['throw', '10.3.0.0/16'],
      [null, '10.11.64.0/26'],
      ['unreachable', '2001:4ca0:2001::/48'],
      [null, 'fe80::/64'],
      [null, '10.0.0.0/8'],
    ]);
    expect(attrs(syntax.routes[0]!.attributes)).toEqual(['via 10.0.0.1', 'dev eth0', 'proto dhcp', 'src 10.0.0.3', 'metric 100']);
    expect(attrs(syntax.routes[1]!.attributes)).toEqual(['via 10.244.1.0', 'dev flannel.1', 'onlink']);
    expect(attrs(syntax.routes[9]!.attributes)).toEqual(['dev lo', 'metric 1024', 'error -101']);
    expect(attrs(syntax.routes[11]!.attributes)).toEqual(['via inet6 fe80::1', 'dev eth0']);
    expect(text.slice(syntax.routes[2]!.at.start, syntax.routes[2]!.at.end)).toBe('blackhole 10.244.0.0/26 proto bird ');
  });

  it('gathers the nexthop lines of a multipath route, in both the plain and the -o form', () => {
    const plain = '172.16.0.0/16 proto static\n\tnexthop via 10.0.0.1 dev veth0 weight 1 \n\tnexthop via 10.0.0.2 dev veth0 weight 2 dead linkdown\n10.0.0.0/24 dev veth0\n';
    const oneline = '172.16.0.0/16 proto static \\\tnexthop via 10.0.0.1 dev veth0 weight 1 \\\tnexthop via 10.0.0.2 dev veth0 weight 2 dead linkdown\n10.0.0.0/24 dev veth0\n';
    for (const text of [plain, oneline]) {
      const syntax = parse(text);
      expect(syntax.diagnostics).toEqual([]);
      expect(syntax.routes).toHaveLength(2);
      const route = syntax.routes[0]!;
      expect(attrs(route.attributes)).toEqual(['proto static']);
      expect(route.nexthops.map((n) => attrs(n.attributes))).toEqual([
        ['via 10.0.0.1', 'dev veth0', 'weight 1'],
        ['via 10.0.0.2', 'dev veth0', 'weight 2', 'dead', 'linkdown'],
      ]);
    }
  });

  it('keeps words it does not know, marked unknown, rather than failing the line', () => {
    const syntax = parse('10.0.0.0/8 dev eth0 encap mpls 200/300 rtt 10ms frobnicate\n');
    expect(syntax.diagnostics).toEqual([]);
    const unknown = syntax.routes[0]!.attributes.filter((a) => !a.known).map((a) => a.name);
    expect(unknown).toEqual(['200/300', 'frobnicate']);
    expect(attrs(syntax.routes[0]!.attributes)).toContain('encap mpls');
    expect(attrs(syntax.routes[0]!.attributes)).toContain('rtt 10ms');
  });

  it('records the prompt command, and reports a nexthop with no route before it', () => {
    const text = '$ ip route show table local\n\tnexthop via 10.0.0.1 dev eth0 weight 1\nlocal 10.0.0.3 dev eth0 proto kernel scope host src 10.0.0.3\n';
    const syntax = parse(text);
    expect(syntax.command).toBe('ip route show table local');
    expect(syntax.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['iproute/prompt-line', 'info'],
      ['iproute/orphan-nexthop', 'error'],
    ]);
    expect(syntax.routes).toHaveLength(1);
  });

  it('gives one located error per unreadable line and reads on', () => {
    const text = 'default via 10.0.0.1 dev eth0\nlocal\n10.0.0.0/24 dev eth0\n';
    const syntax = parse(text);
    expect(syntax.diagnostics.map((d) => [d.code, d.at?.start])).toEqual([['iproute/syntax', text.indexOf('local') + 5]]);
    expect(syntax.routes.map((r) => r.destination.text)).toEqual(['default', '10.0.0.0/24']);
  });

  it('reads `ip -j route` into the same attributes as the text', () => {
    const text =
      '[{"type":"throw","dst":"10.3.0.0/16","table":"500","flags":[]},{"dst":"default","gateway":"10.0.0.1","dev":"veth0","metric":100,"flags":["onlink"]},' +
      '{"dst":"172.16.0.0/16","flags":[],"nexthops":[{"gateway":"10.0.0.1","dev":"veth0","weight":1,"flags":[]},{"gateway":"10.0.0.2","dev":"veth0","weight":2,"flags":[]}]},' +
      '{"dst":"10.0.0.0/24","dev":"veth0","protocol":"kernel","scope":"link","prefsrc":"10.0.0.3","flags":[]}]';
    const syntax = parse(text);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.routes.map((r) => [r.type?.text ?? null, r.destination.text, attrs(r.attributes)])).toEqual([
      ['throw', '10.3.0.0/16', ['table 500']],
      [null, 'default', ['via 10.0.0.1', 'dev veth0', 'metric 100', 'onlink']],
      [null, '172.16.0.0/16', []],
      [null, '10.0.0.0/24', ['dev veth0', 'proto kernel', 'scope link', 'src 10.0.0.3']],
    ]);
    expect(syntax.routes[2]!.nexthops.map((n) => attrs(n.attributes))).toEqual([
      ['via 10.0.0.1', 'dev veth0', 'weight 1'],
      ['via 10.0.0.2', 'dev veth0', 'weight 2'],
    ]);
  });
});
