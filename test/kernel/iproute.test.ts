/**
 * The kernel's own iproute2 and sysctl output, parsed: in a network namespace of its own, this
 * test configures interfaces (a dummy `kube-ipvs0` with /32s, a veth pair, a bridge, a vxlan),
 * IPv4 and IPv6 addresses, routes (blackhole, unreachable, prohibit, throw, multipath, onlink,
 * table 500) and rules, then requires every form of `ip addr`, `ip route`, `ip rule` and
 * `sysctl -a` output to read back as what was configured.
 *
 * Needs root and `ip netns`; skips with a message otherwise. Touches nothing outside its
 * namespace, which afterAll deletes.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIpAddrText } from '../../grammar/iproute/parse-addr.js';
import { parseIpRouteText } from '../../grammar/iproute/parse-route.js';
import { parseIpRuleText } from '../../grammar/iproute/parse-rule.js';
import { parseSysctlText } from '../../grammar/sysctl/parse.js';
import type { Diagnostic } from '../../grammar/diagnostics.js';
import { buildInterfaces, buildIpRules, buildRoutes, localAddresses, type Interface, type IpRule, type Route } from '../../src/model/iproute/index.js';
import { parseCidr } from '../../src/model/values/address.js';
import { buildSysctls, ipForward, routeLocalnet, rpFilter, bridgeNfCallIptables } from '../../src/model/sysctl/index.js';

const ns = `iptl-iproute-${process.pid}-k`;

function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ip -n NS …`: iproute2 runs the command inside the namespace. */
function ipIn(...args: string[]): string {
  return run('ip', ['-n', ns, ...args]);
}

function setUp(): string | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root';
  try {
    run('ip', ['netns', 'add', ns]);
  } catch (error) {
    return `\`ip netns add\` failed: ${(error as Error).message.split('\n')[0]}`;
  }
  return null;
}

const skipReason = setUp();
if (skipReason) console.warn(`test/kernel/iproute.test.ts skipped: ${skipReason}`);

function errors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
}

/** An interface's addresses as `name address/len`, sorted, for comparing output forms. */
function addressSet(interfaces: readonly Interface[]): string[] {
  return interfaces.flatMap((i) => i.addresses.map((a) => `${i.name} ${a.address.text}/${a.prefixLength}`)).sort();
}

function routeKey(r: Route): string {
  const destination = r.destination === 'default' ? 'default' : r.destination.text;
  const hops = (r.nexthops ?? []).map((h) => `${h.via?.text}@${h.dev}*${h.weight}`).join('+');
  return [r.family, r.table, r.type, destination, r.via?.text ?? '-', r.dev ?? '-', r.metric ?? '-', r.onlink, hops].join(' ');
}

function ruleKey(r: IpRule): string {
  const from = r.from === 'all' ? 'all' : r.from.text;
  const to = r.to === 'all' ? 'all' : r.to.text;
  return [r.priority, r.not, from, to, r.fwmark ? `${r.fwmark.value}/${r.fwmark.mask}` : '-', r.iif?.name ?? '-', r.oif?.name ?? '-', JSON.stringify(r.action)].join(' ');
}

describe.skipIf(skipReason !== null)('kernel iproute2 output in a network namespace', () => {
  let ipvsKind = 'dummy';

  beforeAll(async () => {
    // IPv6 duplicate address detection would change addresses and their local routes while the
    // test reads them; the namespace has no one to collide with.
    for (const setting of ['net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']) {
      run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', setting]);
    }
    ipIn('link', 'set', 'lo', 'up');
    try {
      ipIn('link', 'add', 'kube-ipvs0', 'type', 'dummy');
    } catch {
      // Kernels built without the dummy driver: ifb is the closest (NOARP, no carrier needed).
      console.warn('test/kernel/iproute.test.ts: no dummy driver in this kernel; kube-ipvs0 is an ifb device instead');
      ipIn('link', 'add', 'kube-ipvs0', 'type', 'ifb');
      ipvsKind = 'ifb';
    }
    for (const a of ['10.96.0.1/32', '10.96.0.10/32', '10.96.200.7/32']) ipIn('addr', 'add', a, 'dev', 'kube-ipvs0');
    ipIn('link', 'set', 'kube-ipvs0', 'up');
    ipIn('link', 'add', 'veth-a', 'type', 'veth', 'peer', 'name', 'veth-b');
    ipIn('link', 'add', 'cni0', 'type', 'bridge');
    ipIn('link', 'set', 'veth-b', 'master', 'cni0');
    for (const dev of ['veth-a', 'veth-b', 'cni0']) ipIn('link', 'set', dev, 'up');
    ipIn('addr', 'add', '10.0.0.3/24', 'brd', '+', 'dev', 'veth-a');
    ipIn('addr', 'add', '10.0.0.4/24', 'dev', 'veth-a');
    ipIn('addr', 'add', '10.0.0.5/24', 'dev', 'veth-a', 'label', 'veth-a:1');
    ipIn('addr', 'add', '2001:db8:1::3/64', 'dev', 'veth-a', 'nodad');
    ipIn('addr', 'add', '10.244.0.1/24', 'dev', 'cni0');
    ipIn('addr', 'add', 'fd00:10::1/64', 'dev', 'cni0', 'nodad');
    ipIn('link', 'add', 'flannel.1', 'type', 'vxlan', 'id', '1', 'dev', 'veth-a', 'dstport', '8472');
    ipIn('link', 'set', 'flannel.1', 'up');
    ipIn('addr', 'add', '10.244.0.0/32', 'dev', 'flannel.1');

    ipIn('route', 'add', 'default', 'via', '10.0.0.1', 'dev', 'veth-a', 'metric', '100');
    ipIn('route', 'add', 'blackhole', '10.244.0.0/26', 'proto', 'static');
    ipIn('route', 'add', 'unreachable', '10.1.0.0/16');
    ipIn('route', 'add', 'prohibit', '10.2.0.0/16');
    ipIn('route', 'add', '10.244.1.0/24', 'via', '10.244.1.0', 'dev', 'flannel.1', 'onlink');
    ipIn('route', 'add', '172.16.0.0/16', 'nexthop', 'via', '10.0.0.1', 'dev', 'veth-a', 'weight', '1', 'nexthop', 'via', '10.0.0.2', 'dev', 'veth-a', 'weight', '3');
    ipIn('route', 'add', '192.168.0.0/16', 'via', '10.0.0.1', 'table', '500');
    ipIn('route', 'add', 'throw', '10.3.0.0/16', 'table', '500');
    ipIn('-6', 'route', 'add', 'default', 'via', '2001:db8:1::1', 'dev', 'veth-a');
    ipIn('-6', 'route', 'add', '2001:db8:99::/48', 'via', '2001:db8:1::1', 'table', '500');

    ipIn('rule', 'add', 'fwmark', '0x4000/0x4000', 'lookup', '500', 'pref', '100');
    ipIn('rule', 'add', 'not', 'from', '10.0.0.0/8', 'iif', 'veth-a', 'lookup', 'main', 'pref', '200');
    ipIn('rule', 'add', 'to', '10.5.0.0/16', 'oif', 'cni0', 'goto', '32766', 'pref', '300');
    ipIn('rule', 'add', 'from', '10.244.0.0/16', 'blackhole', 'pref', '400');
    ipIn('-6', 'rule', 'add', 'from', '2001:db8:1::/64', 'lookup', '500', 'pref', '150');

    for (const setting of ['net.ipv4.conf.all.rp_filter=2', 'net.ipv4.conf.veth-a.rp_filter=1', 'net.ipv4.conf.all.route_localnet=1', 'net.ipv4.ip_forward=1']) {
      run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', setting]);
    }
    // The kernel finishes bringing links up (link-local addresses, their routes) on its own
    // time: the tests compare outputs taken one after another, so wait until they agree.
    let previous = '';
    for (let i = 0; i < 50; i++) {
      const now = ipIn('addr') + ipIn('route', 'show', 'table', 'all') + ipIn('-6', 'route', 'show', 'table', 'all');
      if (now === previous) break;
      previous = now;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  });

  afterAll(() => {
    try {
      run('ip', ['netns', 'del', ns]);
    } catch (error) {
      console.warn(`could not delete network namespace ${ns}: ${(error as Error).message}`);
    }
  });

  function interfacesOf(text: string, name: string) {
    const table = buildInterfaces(parseIpAddrText({ name, text }));
    expect(errors(table.diagnostics), name).toEqual([]);
    return table;
  }

  const configured = [
    'cni0 10.244.0.1/24',
    `cni0 ${v6('fd00:10::1')}/64`,
    'flannel.1 10.244.0.0/32',
    'kube-ipvs0 10.96.0.1/32',
    'kube-ipvs0 10.96.0.10/32',
    'kube-ipvs0 10.96.200.7/32',
    'lo 127.0.0.1/8',
    'veth-a 10.0.0.3/24',
    'veth-a 10.0.0.4/24',
    'veth-a 10.0.0.5/24',
    `veth-a ${v6('2001:db8:1::3')}/64`,
  ];

  /** Leaves out what the kernel adds by itself: IPv6 link-local addresses and ::1. */
  function configuredSubset(set: readonly string[]): string[] {
    const loopback6 = `${v6('::1')}/128`;
    return set.filter((a) => !/ fe80:/.test(a) && !a.endsWith(` ${loopback6}`));
  }

  it('reads `ip addr`: interfaces, states, masters, links, addresses with prefix, scope, label, secondary', () => {
    const { interfaces, byName } = interfacesOf(ipIn('addr'), 'ip addr');
    expect(configuredSubset(addressSet(interfaces))).toEqual([...configured].sort());
    const vethA = byName.get('veth-a')!;
    expect(vethA.state).toBe('UP');
    expect(vethA.flags).toContain('UP');
    const first = vethA.addresses.find((a) => a.address.text === '10.0.0.3')!;
    expect(first.prefix.text).toBe('10.0.0.0/24');
    expect(first.secondary).toBe(false);
    expect(first.broadcast?.text).toBe('10.0.0.255');
    expect(first.scope).toBe('global');
    expect(vethA.addresses.find((a) => a.address.text === '10.0.0.4')!.secondary).toBe(true);
    expect(vethA.addresses.find((a) => a.address.text === '10.0.0.5')!.label).toBe('veth-a:1');
    expect(byName.get('lo')!.addresses.find((a) => a.family === 'ipv4')!.scope).toBe('host');
    const vethB = byName.get('veth-b')!;
    expect(vethB.master).toBe('cni0');
    expect(vethB.link).toBe('veth-a');
    expect(byName.get('kube-ipvs0')!.addresses.filter((a) => a.family === 'ipv4').map((a) => a.prefixLength)).toEqual([32, 32, 32]);
  });

  it('reads `ip -d addr`: the kind of every interface and the bridge port kind', () => {
    const { byName } = interfacesOf(ipIn('-d', 'addr'), 'ip -d addr');
    expect(byName.get('kube-ipvs0')).toMatchObject({ kind: ipvsKind, kindFrom: 'details' });
    expect(byName.get('veth-a')).toMatchObject({ kind: 'veth', kindFrom: 'details' });
    expect(byName.get('veth-b')).toMatchObject({ kind: 'veth', slaveKind: 'bridge' });
    expect(byName.get('cni0')).toMatchObject({ kind: 'bridge', kindFrom: 'details' });
    expect(byName.get('flannel.1')).toMatchObject({ kind: 'vxlan', kindFrom: 'details' });
  });

  it('reads `ip -o addr`, `ip -br addr` and `ip -j addr` as the same addresses as `ip addr`', () => {
    const plain = addressSet(interfacesOf(ipIn('addr'), 'ip addr').interfaces);
    expect(addressSet(interfacesOf(ipIn('-o', 'addr'), 'ip -o addr').interfaces)).toEqual(plain);
    expect(addressSet(interfacesOf(ipIn('-br', 'addr'), 'ip -br addr').interfaces)).toEqual(plain);
    const json = interfacesOf(ipIn('-j', 'addr'), 'ip -j addr');
    expect(addressSet(json.interfaces)).toEqual(plain);
    expect(json.byName.get('veth-a')!.addresses.find((a) => a.address.text === '10.0.0.5')!.label).toBe('veth-a:1');
    expect(json.byName.get('veth-b')!.master).toBe('cni0');
    const jsonDetails = interfacesOf(ipIn('-j', '-d', 'addr'), 'ip -j -d addr');
    expect(jsonDetails.byName.get('flannel.1')!.kind).toBe('vxlan');
    expect(jsonDetails.byName.get('veth-b')!.slaveKind).toBe('bridge');
    const brief = interfacesOf(ipIn('-br', 'link'), 'ip -br link');
    expect(brief.byName.get('cni0')!.state).toBe('UP');
    expect(interfacesOf(ipIn('-o', 'link'), 'ip -o link').byName.get('veth-b')!.master).toBe('cni0');
  });

  function routesOf(text: string, name: string, options = {}) {
    const table = buildRoutes(parseIpRouteText({ name, text }), options);
    expect(errors(table.diagnostics), name).toEqual([]);
    return table.routes;
  }

  it('reads `ip route show table all` as the routes configured, local routes included', () => {
    const routes = routesOf(ipIn('route', 'show', 'table', 'all'), 'ip route show table all');
    const find = (dest: string, table: string | number = 'main') =>
      routes.find((r) => (r.destination === 'default' ? 'default' : r.destination.text) === dest && r.table === table && r.family === 'ipv4');
    expect(find('default')).toMatchObject({ type: 'unicast', dev: 'veth-a', metric: 100 });
    expect(find('default')!.via!.text).toBe('10.0.0.1');
    expect(find('10.244.0.0/26')).toMatchObject({ type: 'blackhole', proto: 'static' });
    expect(find('10.1.0.0/16')!.type).toBe('unreachable');
    expect(find('10.2.0.0/16')!.type).toBe('prohibit');
    expect(find('10.3.0.0/16', 500)!.type).toBe('throw');
    expect(find('192.168.0.0/16', 500)!.via!.text).toBe('10.0.0.1');
    expect(find('10.244.1.0/24')).toMatchObject({ onlink: true, dev: 'flannel.1' });
    const multipath = find('172.16.0.0/16')!;
    expect(multipath.nexthops?.map((h) => [h.via?.text, h.dev, h.weight])).toEqual([
      ['10.0.0.1', 'veth-a', 1],
      ['10.0.0.2', 'veth-a', 3],
    ]);
    expect(find('10.0.0.0/24')).toMatchObject({ proto: 'kernel', scope: 'link' });
    expect(find('10.0.0.0/24')!.src!.text).toBe('10.0.0.3');
    expect(find('10.96.0.10', 'local')).toMatchObject({ type: 'local', dev: 'kube-ipvs0', scope: 'host' });
    expect(find('10.0.0.255', 'local')!.type).toBe('broadcast');
    const routes6 = routes.filter((r) => r.family === 'ipv6');
    expect(routes6.find((r) => r.destination === 'default')!.via!.text).toBe(v6('2001:db8:1::1'));
    expect(routes6.some((r) => r.table === 500)).toBe(true);
    expect(routes6.some((r) => r.table === 'local' && r.type === 'local')).toBe(true);
  });

  it('reads `ip -6 route show table all`, `-o`, `-d` and `-j` route output as the same routes', () => {
    const all = routesOf(ipIn('route', 'show', 'table', 'all'), 'ip route show table all');
    const keys = all.map(routeKey).sort();
    const only6 = routesOf(ipIn('-6', 'route', 'show', 'table', 'all'), 'ip -6 route show table all', { family: 'ipv6' });
    expect(only6.map(routeKey).sort()).toEqual(all.filter((r) => r.family === 'ipv6').map(routeKey).sort());
    expect(routesOf(ipIn('-o', 'route', 'show', 'table', 'all'), 'ip -o route').map(routeKey).sort()).toEqual(keys);
    expect(routesOf(ipIn('-j', 'route', 'show', 'table', 'all'), 'ip -j route').map(routeKey).sort()).toEqual(keys);
    const detailed = routesOf(ipIn('-d', 'route', 'show', 'table', 'all'), 'ip -d route');
    expect(detailed.map(routeKey).sort()).toEqual(keys);
    const local = routesOf(ipIn('route', 'show', 'table', 'local'), 'ip route show table local', { table: 'local' });
    expect(local.map(routeKey).sort()).toEqual(all.filter((r) => r.table === 'local' && r.family === 'ipv4').map(routeKey).sort());
  });

  it("gives the node's own addresses: interface addresses plus table local's local routes", () => {
    const { interfaces } = interfacesOf(ipIn('addr'), 'ip addr');
    const routes = routesOf(ipIn('route', 'show', 'table', 'all'), 'ip route show table all');
    const local = localAddresses(interfaces, routes);
    const onIpvs = local.filter((l) => l.interface === 'kube-ipvs0' && l.address.family === 'ipv4').map((l) => l.address.text).sort();
    expect(onIpvs).toEqual(['10.96.0.1', '10.96.0.10', '10.96.200.7']);
    // 127.0.0.0/8 is local as a whole (a `local` route), not only 127.0.0.1.
    expect(local.some((l) => l.interface === 'lo' && l.address.text === '127.0.0.0/8' && l.from === 'local-route')).toBe(true);
  });

  it('reads `ip rule`, `ip -j rule` and `ip -6 rule` as the rules configured', () => {
    const text = buildIpRules(parseIpRuleText({ name: 'ip rule', text: ipIn('rule') }));
    expect(errors(text.diagnostics)).toEqual([]);
    const byPriority = new Map(text.rules.map((r) => [r.priority, r]));
    expect(byPriority.get(0)!.action).toEqual({ kind: 'lookup', table: 'local' });
    expect(byPriority.get(100)!.fwmark).toEqual({ value: 0x4000, mask: 0x4000 });
    expect(byPriority.get(100)!.action).toEqual({ kind: 'lookup', table: 500 });
    const notRule = byPriority.get(200)!;
    expect(notRule.not).toBe(true);
    expect(notRule.from !== 'all' && notRule.from.text).toBe('10.0.0.0/8');
    expect(notRule.iif?.name).toBe('veth-a');
    const gotoRule = byPriority.get(300)!;
    expect(gotoRule.to !== 'all' && gotoRule.to.text).toBe('10.5.0.0/16');
    expect(gotoRule.oif?.name).toBe('cni0');
    expect(gotoRule.action).toEqual({ kind: 'goto', priority: 32766 });
    expect(byPriority.get(400)!.action).toEqual({ kind: 'blackhole' });
    expect(byPriority.get(32766)!.action).toEqual({ kind: 'lookup', table: 'main' });

    const json = buildIpRules(parseIpRuleText({ name: 'ip -j rule', text: ipIn('-j', 'rule') }));
    expect(errors(json.diagnostics)).toEqual([]);
    expect(json.rules.map(ruleKey)).toEqual(text.rules.map(ruleKey));

    const rules6 = buildIpRules(parseIpRuleText({ name: 'ip -6 rule', text: ipIn('-6', 'rule') }));
    expect(errors(rules6.diagnostics)).toEqual([]);
    const v6rule = rules6.rules.find((r) => r.priority === 150)!;
    expect(v6rule.family).toBe('ipv6');
    expect(v6rule.from !== 'all' && v6rule.from.text).toBe(v6('2001:db8:1::/64'));
  });

  it('reads `sysctl -a` in the namespace without errors, and the accessors give what was set', () => {
    const text = run('ip', ['netns', 'exec', ns, 'sysctl', '-a']);
    const sysctls = buildSysctls(parseSysctlText({ name: 'sysctl -a', text }));
    expect(errors(sysctls.diagnostics)).toEqual([]);
    expect(sysctls.complete).toBe(true);
    expect(sysctls.entries.size).toBeGreaterThan(200);
    // rp_filter is max(conf.all, conf.<iface>): 2 from conf.all beats veth-a's own 1.
    expect(rpFilter(sysctls, 'veth-a')).toMatchObject({ value: 2, source: 'conf.all', origin: 'dump' });
    expect(rpFilter(sysctls, 'flannel.1')).toMatchObject({ value: 2, origin: 'dump' });
    expect(routeLocalnet(sysctls, 'lo')).toMatchObject({ value: true, source: 'conf.all', origin: 'dump' });
    expect(ipForward(sysctls)).toMatchObject({ value: true, origin: 'dump' });
    const bridge = bridgeNfCallIptables(sysctls);
    expect(bridge.origin === 'dump' || bridge.origin === 'absent').toBe(true);
  });
});

/** An address or prefix as the model writes it (the shared formatter decides IPv6 compression). */
function v6(text: string): string {
  return parseCidr(text)!.text;
}
