import { describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../../grammar/ipset/parse.js';
import { textOf } from '../../../grammar/source.js';
import { buildIpsets } from '../../../src/model/ipset/build.js';
import type { IpSet, MemberDimension } from '../../../src/model/ipset/types.js';
import { parseCidr } from '../../../src/model/values/address.js';

function build(text: string) {
  const syntax = parseIpsetText({ name: 'test', text });
  const model = buildIpsets(syntax);
  return { ...model, parseDiagnostics: syntax.diagnostics, byName: new Map(model.sets.map((s) => [s.name, s])) };
}

function set(text: string, name: string): IpSet {
  const s = build(text).byName.get(name);
  if (!s) throw new Error(`no set ${name}`);
  return s;
}

const ip = (text: string): bigint => parseCidr(text)!.first;

function dimTexts(s: IpSet): string[] {
  return s.members.map((m) => m.dims.map((d) => d.text).join(',') + (m.nomatch ? ' nomatch' : ''));
}

describe('buildIpsets: sets and options', () => {
  it('reads a save-form set with its options', () => {
    const s = set(
      'create a hash:ip family inet hashsize 1024 maxelem 65536 timeout 0 counters comment skbinfo bucketsize 12 initval 0xcc00102c\n',
      'a',
    );
    expect(s).toMatchObject({ name: 'a', type: 'hash:ip', typeText: 'hash:ip', family: 'ipv4', form: 'save', listing: null, membersKnown: true });
    expect(s.options).toEqual({
      hashsize: 1024,
      maxelem: 65536,
      timeout: 0,
      counters: true,
      comment: true,
      skbinfo: true,
      forceadd: false,
      bucketsize: 12,
      initval: 0xcc00102c,
      other: [],
    });
    expect(textOf(s.at)).toMatch(/^create a hash:ip/);
  });

  it('reads a list-form set with its listing fields', () => {
    const s = set(
      'Name: KUBE-CLUSTER-IP\nType: hash:ip,port\nRevision: 5\nHeader: family inet hashsize 1024 maxelem 65536\nSize in memory: 768\nReferences: 2\nNumber of entries: 1\nMembers:\n10.96.0.10,udp:53\n',
      'KUBE-CLUSTER-IP',
    );
    expect(s).toMatchObject({ type: 'hash:ip,port', family: 'ipv4', form: 'list', membersKnown: true });
    expect(s.listing).toEqual({ revision: 5, sizeInMemory: 768, references: 2, entries: 1 });
    expect(textOf(s.at)).toBe('Name: KUBE-CLUSTER-IP');
  });

  it('gives every type its family: inet by default, inet6 when asked, any for bitmap:port, hash:mac and list:set', () => {
    const text = [
      'create a hash:net',
      'create b hash:net family inet6',
      'create c bitmap:port range 0-65535',
      'create d list:set',
      'create e hash:mac',
      'create f bitmap:ip range 10.0.0.0/24',
    ].join('\n');
    const { sets, diagnostics } = build(text);
    expect(diagnostics).toEqual([]);
    expect(sets.map((s) => [s.name, s.family])).toEqual([
      ['a', 'ipv4'],
      ['b', 'ipv6'],
      ['c', 'any'],
      ['d', 'any'],
      ['e', 'any'],
      ['f', 'ipv4'],
    ]);
  });

  it('reads bitmap ranges, netmask, bitmask, markmask and list:set size', () => {
    const { byName, diagnostics } = build(
      [
        'create p bitmap:port range 1000-2000 timeout 300',
        'create b bitmap:ip range 10.0.0.0-10.0.0.255 netmask 30',
        'create c bitmap:ip,mac range 192.168.0.0/16',
        'create h hash:ip family inet6 netmask 64',
        'create k hash:ip bitmask 255.0.255.0',
        'create m hash:ip,mark markmask 0xff00',
        'create l list:set size 8',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(byName.get('p')!.options).toMatchObject({ range: { kind: 'port', from: 1000, to: 2000 }, timeout: 300 });
    expect(byName.get('b')!.options).toMatchObject({ range: { kind: 'address', first: ip('10.0.0.0'), last: ip('10.0.0.255') }, netmask: 30 });
    expect(byName.get('c')!.options.range).toMatchObject({ first: ip('192.168.0.0'), last: ip('192.168.255.255') });
    expect(byName.get('h')!.options.netmask).toBe(64);
    expect(byName.get('k')!.options.bitmask).toBe(ip('255.0.255.0'));
    expect(byName.get('m')!.options.markmask).toBe(0xff00);
    expect(byName.get('l')!.options.size).toBe(8);
  });

  it('keeps an unknown option as written, with a warning at it', () => {
    const { sets, diagnostics } = build('create s hash:ip family inet futureopt 7\n');
    expect(sets[0]!.options.other).toEqual([{ name: 'futureopt', value: '7' }]);
    expect(diagnostics.map((d) => [d.code, d.severity, textOf(d.at!)])).toEqual([['ipset/unknown-option', 'warning', 'futureopt 7']]);
  });

  it('warns about an option of another set type and reports bad or missing values', () => {
    const { diagnostics } = build('create s hash:net netmask 24\ncreate t hash:ip hashsize lots\ncreate u hash:ip family\ncreate v hash:ip family inet5\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/option-not-for-type', 'ipset/bad-value', 'ipset/missing-value', 'ipset/bad-value']);
  });

  it('keeps a set of an unknown type with its members as written, and says so', () => {
    const { sets, diagnostics } = build('create s hash:foo\nadd s whatever,1\n');
    expect(sets[0]).toMatchObject({ type: 'unknown', typeText: 'hash:foo' });
    expect(sets[0]!.members.map((m) => [m.text, m.dims])).toEqual([['whatever,1', []]]);
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/unknown-type']);
  });
});

describe('buildIpsets: members of every type', () => {
  it('hash:ip: addresses, prefixes and ranges; netmask widens what a member covers', () => {
    const s = set('create s hash:ip\nadd s 10.0.0.1\nadd s 10.0.0.0/30\nadd s 10.0.0.8-10.0.0.10\n', 's');
    expect(s.members.map((m) => m.dims[0])).toEqual([
      { kind: 'address', family: 'ipv4', first: ip('10.0.0.1'), last: ip('10.0.0.1'), prefix: 32, text: '10.0.0.1' },
      { kind: 'address', family: 'ipv4', first: ip('10.0.0.0'), last: ip('10.0.0.3'), prefix: 30, text: '10.0.0.0/30' },
      { kind: 'address', family: 'ipv4', first: ip('10.0.0.8'), last: ip('10.0.0.10'), prefix: null, text: '10.0.0.8-10.0.0.10' },
    ]);
    const masked = set('create m hash:ip family inet6 netmask 64\nadd m 2001:db8::\n', 'm');
    expect(masked.members[0]!.dims[0]).toMatchObject({ first: ip('2001:db8::'), last: ip('2001:db8::ffff:ffff:ffff:ffff'), prefix: 64 });
  });

  it('hash:ip,port: protocols, default tcp, ranges, ICMP names and numbers, pseudo port 0', () => {
    const s = set(
      [
        'create s hash:ip,port',
        'add s 10.0.0.1,tcp:80',
        'add s 10.0.0.1,udp:53',
        'add s 10.0.0.1,sctp:1000',
        'add s 10.0.0.4,80',
        'add s 10.0.0.5,udplite:9-11',
        'add s 10.0.0.2,icmp:echo-request',
        'add s 10.0.0.3,icmp:3/9',
        'add s 10.0.0.6,gre:0',
        'add s 10.0.0.7,253:0',
      ].join('\n'),
      's',
    );
    expect(s.members.map((m) => m.dims[1])).toEqual([
      { kind: 'port', protocol: 6, from: 80, to: 80, text: 'tcp:80' },
      { kind: 'port', protocol: 17, from: 53, to: 53, text: 'udp:53' },
      { kind: 'port', protocol: 132, from: 1000, to: 1000, text: 'sctp:1000' },
      { kind: 'port', protocol: 6, from: 80, to: 80, text: '80' },
      { kind: 'port', protocol: 136, from: 9, to: 11, text: 'udplite:9-11' },
      { kind: 'port', protocol: 1, from: 0x0800, to: 0x0800, text: 'icmp:echo-request' },
      { kind: 'port', protocol: 1, from: 0x0309, to: 0x0309, text: 'icmp:3/9' },
      { kind: 'port', protocol: 47, from: 0, to: 0, text: 'gre:0' },
      { kind: 'port', protocol: 253, from: 0, to: 0, text: '253:0' },
    ]);
  });

  it('hash:ip,port family inet6 reads ICMPv6 under both of its names', () => {
    const s = set('create s hash:ip,port family inet6\nadd s 2001:db8::1,ipv6-icmp:echo-request\nadd s 2001:db8::1,icmpv6:1/4\n', 's');
    expect(s.members.map((m) => [m.dims[0]!.kind === 'address' && m.dims[0].family, m.dims[1]])).toEqual([
      ['ipv6', { kind: 'port', protocol: 58, from: 128 << 8, to: 128 << 8, text: 'ipv6-icmp:echo-request' }],
      ['ipv6', { kind: 'port', protocol: 58, from: (1 << 8) | 4, to: (1 << 8) | 4, text: 'icmpv6:1/4' }],
    ]);
  });

  it('hash:ip,port,ip, hash:ip,port,net and hash:net,port: one dimension per part', () => {
    const { byName, diagnostics } = build(
      [
        'create a hash:ip,port,ip',
        'add a 10.244.1.2,tcp:3030,10.244.1.2',
        'create b hash:ip,port,net',
        'add b 10.0.0.1,tcp:80,10.1.0.0/16',
        'add b 10.0.0.1,tcp:80,10.1.2.0/24 nomatch',
        'create c hash:net,port',
        'add c 10.0.0.0/8,udp:53',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(dimTexts(byName.get('a')!)).toEqual(['10.244.1.2,tcp:3030,10.244.1.2']);
    expect(dimTexts(byName.get('b')!)).toEqual(['10.0.0.1,tcp:80,10.1.0.0/16', '10.0.0.1,tcp:80,10.1.2.0/24 nomatch']);
    expect(byName.get('b')!.members[1]!.dims.map((d) => d.kind)).toEqual(['address', 'port', 'address']);
    expect(dimTexts(byName.get('c')!)).toEqual(['10.0.0.0/8,udp:53']);
  });

  it('hash:net,iface: interfaces, physdev and wildcard; hash:ip,mark: mark under markmask', () => {
    const { byName, diagnostics } = build(
      [
        'create i hash:net,iface',
        'add i 10.0.0.0/8,eth0',
        'add i 10.0.0.0/8,physdev:eth1',
        'add i 0.0.0.0/0,veth wildcard',
        'create m hash:ip,mark markmask 0xff00',
        'add m 10.0.0.1,0x1234',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(byName.get('i')!.members.map((m) => m.dims[1])).toEqual([
      { kind: 'iface', name: 'eth0', physdev: false, wildcard: false, text: 'eth0' },
      { kind: 'iface', name: 'eth1', physdev: true, wildcard: false, text: 'physdev:eth1' },
      { kind: 'iface', name: 'veth', physdev: false, wildcard: true, text: 'veth' },
    ]);
    expect(byName.get('m')!.members[0]!.dims[1]).toEqual({ kind: 'mark', value: 0x1200, text: '0x1234' });
  });

  it('bitmap types, hash:mac and list:set', () => {
    const { byName, diagnostics } = build(
      [
        'create p bitmap:port range 1000-2000',
        'add p 1500',
        'add p tcp:1600-1610',
        'create b bitmap:ip range 10.0.0.0-10.0.0.255 netmask 30',
        'add b 10.0.0.4',
        'create c bitmap:ip,mac range 10.0.0.0/24',
        'add c 10.0.0.1,00:11:22:33:44:55',
        'add c 10.0.0.3',
        'create h hash:mac',
        'add h 00:11:22:33:44:AA',
        'create l list:set',
        'add l b',
        'add l c before b',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(byName.get('p')!.members.map((m) => m.dims[0])).toEqual([
      { kind: 'port', protocol: null, from: 1500, to: 1500, text: '1500' },
      { kind: 'port', protocol: null, from: 1600, to: 1610, text: 'tcp:1600-1610' },
    ]);
    expect(byName.get('b')!.members[0]!.dims[0]).toMatchObject({ first: ip('10.0.0.4'), last: ip('10.0.0.7'), prefix: 30 });
    expect(byName.get('c')!.members.map((m) => m.dims.length)).toEqual([2, 1]);
    expect(byName.get('h')!.members[0]!.dims[0]).toEqual({ kind: 'mac', value: 0x0011223344aan, text: '00:11:22:33:44:AA' });
    expect(byName.get('l')!.members.map((m) => (m.dims[0] as Extract<MemberDimension, { kind: 'set' }>).name)).toEqual(['c', 'b']);
  });

  it('reads member extensions: timeout, counters, comment, skbinfo', () => {
    const s = set(
      'create a hash:ip timeout 0 counters comment skbinfo\nadd a 10.0.0.1 timeout 99 packets 3 bytes 300 comment "hello world" skbmark 0x1/0xff skbprio 1:2 skbqueue 3\n',
      'a',
    );
    expect(s.members[0]).toMatchObject({
      timeout: 99,
      packets: 3n,
      bytes: 300n,
      comment: 'hello world',
      skbmark: { value: 1, mask: 0xff },
      skbprio: '1:2',
      skbqueue: 3,
      nomatch: false,
      text: '10.0.0.1',
    });
  });
});

describe('buildIpsets: bad members and commands', () => {
  it('does not read a member ipset or the kernel would refuse, and says why at the part', () => {
    const text = [
      'create s hash:ip,port',
      'add s 10.0.0.1,tcp:99999',
      'add s 10.0.0.1,foo:80',
      'add s 2001:db8::1,tcp:80',
      'add s 10.0.0.1,gre:5',
      'add s 10.0.0.1,icmp:8',
      'add s 10.0.0.1',
      'add s 10.0.0.1,icmpv6:echo-request',
      'add s 10.0.0.2,tcp:80 nomatch',
      'create n hash:net',
      'add n 0.0.0.0/0',
      'create p bitmap:port range 1000-2000',
      'add p 80',
      'add s 10.0.0.9,tcp:80',
    ].join('\n');
    const { byName, diagnostics } = build(text);
    expect(diagnostics.map((d) => [d.code, textOf(d.at!)])).toEqual([
      ['ipset/bad-member', 'tcp:99999'],
      ['ipset/bad-member', 'foo:80'],
      ['ipset/bad-member', '2001:db8::1'],
      ['ipset/bad-member', 'gre:5'],
      ['ipset/bad-member', 'icmp:8'],
      ['ipset/member-dimensions', '10.0.0.1'],
      ['ipset/bad-member', 'icmpv6:echo-request'],
      ['ipset/bad-member', '10.0.0.2,tcp:80'],
      ['ipset/bad-member', '0.0.0.0/0'],
      ['ipset/bad-member', '80'],
    ]);
    expect(diagnostics.every((d) => d.severity === 'error' && d.message.includes('was not read'))).toBe(true);
    expect(diagnostics[2]!.message).toContain('family inet');
    expect(dimTexts(byName.get('s')!)).toEqual(['10.0.0.9,tcp:80']);
  });

  it('reports an add to a set that was never created', () => {
    const { sets, diagnostics } = build('add ghost 10.0.0.1\n');
    expect(sets).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/unknown-set']);
    expect(diagnostics[0]!.message).toContain('ghost');
  });

  it('warns about extensions the set was created without, but reads the member', () => {
    const { sets, diagnostics } = build('create s hash:ip\nadd s 10.0.0.1 comment "x" timeout 5\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/extension-not-enabled', 'ipset/extension-not-enabled']);
    expect(sets[0]!.members).toHaveLength(1);
  });

  it('applies del, flush, destroy, rename and swap in order', () => {
    const text = [
      'create a hash:ip',
      'add a 10.0.0.1',
      'add a 10.0.0.2',
      'del a 10.0.0.1',
      'del a 10.0.0.3',
      'create b hash:net',
      'add b 10.0.0.0/8',
      'swap a b',
      'rename b c',
      'create d hash:ip',
      'add d 1.1.1.1',
      'flush d',
      'create e hash:ip',
      'destroy e',
    ].join('\n');
    const { sets, diagnostics } = build(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/not-a-member']);
    expect(sets.map((s) => [s.name, s.type, dimTexts(s)])).toEqual([
      ['a', 'hash:net', ['10.0.0.0/8']],
      ['c', 'hash:ip', ['10.0.0.2']],
      ['d', 'hash:ip', []],
    ]);
  });

  it('keeps an element added twice once, unless -exist replaces it (nomatch flag included)', () => {
    const { byName, diagnostics } = build(
      'create n hash:net\nadd n 10.0.0.0/8\nadd n 10.0.0.0/8 nomatch\nadd n 10.1.0.0/16\nadd n 10.1.0.0/16 nomatch -exist\n',
    );
    expect(dimTexts(byName.get('n')!)).toEqual(['10.0.0.0/8', '10.1.0.0/16 nomatch']);
    expect(diagnostics.map((d) => [d.code, textOf(d.at!)])).toEqual([['ipset/duplicate-member', 'add n 10.0.0.0/8 nomatch']]);
  });

  it('replaces a set defined twice, with a warning at the second definition', () => {
    const { sets, diagnostics } = build('create a hash:ip\nadd a 10.0.0.1\nName: a\nType: hash:net\nMembers:\n10.0.0.0/8\n');
    expect(sets).toHaveLength(1);
    expect(sets[0]).toMatchObject({ type: 'hash:net', form: 'list' });
    expect(diagnostics.map((d) => [d.code, textOf(d.at!)])).toEqual([['ipset/duplicate-set', 'Name: a']]);
  });

  it('warns when "Number of entries" disagrees with the members listed', () => {
    const { sets, diagnostics } = build('Name: a\nType: hash:ip\nNumber of entries: 3\nMembers:\n10.0.0.1\n10.0.0.2\n');
    expect(sets[0]!.members).toHaveLength(2);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['ipset/entries-mismatch', 'warning']]);
    expect(diagnostics[0]!.message).toContain('Number of entries: 3');
  });

  it('marks a listing without members as unknown membership, and one without a type as unreadable', () => {
    const { sets, diagnostics } = build('Name: a\nType: hash:ip\nNumber of entries: 3\n\nName: b\nMembers:\n10.0.0.1\n');
    expect(sets.map((s) => [s.name, s.membersKnown])).toEqual([['a', false]]);
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/members-not-listed', 'ipset/missing-type']);
  });

  it('checks list:set members: missing sets and nested list:sets', () => {
    const { diagnostics } = build('create l list:set\ncreate m list:set\nadd l m\nadd l nowhere\n');
    expect(diagnostics.map((d) => [d.code, textOf(d.at!)])).toEqual([
      ['ipset/list-of-list', 'add l m'],
      ['ipset/list-member-missing', 'add l nowhere'],
    ]);
  });
});
