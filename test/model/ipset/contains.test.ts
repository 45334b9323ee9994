import { describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../../grammar/ipset/parse.js';
import { buildIpsets } from '../../../src/model/ipset/build.js';
import { contains, dimensionValues, members, membershipKnown } from '../../../src/model/ipset/contains.js';
import type { Direction, IpSet, IpSetPacket } from '../../../src/model/ipset/types.js';
import { parseAddress } from '../../../src/model/values/address.js';

function sets(text: string): Map<string, IpSet> {
  const model = buildIpsets(parseIpsetText({ name: 'test', text }));
  expect(model.diagnostics).toEqual([]);
  return new Map(model.sets.map((s) => [s.name, s]));
}

const a = (text: string): bigint => parseAddress(text)!.first;

/** A packet from compact fields: addresses as text. */
function pkt(fields: Omit<Partial<IpSetPacket>, 'src' | 'dst'> & { src?: string; dst?: string }): IpSetPacket {
  const src = fields.src ?? '192.0.2.1';
  const dst = fields.dst ?? '192.0.2.2';
  return {
    proto: 'tcp',
    ...fields,
    family: parseAddress(src)!.family,
    src: a(src),
    dst: a(dst),
  };
}

type Row = readonly [description: string, packet: IpSetPacket, flags: readonly Direction[], expected: boolean];

function table(set: IpSet, rows: readonly Row[], all?: Map<string, IpSet>): void {
  const got = rows.map(([d, p, f]) => [d, contains(set, p, f, all)]);
  expect(got).toEqual(rows.map(([d, , , e]) => [d, e]));
}

describe('contains: hash:ip', () => {
  const s = sets('create s hash:ip\nadd s 10.0.0.1\nadd s 10.0.0.8-10.0.0.10\nadd s 10.1.0.0/30\n');
  it('matches the address the flag names, in ranges and prefixes', () => {
    table(s.get('s')!, [
      ['dst listed', pkt({ dst: '10.0.0.1' }), ['dst'], true],
      ['src listed', pkt({ src: '10.0.0.1' }), ['src'], true],
      ['dst listed but flag src', pkt({ dst: '10.0.0.1' }), ['src'], false],
      ['range start', pkt({ dst: '10.0.0.8' }), ['dst'], true],
      ['range end', pkt({ dst: '10.0.0.10' }), ['dst'], true],
      ['after range', pkt({ dst: '10.0.0.11' }), ['dst'], false],
      ['prefix member', pkt({ dst: '10.1.0.3' }), ['dst'], true],
      ['outside prefix', pkt({ dst: '10.1.0.4' }), ['dst'], false],
      ['no flags: fewer flags than dimensions', pkt({ dst: '10.0.0.1' }), [], false],
      ['extra flags are ignored', pkt({ dst: '10.0.0.1' }), ['dst', 'src', 'src'], true],
    ]);
  });

  it('never matches a packet of the other family', () => {
    const v6 = sets('create s hash:ip family inet6\nadd s ::a00:1\n').get('s')!;
    expect(contains(v6, pkt({ dst: '10.0.0.1' }), ['dst'])).toBe(false);
    expect(contains(v6, pkt({ src: '2001:db8::9', dst: '::a00:1' }), ['dst'])).toBe(true);
  });

  it('applies netmask and bitmask to the packet address', () => {
    const m = sets('create n hash:ip family inet6 netmask 64\nadd n 2001:db8::\ncreate b hash:ip bitmask 255.0.255.0\nadd b 10.1.2.3\n');
    table(m.get('n')!, [
      ['in the /64', pkt({ src: '2001:db8::1', dst: '2001:db8::ffff:1' }), ['dst'], true],
      ['next /64', pkt({ src: '2001:db8::1', dst: '2001:db8:0:1::1' }), ['dst'], false],
    ]);
    table(m.get('b')!, [
      ['same masked bits', pkt({ dst: '10.9.2.77' }), ['dst'], true],
      ['other third octet', pkt({ dst: '10.1.3.3' }), ['dst'], false],
      ['other first octet', pkt({ dst: '11.1.2.3' }), ['dst'], false],
    ]);
  });
});

describe('contains: hash:ip,port (kube-proxy KUBE-CLUSTER-IP)', () => {
  const s = sets(
    [
      'create s hash:ip,port',
      'add s 10.96.0.10,udp:53',
      'add s 10.96.0.10,tcp:53',
      'add s 10.96.0.1,tcp:443',
      'add s 10.96.0.2,sctp:9000-9010',
      'add s 10.96.0.3,icmp:echo-request',
      'add s 10.96.0.4,gre:0',
    ].join('\n'),
  ).get('s')!;
  it('matches address, protocol and port together', () => {
    table(s, [
      ['udp 53', pkt({ dst: '10.96.0.10', proto: 'udp', dport: 53 }), ['dst', 'dst'], true],
      ['tcp 53', pkt({ dst: '10.96.0.10', proto: 6, dport: 53 }), ['dst', 'dst'], true],
      ['sctp 53 not listed', pkt({ dst: '10.96.0.10', proto: 'sctp', dport: 53 }), ['dst', 'dst'], false],
      ['udp 443 not listed', pkt({ dst: '10.96.0.1', proto: 'udp', dport: 443 }), ['dst', 'dst'], false],
      ['source port 443 with dst,src', pkt({ dst: '10.96.0.1', sport: 443, dport: 1 }), ['dst', 'src'], true],
      ['source port 443 with dst,dst', pkt({ dst: '10.96.0.1', sport: 443, dport: 1 }), ['dst', 'dst'], false],
      ['sctp range inside', pkt({ dst: '10.96.0.2', proto: 'sctp', dport: 9005 }), ['dst', 'dst'], true],
      ['sctp range outside', pkt({ dst: '10.96.0.2', proto: 'sctp', dport: 9011 }), ['dst', 'dst'], false],
      ['one flag for two dimensions', pkt({ dst: '10.96.0.10', proto: 'udp', dport: 53 }), ['dst'], false],
      ['no port on the packet', pkt({ dst: '10.96.0.10', proto: 'udp' }), ['dst', 'dst'], false],
    ]);
  });

  it('compares ICMP type/code whatever the flag, and port 0 for protocols without ports', () => {
    table(s, [
      ['echo request', pkt({ dst: '10.96.0.3', proto: 'icmp', icmpType: 8, icmpCode: 0 }), ['dst', 'src'], true],
      ['echo reply', pkt({ dst: '10.96.0.3', proto: 'icmp', icmpType: 0, icmpCode: 0 }), ['dst', 'dst'], false],
      ['echo request, other code', pkt({ dst: '10.96.0.3', proto: 'icmp', icmpType: 8, icmpCode: 1 }), ['dst', 'dst'], false],
      ['gre', pkt({ dst: '10.96.0.4', proto: 47 }), ['dst', 'dst'], true],
      ['gre ignores packet ports', pkt({ dst: '10.96.0.4', proto: 47, dport: 5 }), ['dst', 'dst'], true],
      ['esp not listed', pkt({ dst: '10.96.0.4', proto: 50 }), ['dst', 'dst'], false],
    ]);
  });

  it('lists what the set holds per dimension', () => {
    expect(members(s)).toHaveLength(6);
    expect(dimensionValues(s, 0).map((d) => d.text)).toEqual(['10.96.0.10', '10.96.0.1', '10.96.0.2', '10.96.0.3', '10.96.0.4']);
    expect(dimensionValues(s, 1).map((d) => d.text)).toEqual(['udp:53', 'tcp:53', 'tcp:443', 'sctp:9000-9010', 'icmp:echo-request', 'gre:0']);
  });
});

describe('contains: hash:ip,port,ip and hash:ip,port,net (kube-proxy KUBE-LOOP-BACK, KUBE-LOAD-BALANCER-SOURCE-CIDR)', () => {
  const s = sets(
    [
      'create lb hash:ip,port,ip',
      'add lb 10.244.1.2,tcp:3030,10.244.1.2',
      'create src hash:ip,port,net',
      'add src 198.51.100.1,tcp:80,10.0.0.0/8',
      'add src 198.51.100.1,tcp:80,10.1.0.0/16 nomatch',
      'add src 198.51.100.1,tcp:80,10.1.2.0/24',
    ].join('\n'),
  );
  it('hash:ip,port,ip: hairpin traffic only', () => {
    table(s.get('lb')!, [
      ['hairpin', pkt({ src: '10.244.1.2', dst: '10.244.1.2', dport: 3030 }), ['dst', 'dst', 'src'], true],
      ['other source', pkt({ src: '10.244.1.3', dst: '10.244.1.2', dport: 3030 }), ['dst', 'dst', 'src'], false],
    ]);
  });
  it('hash:ip,port,net: the most specific source prefix decides, nomatch excludes', () => {
    const row = (src: string, expected: boolean): Row => [src, pkt({ src, dst: '198.51.100.1', dport: 80 }), ['dst', 'dst', 'src'], expected];
    table(s.get('src')!, [row('10.9.9.9', true), row('10.1.9.9', false), row('10.1.2.9', true), row('11.0.0.1', false)]);
  });
});

describe('contains: hash:net with nomatch (Calico, kube-proxy)', () => {
  const s = sets(
    [
      'create n hash:net',
      'add n 10.0.0.0/8',
      'add n 10.1.0.0/16 nomatch',
      'add n 10.1.1.0/24',
      'add n 10.1.1.128/25 nomatch',
      'add n 192.168.1.1',
      'add n 172.16.0.1-172.16.0.6',
      'add n 172.16.0.4/32 nomatch',
    ].join('\n'),
  ).get('n')!;
  it('answers from the most specific prefix that holds the address', () => {
    const row = (dst: string, expected: boolean): Row => [dst, pkt({ dst }), ['dst'], expected];
    table(s, [
      row('10.2.3.4', true),
      row('10.1.2.3', false),
      row('10.1.1.5', true),
      row('10.1.1.200', false),
      row('11.0.0.1', false),
      row('192.168.1.1', true),
      row('192.168.1.2', false),
    ]);
  });
  it('splits a range into prefixes as the kernel does before comparing specificity', () => {
    // 172.16.0.1-6 is stored as .1/32, .2/31, .4/31, .6/32: the nomatch .4/32 is more specific
    // than the range's .4/31 block, so .4 is out and .5 is in.
    const row = (dst: string, expected: boolean): Row => [dst, pkt({ dst }), ['dst'], expected];
    table(s, [
      row('172.16.0.1', true),
      row('172.16.0.3', true),
      row('172.16.0.4', false),
      row('172.16.0.5', true),
      row('172.16.0.6', true),
      row('172.16.0.7', false),
      row('172.16.0.0', false),
    ]);
  });
  it('hash:net,port: nomatch applies per port', () => {
    const np = sets('create p hash:net,port\nadd p 10.0.0.0/8,tcp:80\nadd p 10.1.0.0/16,tcp:80 nomatch\nadd p 10.1.0.0/16,tcp:81\n').get('p')!;
    table(np, [
      ['less specific with same port', pkt({ dst: '10.1.2.3', dport: 80 }), ['dst', 'dst'], false],
      ['other port of the /16', pkt({ dst: '10.1.2.3', dport: 81 }), ['dst', 'dst'], true],
      ['port 80 outside the /16', pkt({ dst: '10.2.2.3', dport: 80 }), ['dst', 'dst'], true],
      ['port 81 outside the /16', pkt({ dst: '10.2.2.3', dport: 81 }), ['dst', 'dst'], false],
    ]);
  });
  it('hash:net,net: most specific first net, then second', () => {
    const nn = sets('create x hash:net,net\nadd x 10.0.0.0/8,192.168.0.0/16\nadd x 10.1.0.0/16,192.168.0.0/16 nomatch\nadd x 10.0.0.0/8,192.168.1.0/24 nomatch\n').get('x')!;
    table(nn, [
      ['first net more specific wins', pkt({ src: '10.1.0.1', dst: '192.168.2.1' }), ['src', 'dst'], false],
      ['second net more specific wins', pkt({ src: '10.2.0.1', dst: '192.168.1.1' }), ['src', 'dst'], false],
      ['only the broad entry', pkt({ src: '10.2.0.1', dst: '192.168.2.1' }), ['src', 'dst'], true],
    ]);
  });
  it('IPv6 prefixes', () => {
    const v6 = sets('create v hash:net family inet6\nadd v 2001:db8::/32\nadd v 2001:db8:1::/48 nomatch\n').get('v')!;
    table(v6, [
      ['in /32', pkt({ src: '::1', dst: '2001:db8:2::1' }), ['dst'], true],
      ['in nomatch /48', pkt({ src: '::1', dst: '2001:db8:1::1' }), ['dst'], false],
      ['outside', pkt({ src: '::1', dst: '2001:db9::1' }), ['dst'], false],
    ]);
  });
});

describe('contains: hash:net,iface', () => {
  const s = sets(
    [
      'create i hash:net,iface',
      'add i 10.0.0.0/8,eth0',
      'add i 10.1.0.0/16,eth1',
      'add i 10.2.0.0/16,physdev:eth0',
      'add i 172.16.0.0/12,veth wildcard',
      'add i 172.16.1.0/24,veth9 nomatch',
    ].join('\n'),
  ).get('i')!;
  it('reads the in interface for src and the out interface for dst', () => {
    table(s, [
      ['in eth0', pkt({ src: '10.9.0.1', inIface: 'eth0' }), ['src', 'src'], true],
      ['out eth0 with flag src', pkt({ src: '10.9.0.1', outIface: 'eth0' }), ['src', 'src'], false],
      ['out eth0 with flag dst', pkt({ src: '10.9.0.1', outIface: 'eth0' }), ['src', 'dst'], true],
      ['no interface', pkt({ src: '10.9.0.1' }), ['src', 'src'], false],
    ]);
  });
  it('stops at the most specific prefix holding the address, even without the interface there', () => {
    table(s, [
      ['10.1/16 holds it, for eth1 only', pkt({ src: '10.1.0.1', inIface: 'eth0' }), ['src', 'src'], false],
      ['10.1/16 with eth1', pkt({ src: '10.1.0.1', inIface: 'eth1' }), ['src', 'src'], true],
      // A physdev entry sits apart from the packet's key: the search goes on to 10/8.
      ['physdev /16 is not found', pkt({ src: '10.2.0.1', inIface: 'eth0' }), ['src', 'src'], true],
    ]);
  });
  it('wildcard entries match by prefix; nomatch excludes', () => {
    table(s, [
      ['veth12 by wildcard', pkt({ src: '172.16.9.1', inIface: 'veth12' }), ['src', 'src'], true],
      ['eth0 is not veth*', pkt({ src: '172.16.9.1', inIface: 'eth0' }), ['src', 'src'], false],
      ['nomatch /24 for veth9', pkt({ src: '172.16.1.1', inIface: 'veth9' }), ['src', 'src'], false],
      ['the /24 holds it: veth12 not there', pkt({ src: '172.16.1.1', inIface: 'veth12' }), ['src', 'src'], false],
    ]);
  });
});

describe('contains: hash:ip,mark, hash:mac, bitmap types', () => {
  it('hash:ip,mark compares the packet mark under markmask', () => {
    const s = sets('create m hash:ip,mark markmask 0xff00\nadd m 10.0.0.1,0x1200\n').get('m')!;
    table(s, [
      ['mark 0x1234', pkt({ dst: '10.0.0.1', mark: 0x1234 }), ['dst', 'dst'], true],
      ['mark 0x1300', pkt({ dst: '10.0.0.1', mark: 0x1300 }), ['dst', 'dst'], false],
      ['no mark', pkt({ dst: '10.0.0.1' }), ['dst', 'dst'], false],
    ]);
  });

  it('bitmap:port matches TCP and UDP ports only, by the flag', () => {
    const s = sets('create p bitmap:port range 0-65535\nadd p 30064\nadd p 40000-40010\n').get('p')!;
    table(s, [
      ['tcp dport', pkt({ dport: 30064 }), ['dst'], true],
      ['udp dport', pkt({ proto: 'udp', dport: 30064 }), ['dst'], true],
      ['sctp dport', pkt({ proto: 'sctp', dport: 30064 }), ['dst'], false],
      ['icmp', pkt({ proto: 'icmp', icmpType: 8 }), ['dst'], false],
      ['sport with flag src', pkt({ sport: 40005, dport: 1 }), ['src'], true],
      ['sport with flag dst', pkt({ sport: 40005, dport: 1 }), ['dst'], false],
      ['IPv6 packet too (family any)', pkt({ src: '::1', dst: '::2', dport: 30064 }), ['dst'], true],
    ]);
  });

  it('bitmap:ip with netmask covers whole blocks; bitmap:ip,mac and hash:mac read MACs', () => {
    const m = sets(
      'create b bitmap:ip range 10.0.0.0/24 netmask 30\nadd b 10.0.0.4\ncreate c bitmap:ip,mac range 10.0.0.0/24\nadd c 10.0.0.1,00:11:22:33:44:55\nadd c 10.0.0.2\ncreate h hash:mac\nadd h 00:11:22:33:44:55\n',
    );
    table(m.get('b')!, [
      ['.7 in .4/30', pkt({ dst: '10.0.0.7' }), ['dst'], true],
      ['.8 not', pkt({ dst: '10.0.0.8' }), ['dst'], false],
    ]);
    table(m.get('c')!, [
      ['ip and mac', pkt({ src: '10.0.0.1', srcMac: 0x001122334455n }), ['src', 'src'], true],
      ['other mac', pkt({ src: '10.0.0.1', srcMac: 0x001122334456n }), ['src', 'src'], false],
      ['entry without mac matches any', pkt({ src: '10.0.0.2', srcMac: 0x1n }), ['src', 'src'], true],
    ]);
    table(m.get('h')!, [
      ['source mac', pkt({ srcMac: 0x001122334455n }), ['src'], true],
      ['destination mac by dst flag', pkt({ srcMac: 0x001122334455n, dstMac: 0x2n }), ['dst'], false],
    ]);
  });
});

describe('contains: list:set', () => {
  const all = sets(
    'create a hash:ip\nadd a 10.0.0.1\ncreate b hash:ip,port\nadd b 10.0.0.2,tcp:80\ncreate c hash:ip family inet6\nadd c 2001:db8::1\ncreate l list:set\nadd l a\nadd l b\nadd l c\n',
  );
  const l = all.get('l')!;
  it('matches when any member set matches, each with its own dimensions and family', () => {
    table(
      l,
      [
        ['via a (one dimension)', pkt({ dst: '10.0.0.1' }), ['dst'], true],
        ['b needs two flags', pkt({ dst: '10.0.0.2', dport: 80 }), ['dst'], false],
        ['via b', pkt({ dst: '10.0.0.2', dport: 80 }), ['dst', 'dst'], true],
        ['via c (IPv6)', pkt({ src: '::1', dst: '2001:db8::1' }), ['dst'], true],
        ['none', pkt({ dst: '10.0.0.3' }), ['dst'], false],
      ],
      all,
    );
  });
  it('treats member sets it cannot resolve as empty, and says the answer is not known', () => {
    expect(contains(l, pkt({ dst: '10.0.0.1' }), ['dst'])).toBe(false);
    expect(membershipKnown(l)).toBe(false);
    expect(membershipKnown(l, all)).toBe(true);
    expect(membershipKnown(l, (name) => all.get(name))).toBe(true);
  });
  it('does not recurse into a list:set inside a list:set', () => {
    const nested = buildIpsets(parseIpsetText({ name: 't', text: 'create a hash:ip\nadd a 10.0.0.1\ncreate l list:set\ncreate m list:set\nadd m l\nadd l a\nadd l m\n' }));
    const byName = new Map(nested.sets.map((s) => [s.name, s]));
    expect(contains(byName.get('m')!, pkt({ dst: '10.0.0.1' }), ['dst'], byName)).toBe(false);
    expect(contains(byName.get('l')!, pkt({ dst: '10.0.0.1' }), ['dst'], byName)).toBe(true);
  });
});

describe('contains: unknown membership', () => {
  it('answers false for a terse listing or an unknown type, and membershipKnown says why it is not exact', () => {
    const model = buildIpsets(parseIpsetText({ name: 't', text: 'Name: a\nType: hash:ip\n\ncreate b hash:foo\nadd b 10.0.0.1\n' }));
    for (const s of model.sets) {
      expect(contains(s, pkt({ dst: '10.0.0.1' }), ['dst'])).toBe(false);
      expect(membershipKnown(s)).toBe(false);
    }
  });
});
