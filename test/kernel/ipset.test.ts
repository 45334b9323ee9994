/**
 * The ipset grammar and model against the kernel: sets of every type are created in a private
 * network namespace with `ipset restore`, read back with `ipset save` and `ipset list` (plain and
 * `-o save`), parsed, and the models compared; then `contains` is compared with `ipset test` on
 * packets built around every member. Skips, saying why, unless root with `ip netns` and ipset.
 *
 * Types the running kernel does not have (`ipset create` says "set type not supported") are
 * left out with a visible warning.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../grammar/ipset/parse.js';
import { buildIpsets } from '../../src/model/ipset/build.js';
import { contains } from '../../src/model/ipset/contains.js';
import { dimensionsOf } from '../../src/model/ipset/dimensions.js';
import { formatIcmpTypeCode, hasPorts, protocolName, ICMP, ICMPV6 } from '../../src/model/ipset/protocols.js';
import type { Direction, IpSet, IpSetMember, IpSetPacket, MemberDimension } from '../../src/model/ipset/types.js';
import { formatAddress, type Family } from '../../src/model/values/address.js';

const ns = `iptl-ipset-${process.pid}-0`;

function probe(): { ok: true } | { ok: false; why: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'not running as root' };
  if (spawnSync('ipset', ['--version']).status !== 0) return { ok: false, why: 'the ipset command is missing' };
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) return { ok: false, why: `ip netns add failed: ${add.stderr.trim()}` };
  return { ok: true };
}

const available = probe();
let created = available.ok;
const removeNamespace = (): void => {
  if (!created) return;
  created = false;
  spawnSync('ip', ['netns', 'del', ns]);
};
process.on('exit', removeNamespace);
if (!available.ok) console.warn(`[kernel/ipset] skipped: ${available.why}.`);

/** Runs a command in the namespace; stdin optional. */
function inNs(args: readonly string[], input?: string): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

interface SetSpec {
  readonly create: string;
  readonly adds: readonly string[];
}

// Every type kube-proxy, Calico and Cilium use, with the options and member forms they print.
const specs: readonly SetSpec[] = [
  {
    create: 'create t-hip hash:ip family inet hashsize 1024 maxelem 65536 timeout 0 counters comment skbinfo',
    adds: [
      'add t-hip 10.0.0.1 timeout 0 packets 3 bytes 300 comment "one two" skbmark 0x1/0xff skbprio 1:2 skbqueue 3',
      'add t-hip 10.0.0.2 timeout 0',
      'add t-hip 10.0.1.0/30 timeout 0',
      'add t-hip 10.0.2.1-10.0.2.3 timeout 0',
    ],
  },
  { create: 'create t-hip-nm hash:ip netmask 24', adds: ['add t-hip-nm 10.9.1.7', 'add t-hip-nm 10.9.3.0'] },
  { create: 'create t-hip6 hash:ip family inet6 netmask 64', adds: ['add t-hip6 2001:db8::1', 'add t-hip6 2001:db8:0:5::'] },
  {
    create: 'create t-hipport hash:ip,port family inet',
    adds: [
      'add t-hipport 10.96.0.10,udp:53',
      'add t-hipport 10.96.0.10,tcp:53',
      'add t-hipport 10.96.0.1,tcp:443',
      'add t-hipport 10.96.0.2,sctp:9000-9003',
      'add t-hipport 10.96.0.3,icmp:echo-request',
      'add t-hipport 10.96.0.3,icmp:3/4',
      'add t-hipport 10.96.0.4,gre:0',
      'add t-hipport 10.96.0.5,udplite:7',
      'add t-hipport 10.96.0.6,80',
    ],
  },
  {
    create: 'create t-hipport6 hash:ip,port family inet6',
    adds: ['add t-hipport6 fd00::10,tcp:443', 'add t-hipport6 fd00::10,icmpv6:echo-request', 'add t-hipport6 fd00::11,udp:53'],
  },
  {
    create: 'create t-hipportip hash:ip,port,ip',
    adds: ['add t-hipportip 10.244.1.2,tcp:3030,10.244.1.2', 'add t-hipportip 10.244.1.6,tcp:80,10.244.1.6'],
  },
  {
    create: 'create t-hipportnet hash:ip,port,net',
    adds: [
      'add t-hipportnet 198.51.100.1,tcp:80,10.0.0.0/8',
      'add t-hipportnet 198.51.100.1,tcp:80,10.1.0.0/16 nomatch',
      'add t-hipportnet 198.51.100.1,tcp:80,10.1.2.0/24',
      'add t-hipportnet 198.51.100.2,udp:53,128.0.0.0/1',
    ],
  },
  {
    create: 'create t-hnet hash:net',
    adds: [
      'add t-hnet 10.0.0.0/8',
      'add t-hnet 10.1.0.0/16 nomatch',
      'add t-hnet 10.1.1.0/24',
      'add t-hnet 10.1.1.128/25 nomatch',
      'add t-hnet 192.168.1.1',
      'add t-hnet 172.16.0.1-172.16.0.6',
      'add t-hnet 172.16.0.4/32 nomatch',
    ],
  },
  { create: 'create t-hnet6 hash:net family inet6', adds: ['add t-hnet6 2001:db8::/32', 'add t-hnet6 2001:db8:1::/48 nomatch'] },
  {
    create: 'create t-hnetport hash:net,port',
    adds: [
      'add t-hnetport 10.0.0.0/8,tcp:80',
      'add t-hnetport 10.1.0.0/16,tcp:80 nomatch',
      'add t-hnetport 10.1.0.0/16,tcp:81',
      'add t-hnetport 10.2.0.0/16,udp:1000-1002',
    ],
  },
  {
    create: 'create t-hnetiface hash:net,iface',
    adds: [
      'add t-hnetiface 10.0.0.0/8,eth0',
      'add t-hnetiface 10.1.0.0/16,eth1',
      'add t-hnetiface 10.2.0.0/16,physdev:eth0',
      'add t-hnetiface 172.16.0.0/12,veth wildcard',
      'add t-hnetiface 172.16.1.0/24,veth9 nomatch',
      'add t-hnetiface 0.0.0.0/0,lo',
    ],
  },
  { create: 'create t-hipmark hash:ip,mark markmask 0xff00', adds: ['add t-hipmark 10.0.0.1,0x1200'] },
  { create: 'create t-bport bitmap:port range 1000-2000 timeout 300', adds: ['add t-bport 1500 timeout 0', 'add t-bport 1600-1603 timeout 0'] },
  { create: 'create t-bip bitmap:ip range 10.0.0.0/24 netmask 30', adds: ['add t-bip 10.0.0.4', 'add t-bip 10.0.0.17'] },
  {
    create: 'create t-bipmac bitmap:ip,mac range 10.0.0.0/24',
    adds: ['add t-bipmac 10.0.0.1,00:11:22:33:44:55', 'add t-bipmac 10.0.0.9,02:00:00:00:00:0a'],
  },
  { create: 'create t-list list:set size 8', adds: ['add t-list t-hip', 'add t-list t-hnet'] },
];

/** Every ICMP and ICMPv6 type/code pair ipset has a name for, and some it has not. */
const icmpPairs = (types: readonly number[]): [number, number][] => types.flatMap((t) => Array.from({ length: 17 }, (_, c): [number, number] => [t, c]));
const icmp4 = icmpPairs([0, 1, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 17, 18]);
const icmp6 = icmpPairs([1, 2, 3, 4, 128, 129, 130, 133, 134, 135, 136, 137]);
const icmpSpecs: readonly SetSpec[] = [
  { create: 'create t-icmp hash:ip,port', adds: icmp4.map(([t, c]) => `add t-icmp 10.0.0.1,icmp:${t}/${c}`) },
  { create: 'create t-icmp6 hash:ip,port family inet6', adds: icmp6.map(([t, c]) => `add t-icmp6 ::1,icmpv6:${t}/${c}`) },
];

function model(text: string, name: string): { sets: readonly IpSet[]; byName: Map<string, IpSet> } {
  const syntax = parseIpsetText({ name, text });
  const built = buildIpsets(syntax);
  expect([...syntax.diagnostics, ...built.diagnostics].map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  return { sets: built.sets, byName: new Map(built.sets.map((s) => [s.name, s])) };
}

/** What must agree between two readings of the same kernel sets (remaining timeouts tick). */
function comparable(sets: readonly IpSet[]): unknown {
  const dims = (ds: readonly MemberDimension[]): string => JSON.stringify(ds, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return [...sets]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => ({
      name: s.name,
      type: s.type,
      family: s.family,
      options: JSON.parse(JSON.stringify(s.options, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
      membersKnown: s.membersKnown,
      members: s.members
        .map((m) => ({
          dims: dims(m.dims),
          nomatch: m.nomatch,
          comment: m.comment ?? null,
          packets: m.packets?.toString() ?? null,
          bytes: m.bytes?.toString() ?? null,
          skb: [m.skbmark ?? null, m.skbprio ?? null, m.skbqueue ?? null],
        }))
        .sort((a, b) => a.dims.localeCompare(b.dims)),
    }));
}

describe.skipIf(!available.ok)('ipset text from the kernel', () => {
  let supported: SetSpec[] = [];
  let saved = '';
  let listed = '';
  let listedSave = '';
  let listedPlain = '';

  beforeAll(() => {
    // Leave out the types this kernel lacks, and say so.
    supported = specs.filter((spec) => {
      const [, name, type, ...options] = spec.create.split(' ') as [string, string, string, ...string[]];
      const probeName = `probe-${name}`;
      const r = spawnSync('ip', ['netns', 'exec', ns, 'ipset', 'create', probeName, type, ...options], { encoding: 'utf8' });
      if (r.status !== 0) {
        console.warn(`[kernel/ipset] set type ${type} left out: ${r.stderr.trim()}`);
        return false;
      }
      spawnSync('ip', ['netns', 'exec', ns, 'ipset', 'destroy', probeName]);
      return true;
    });
    const script = [...supported, ...icmpSpecs].flatMap((s) => [s.create, ...s.adds]).join('\n') + '\nCOMMIT\n';
    inNs(['ipset', 'restore'], script);
    saved = inNs(['ipset', 'save']);
    listed = inNs(['ipset', 'list']);
    listedSave = inNs(['ipset', 'list', '-o', 'save']);
    listedPlain = inNs(['ipset', 'list', '-o', 'plain']);
  });

  afterAll(removeNamespace);

  it('creates most of the types (the test is not vacuous)', () => {
    expect(supported.length).toBeGreaterThanOrEqual(specs.length - 2);
  });

  it('reads ipset save, ipset list, list -o save and list -o plain to the same model', () => {
    const fromSave = model(saved, 'ipset save');
    const fromList = model(listed, 'ipset list');
    expect(fromSave.sets.map((s) => s.form)).toEqual(fromSave.sets.map(() => 'save'));
    expect(fromList.sets.map((s) => s.form)).toEqual(fromList.sets.map(() => 'list'));
    expect(comparable(fromList.sets)).toEqual(comparable(fromSave.sets));
    expect(comparable(model(listedSave, 'ipset list -o save').sets)).toEqual(comparable(fromSave.sets));
    expect(comparable(model(listedPlain, 'ipset list -o plain').sets)).toEqual(comparable(fromSave.sets));
  });

  it('reads every set that was created, with its type, family and member count', () => {
    const { byName } = model(listed, 'ipset list');
    for (const spec of supported) {
      const [, name, type] = spec.create.split(' ') as [string, string, string];
      const set = byName.get(name);
      expect(set?.type).toBe(type);
      expect(set?.family).toBe(spec.create.includes('inet6') ? 'ipv6' : ['bitmap:port', 'list:set'].includes(type) ? 'any' : 'ipv4');
      // The kernel expands ranges; ipset list says how many entries it holds.
      expect(set?.members.length).toBe(set?.listing?.entries);
    }
    expect(byName.get('t-hip')!.members.length).toBe(9);
    expect(byName.get('t-hnet')!.members.filter((m) => m.nomatch).length).toBe(3);
  });

  it('maps every ICMP and ICMPv6 name ipset prints back to its type/code', () => {
    const { byName } = model(saved, 'ipset save');
    for (const [set, protocol, pairs] of [['t-icmp', ICMP, icmp4], ['t-icmp6', ICMPV6, icmp6]] as const) {
      const ports = byName.get(set)!.members.map((m) => (m.dims[1]?.kind === 'port' ? m.dims[1].from : -1));
      expect([...ports].sort((x, y) => x - y)).toEqual(pairs.map(([t, c]) => (t << 8) | c).sort((x, y) => x - y));
      // And the names we print are the ones ipset prints.
      const printed = byName.get(set)!.members.map((m) => m.dims[1]!.text.replace(/^[^:]*:/, ''));
      expect(printed.sort()).toEqual(ports.map((p) => formatIcmpTypeCode(protocol, p)).sort());
    }
  });

  it('answers membership as `ipset test` does, on packets around every member', () => {
    const { byName } = model(saved, 'ipset save');
    let compared = 0;
    const outcomes = { in: 0, out: 0 };
    for (const set of byName.values()) {
      if (set.type === 'list:set' || set.name.startsWith('t-icmp')) continue;
      const cases = packetsAround(set);
      const tests = cases.map((c) => c.element);
      const kernel = kernelTest(set.name, tests);
      const ours = cases.map((c) => contains(set, c.packet, c.flags));
      const disagreements = cases
        .map((c, i) => ({ element: c.element, kernel: kernel[i], ours: ours[i] }))
        .filter((d) => d.kernel !== d.ours);
      expect({ set: set.name, disagreements }).toEqual({ set: set.name, disagreements: [] });
      compared += cases.length;
      for (const k of kernel) if (k === true) outcomes.in++;
      else if (k === false) outcomes.out++;
    }
    expect(compared).toBeGreaterThan(300);
    // Both answers are common: the packets sit on the members' edges.
    expect(outcomes.in).toBeGreaterThan(50);
    expect(outcomes.out).toBeGreaterThan(100);
    console.info(`[kernel/ipset] ${compared} membership tests agree with ipset test (${outcomes.in} in, ${outcomes.out} out).`);
  });
});

/**
 * `ipset test SET ELEMENT` for many elements in one shell: true when the element is in the set,
 * false when ipset says it is not, and ipset's message when it could not test at all.
 */
function kernelTest(set: string, elements: readonly string[]): (boolean | string)[] {
  const script = elements
    .map(
      (e) =>
        `out=$(ipset test ${set} '${e}' 2>&1); case "$out" in *"is NOT in set"*) echo no;; *"is in set"*) echo yes;; *) echo "$out" | tr '\\n' ' '; echo;; esac`,
    )
    .join('\n');
  const out = inNs(['sh', '-s'], `${script}\n`).replace(/\n$/, '').split('\n');
  return out.map((line) => (line === 'yes' ? true : line === 'no' ? false : line));
}

interface Case {
  readonly packet: IpSetPacket;
  readonly flags: Direction[];
  /** The same test as an ipset element. */
  readonly element: string;
}

const maxOf = (family: Family): bigint => (family === 'ipv4' ? (1n << 32n) - 1n : (1n << 128n) - 1n);

/** Values worth testing in one dimension: each member's edges and their neighbours. */
function candidates(set: IpSet, index: number): MemberDimension[] {
  const out = new Map<string, MemberDimension>();
  const put = (d: MemberDimension): void => {
    out.set(JSON.stringify(d, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)), d);
  };
  for (const m of set.members) {
    const d = m.dims[index];
    if (!d) continue;
    switch (d.kind) {
      case 'address': {
        const max = maxOf(d.family);
        for (const v of [d.first, d.last, d.first - 1n, d.last + 1n, (d.first + d.last) / 2n]) {
          if (v >= 0n && v <= max) put({ ...d, first: v, last: v, prefix: null, text: '' });
        }
        break;
      }
      case 'port': {
        // Protocols without ports only have the pseudo port 0 (ipset refuses any other).
        const portless = d.protocol !== null && !hasPorts(d.protocol) && d.protocol !== ICMP && d.protocol !== ICMPV6;
        for (const v of portless ? [0] : [d.from, d.to, d.from - 1, d.to + 1]) if (v >= 0 && v <= 65535) put({ ...d, from: v, to: v });
        if (d.protocol !== null && d.protocol !== ICMP && d.protocol !== ICMPV6) {
          // The same port under another protocol.
          put({ ...d, protocol: d.protocol === 6 ? 17 : 6 });
        }
        break;
      }
      case 'iface':
        for (const name of [d.name, `${d.name}7`, 'other0']) put({ kind: 'iface', name, physdev: false, wildcard: false, text: name });
        break;
      case 'mark':
        for (const v of [d.value, d.value + 1, d.value | 0x34]) put({ ...d, value: v >>> 0 });
        break;
      case 'mac':
        for (const v of [d.value, d.value ^ 1n]) put({ kind: 'mac', value: v, text: formatMac(v) });
        break;
      case 'set':
        put(d);
    }
  }
  return [...out.values()];
}

function formatMac(value: bigint): string {
  return value
    .toString(16)
    .padStart(12, '0')
    .replace(/(..)(?!$)/g, '$1:');
}

/** A member dimension narrowed to its first value (a packet holds one address, one port). */
function firstValue(d: MemberDimension): MemberDimension {
  switch (d.kind) {
    case 'address':
      return { ...d, last: d.first, prefix: null };
    case 'port':
      return { ...d, to: d.from };
    case 'iface':
    case 'mark':
    case 'mac':
    case 'set':
      return d;
  }
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Packets combining candidate values of every dimension, with random direction flags. */
function packetsAround(set: IpSet): Case[] {
  const kinds = dimensionsOf(set.type);
  const pools = kinds.map((_k, i) => candidates(set, i));
  const next = random(set.name.length * 7919 + set.members.length);
  const cases: Case[] = [];
  const seen = new Set<string>();
  const build = (values: MemberDimension[]): void => {
    // Two address dimensions must read different addresses of the packet (dst,dst,src in kube-proxy).
    const first: Direction = next() < 0.5 ? 'src' : 'dst';
    let addresses = 0;
    const flags: Direction[] = values.map((d) => {
      if (d.kind !== 'address') return next() < 0.5 ? 'src' : 'dst';
      return addresses++ === 0 ? first : first === 'src' ? 'dst' : 'src';
    });
    let packet: IpSetPacket = { family: set.family === 'ipv6' ? 'ipv6' : 'ipv4', src: 1n, dst: 1n, proto: 'tcp' };
    const parts: string[] = [];
    values.forEach((d, i) => {
      const dir = flags[i]!;
      switch (d.kind) {
        case 'address':
          packet = { ...packet, family: d.family, [dir]: d.first };
          parts.push(formatAddress(d.family, d.first));
          break;
        case 'port': {
          if (d.protocol === null) {
            packet = { ...packet, proto: next() < 0.5 ? 'tcp' : 'udp', [dir === 'src' ? 'sport' : 'dport']: d.from };
            parts.push(String(d.from));
          } else if (d.protocol === ICMP || d.protocol === ICMPV6) {
            packet = { ...packet, proto: d.protocol, icmpType: d.from >> 8, icmpCode: d.from & 0xff };
            parts.push(`${d.protocol === ICMP ? 'icmp' : 'icmpv6'}:${d.from >> 8}/${d.from & 0xff}`);
          } else {
            packet = { ...packet, proto: d.protocol, [dir === 'src' ? 'sport' : 'dport']: d.from };
            parts.push(`${protocolName(d.protocol)}:${d.from}`);
          }
          break;
        }
        case 'iface':
          packet = { ...packet, [dir === 'src' ? 'inIface' : 'outIface']: d.name };
          parts.push(d.name);
          break;
        case 'mark':
          packet = { ...packet, mark: d.value };
          parts.push(`0x${d.value.toString(16)}`);
          break;
        case 'mac':
          packet = { ...packet, [dir === 'src' ? 'srcMac' : 'dstMac']: d.value };
          parts.push(formatMac(d.value));
          break;
        case 'set':
          parts.push(d.text);
      }
    });
    const element = parts.join(',');
    if (seen.has(element)) return;
    seen.add(element);
    cases.push({ packet, flags, element });
  };
  // Each member's own first value, then random combinations across members.
  for (const m of set.members as readonly IpSetMember[]) build(m.dims.map(firstValue));
  for (let n = 0; n < 60; n++) build(pools.map((pool) => pool[Math.floor(next() * pool.length)]!));
  return cases;
}
