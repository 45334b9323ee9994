import { describe, expect, it } from 'vitest';
import { parseIpAddrText } from '../../../grammar/iproute/parse-addr.js';
import type { SourceText } from '../../../grammar/source.js';

function parse(text: string) {
  const source: SourceText = { name: 'ip-addr.txt', text };
  return { source, syntax: parseIpAddrText(source) };
}

/** The text a span covers. */
function at(text: string, span: { start: number; end: number } | null | undefined): string | undefined {
  return span ? text.slice(span.start, span.end) : undefined;
}

const PLAIN_DETAILED = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0  allmulti 0 minmtu 0 maxmtu 0
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host
       valid_lft forever preferred_lft forever
2: veth1@veth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni0 state UP group default qlen 1000
    link/ether ee:be:dc:de:ca:5f brd ff:ff:ff:ff:ff:ff promiscuity 1
    veth
    bridge_slave state forwarding priority 32 cost 2 hairpin off
    altname enp0s3
    inet6 fe80::ecbe:dcff:fede:ca5f/64 scope link tentative
       valid_lft forever preferred_lft forever
5: vxlan0: <BROADCAST,MULTICAST> mtu 1450 qdisc noop state DOWN group default qlen 1000
    link/ether 36:b3:3b:1d:59:68 brd ff:ff:ff:ff:ff:ff
    vxlan id 1 dev veth0 srcport 0 0 dstport 4789 ttl auto ageing 300
    inet 10.0.0.3/24 brd 10.0.0.255 scope global vxlan0
       valid_lft forever preferred_lft forever
    inet 10.0.0.5/24 scope global secondary dynamic vxlan0:1
       valid_lft 86398sec preferred_lft 86398sec
    inet 10.9.9.1 peer 10.9.9.2/30 scope global vxlan0
       valid_lft forever preferred_lft forever
`;

describe('ip addr (plain and -d)', () => {
  it('gathers the lines of each interface: header, link layer, -d details, altnames, addresses and lifetimes', () => {
    const { syntax } = parse(PLAIN_DETAILED);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.variants).toEqual(['plain']);
    expect(syntax.interfaces.map((i) => i.name.text)).toEqual(['lo', 'veth1', 'vxlan0']);
    const veth = syntax.interfaces[1]!;
    expect(veth.index?.text).toBe('2');
    expect(veth.link?.text).toBe('veth0');
    expect(veth.flags?.map((f) => f.text)).toEqual(['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']);
    expect(Object.fromEntries(veth.attributes.map((a) => [a.name, a.values[0]?.text]))).toMatchObject({ mtu: '1500', master: 'cni0', state: 'UP', qlen: '1000' });
    expect(veth.linkLayer?.type.text).toBe('ether');
    expect(veth.linkLayer?.address?.text).toBe('ee:be:dc:de:ca:5f');
    expect(veth.linkLayer?.broadcast?.text).toBe('ff:ff:ff:ff:ff:ff');
    expect(veth.details.map((d) => d.words[0]?.text)).toEqual(['veth', 'bridge_slave']);
    expect(veth.altnames.map((a) => a.text)).toEqual(['enp0s3']);
    expect(veth.addresses[0]?.flags.map((f) => f.text)).toEqual(['tentative']);
  });

  it('keeps offsets: the name without @link and colon, each address, the link', () => {
    const { syntax } = parse(PLAIN_DETAILED);
    const veth = syntax.interfaces[1]!;
    expect(at(PLAIN_DETAILED, veth.name)).toBe('veth1');
    expect(at(PLAIN_DETAILED, veth.link)).toBe('veth0');
    const vxlan = syntax.interfaces[2]!;
    expect(at(PLAIN_DETAILED, vxlan.addresses[0]!.local)).toBe('10.0.0.3/24');
    expect(at(PLAIN_DETAILED, vxlan.addresses[0]!.at)).toBe('inet 10.0.0.3/24 brd 10.0.0.255 scope global vxlan0');
  });

  it('tells the IPv4 label (last, starting with the interface name) from the flags, and attaches lifetimes', () => {
    const { syntax } = parse(PLAIN_DETAILED);
    const [first, second, third] = syntax.interfaces[2]!.addresses;
    expect(first?.label?.text).toBe('vxlan0');
    expect(second?.label?.text).toBe('vxlan0:1');
    expect(second?.flags.map((f) => f.text)).toEqual(['secondary', 'dynamic']);
    expect(second?.validLifetime?.text).toBe('86398sec');
    expect(first?.validLifetime?.text).toBe('forever');
    expect(third?.local.text).toBe('10.9.9.1');
    expect(third?.peer?.text).toBe('10.9.9.2/30');
    expect(syntax.interfaces[0]!.addresses[1]?.label).toBeNull();
  });

  it('reads a paste that lost its indentation', () => {
    const text = '2: eth0: <UP> mtu 1500 state UP\ninet 10.1.2.3/16 scope global eth0\nvalid_lft forever preferred_lft forever\n';
    const { syntax } = parse(text);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.interfaces[0]?.addresses[0]?.local.text).toBe('10.1.2.3/16');
  });

  it('reports a prompt line as info and reads on', () => {
    const text = '$ ip -4 addr\n1: lo: <LOOPBACK,UP> mtu 65536\n    inet 127.0.0.1/8 scope host lo\n';
    const { syntax } = parse(text);
    expect(syntax.diagnostics.map((d) => [d.code, d.severity, at(text, d.at)])).toEqual([['iproute/prompt-line', 'info', '$ ip -4 addr']]);
    expect(syntax.interfaces).toHaveLength(1);
  });

  it('gives one located error per unreadable line and reads the next lines', () => {
    const text = [
      '1: lo: <LOOPBACK,UP> mtu 65536',
      '    inet 127.0.0.1/8 scope host lo',
      'this is not ip output',
      '2: eth0: <UP> mtu 1500',
      '    inet 10.0.0.3/24 scope global eth0',
    ].join('\n');
    const { syntax } = parse(text);
    const errors = syntax.diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('iproute/syntax');
    expect(at(text, errors[0]!.at)).toBe('this');
    expect(syntax.interfaces.map((i) => [i.name.text, i.addresses.length])).toEqual([
      ['lo', 1],
      ['eth0', 1],
    ]);
  });

  it('reports an address line before any interface line', () => {
    const text = '    inet 10.0.0.3/24 scope global eth0\n2: eth0: <UP> mtu 1500\n';
    const { syntax } = parse(text);
    expect(syntax.diagnostics.map((d) => [d.code, d.at?.start])).toEqual([['iproute/orphan-line', 0]]);
    expect(syntax.interfaces[0]?.addresses).toEqual([]);
  });

  it('warns when an interface is listed twice (two outputs pasted together)', () => {
    const text = '1: lo: <UP> mtu 1\n    inet 127.0.0.1/8 scope host lo\n1: lo: <UP> mtu 1\n    inet 127.0.0.1/8 scope host lo\n';
    const { syntax } = parse(text);
    expect(syntax.diagnostics.map((d) => d.code)).toEqual(['iproute/duplicate-interface']);
  });

  it('locates a line cut short at its end', () => {
    const text = '1: lo: <UP> mtu 1\n    inet\n    inet 127.0.0.1/8 scope host lo\n';
    const { syntax } = parse(text);
    expect(syntax.diagnostics.map((d) => [d.code, d.at?.start])).toEqual([['iproute/syntax', text.indexOf('inet\n') + 4]]);
    expect(syntax.interfaces[0]?.addresses).toHaveLength(1);
  });
});

describe('ip -o addr / ip -o link', () => {
  const ONELINE = [
    '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
    '1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever',
    '3: veth0    inet 10.0.0.3/24 brd 10.0.0.255 scope global veth0\\       valid_lft forever preferred_lft forever',
    '3: veth0    inet 10.0.0.4/24 scope global secondary veth0\\       valid_lft 100sec preferred_lft 50sec',
    '',
  ].join('\n');

  it('gathers the records of one interface and splits each at the backslashes', () => {
    const { syntax } = parse(ONELINE);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.variants).toEqual(['oneline']);
    expect(syntax.interfaces.map((i) => [i.name.text, i.addresses.map((a) => a.local.text)])).toEqual([
      ['lo', ['127.0.0.1/8', '::1/128']],
      ['veth0', ['10.0.0.3/24', '10.0.0.4/24']],
    ]);
    const second = syntax.interfaces[1]!.addresses[1]!;
    expect(second.label?.text).toBe('veth0');
    expect(second.flags.map((f) => f.text)).toEqual(['secondary']);
    expect(second.preferredLifetime?.text).toBe('50sec');
  });

  it('reads `ip -o link` records: header and link layer on one line', () => {
    const text = '2: veth1@veth0: <BROADCAST,UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\\    link/ether ee:be:dc:de:ca:5f brd ff:ff:ff:ff:ff:ff\\    altname x1\n';
    const { syntax } = parse(text);
    expect(syntax.diagnostics).toEqual([]);
    const iface = syntax.interfaces[0]!;
    expect([iface.name.text, iface.link?.text, iface.linkLayer?.address?.text, iface.altnames[0]?.text]).toEqual(['veth1', 'veth0', 'ee:be:dc:de:ca:5f', 'x1']);
  });
});

describe('ip -br addr / ip -br link', () => {
  it('reads name, state and addresses (no family printed)', () => {
    const text = 'lo               UNKNOWN        127.0.0.1/8 ::1/128 \nveth1@veth0      UP             fe80::ecbe:dcff:fede:ca5f/64 \nvxlan0           DOWN           \n';
    const { syntax } = parse(text);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.variants).toEqual(['brief']);
    expect(syntax.interfaces.map((i) => [i.name.text, i.link?.text ?? null, i.attributes[0]?.values[0]?.text, i.addresses.map((a) => a.local.text)])).toEqual([
      ['lo', null, 'UNKNOWN', ['127.0.0.1/8', '::1/128']],
      ['veth1', 'veth0', 'UP', ['fe80::ecbe:dcff:fede:ca5f/64']],
      ['vxlan0', null, 'DOWN', []],
    ]);
    expect(syntax.interfaces[0]!.addresses[0]!.family).toBeNull();
  });

  it('reads `ip -br link`: the link-layer address and flags', () => {
    const text = 'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n';
    const { syntax } = parse(text);
    const iface = syntax.interfaces[0]!;
    expect(iface.linkLayer?.address?.text).toBe('00:00:00:00:00:00');
    expect(iface.flags?.map((f) => f.text)).toEqual(['LOOPBACK', 'UP', 'LOWER_UP']);
  });
});

describe('ip -j addr', () => {
  const JSON_TEXT =
    '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"],"mtu":65536,"operstate":"UNKNOWN","link_type":"loopback","address":"00:00:00:00:00:00","addr_info":[{"family":"inet","local":"127.0.0.1","prefixlen":8,"scope":"host","label":"lo","valid_life_time":4294967295,"preferred_life_time":4294967295}]},' +
    '{"ifindex":3,"link":"veth1","ifname":"veth0","flags":["UP"],"mtu":1500,"master":"cni0","operstate":"UP","linkinfo":{"info_kind":"veth","info_slave_kind":"bridge"},"altnames":["uplink0"],"addr_info":[{"family":"inet","local":"10.9.9.1","address":"10.9.9.2","prefixlen":30,"scope":"global","label":"veth0","valid_life_time":4294967295,"preferred_life_time":4294967295},{"family":"inet","local":"10.0.0.4","prefixlen":24,"scope":"global","secondary":true,"dynamic":true,"label":"veth0:1","valid_life_time":100,"preferred_life_time":50}]}]';

  it('reads interfaces as the text forms do, pointing at the JSON tokens', () => {
    const text = `$ ip -j addr\n${JSON_TEXT}\n`;
    const { syntax } = parse(text);
    expect(syntax.diagnostics.map((d) => d.code)).toEqual(['iproute/prompt-line']);
    expect(syntax.variants).toEqual(['json']);
    const veth = syntax.interfaces[1]!;
    expect(at(text, veth.name)).toBe('"veth0"');
    expect(veth.link?.text).toBe('veth1');
    expect(veth.details.map((d) => d.words[0]?.text)).toEqual(['veth', 'bridge_slave']);
    expect(veth.altnames.map((a) => a.text)).toEqual(['uplink0']);
    const [peer, secondary] = veth.addresses;
    expect([peer?.local.text, peer?.peer?.text]).toEqual(['10.9.9.1', '10.9.9.2/30']);
    expect(secondary?.local.text).toBe('10.0.0.4/24');
    expect(secondary?.flags.map((f) => f.text)).toEqual(['secondary', 'dynamic']);
    expect(secondary?.label?.text).toBe('veth0:1');
    expect([secondary?.validLifetime?.text, syntax.interfaces[0]!.addresses[0]?.validLifetime?.text]).toEqual(['100sec', 'forever']);
  });

  it('keeps the interfaces read before a cut, and says where the JSON broke', () => {
    const cut = JSON_TEXT.slice(0, JSON_TEXT.indexOf('"addr_info":[{"family":"inet","local":"10.9.9.1"') + 20);
    const { syntax } = parse(cut);
    expect(syntax.interfaces.map((i) => i.name.text)).toEqual(['lo', 'veth0']);
    const jsonError = syntax.diagnostics.find((d) => d.code === 'json/syntax')!;
    expect(jsonError.at?.start).toBe(cut.length);
    expect(syntax.diagnostics.some((d) => d.code === 'iproute/json-shape')).toBe(true);
  });

  it('reports an entry that is not an interface object, and one without ifname', () => {
    const text = '[1, {"ifindex": 2}]';
    const { syntax } = parse(text);
    expect(syntax.diagnostics.map((d) => [d.code, at(text, d.at)])).toEqual([
      ['iproute/json-shape', '1'],
      ['iproute/json-missing', '{"ifindex": 2}'],
    ]);
  });
});
