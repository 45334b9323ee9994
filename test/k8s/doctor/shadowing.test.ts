/**
 * The shadowing comparison is sound: whenever it says an earlier rule covers a later one, every
 * packet of a small universe that the later rule matches is matched by the earlier one, as an
 * independent matcher written here from the iptables man pages decides. Random rule pairs from a
 * grammar of the header matches it compares by containment (fast-check).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../../src/index.js';
import { implies } from '../../../src/k8s/doctor/shadowing.js';
import { parseCidr } from '../../../src/model/values/address.js';

interface Spec {
  readonly src: { neg: boolean; cidr: string } | null;
  readonly dst: { neg: boolean; cidr: string } | null;
  readonly iface: { neg: boolean; name: string } | null;
  readonly proto: { neg: boolean; name: 'tcp' | 'udp' } | null;
  readonly dport: { neg: boolean; range: string } | null;
  readonly multiport: string | null;
}

interface Packet {
  readonly src: string;
  readonly dst: string;
  readonly iface: string;
  readonly proto: 'tcp' | 'udp' | 'icmp';
  readonly dport: number;
}

const negatable = <T>(arb: fc.Arbitrary<T>) => fc.option(fc.record({ neg: fc.boolean(), v: arb }), { nil: null });

const raw = fc.record({
  src: negatable(fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '10.1.2.3', '192.168.0.0/16')),
  dst: negatable(fc.constantFrom('10.0.0.5', '172.16.0.0/12', '0.0.0.0/1')),
  iface: negatable(fc.constantFrom('eth0', 'eth+', 'eth1', 'wg0')),
  proto: negatable(fc.constantFrom('tcp' as const, 'udp' as const)),
  dport: negatable(fc.constantFrom('22', '1000:2000', '1500', '80')),
  multiport: fc.option(fc.constantFrom('80,443', '22,1500', '1000:2000,80'), { nil: null }),
});
type Raw = typeof raw extends fc.Arbitrary<infer T> ? T : never;

function specOf(r: Raw): Spec {
  const positiveProto = r.proto !== null && !r.proto.neg;
  return {
    src: r.src && { neg: r.src.neg, cidr: r.src.v },
    dst: r.dst && { neg: r.dst.neg, cidr: r.dst.v },
    iface: r.iface && { neg: r.iface.neg, name: r.iface.v },
    proto: r.proto && { neg: r.proto.neg, name: r.proto.v },
    // Port matches need `-p tcp|udp` (iptables refuses them otherwise).
    dport: positiveProto ? r.dport && { neg: r.dport.neg, range: r.dport.v } : null,
    multiport: positiveProto ? r.multiport : null,
  };
}

/** Unrelated pairs, and pairs whose later rule adds tests to the earlier one's (so covers are common). */
const pairs: fc.Arbitrary<[Spec, Spec]> = fc.oneof(
  fc.tuple(raw, raw).map(([a, b]) => [specOf(a), specOf(b)] as [Spec, Spec]),
  fc.tuple(raw, raw).map(([a, extra]) => {
    const b = { ...extra };
    for (const k of Object.keys(a) as (keyof Raw)[]) if (a[k] !== null) (b as Record<string, unknown>)[k] = a[k];
    return [specOf(a), specOf(b)] as [Spec, Spec];
  }),
);

function ruleText(s: Spec, target: string): string {
  const parts = ['-A INPUT'];
  if (s.src) parts.push(`${s.src.neg ? '! ' : ''}-s ${s.src.cidr}`);
  if (s.dst) parts.push(`${s.dst.neg ? '! ' : ''}-d ${s.dst.cidr}`);
  if (s.iface) parts.push(`${s.iface.neg ? '! ' : ''}-i ${s.iface.name}`);
  if (s.proto) parts.push(`${s.proto.neg ? '! ' : ''}-p ${s.proto.name}`);
  if (s.dport && s.proto) parts.push(`-m ${s.proto.name} ${s.dport.neg ? '! ' : ''}--dport ${s.dport.range}`);
  if (s.multiport) parts.push(`-m multiport --dports ${s.multiport}`);
  parts.push(`-j ${target}`);
  return parts.join(' ');
}

function inCidr(address: string, cidr: string): boolean {
  const a = parseCidr(address)!;
  const c = parseCidr(cidr)!;
  return a.first >= c.first && a.first <= c.last;
}

function inRange(port: number, range: string): boolean {
  const [lo, hi] = range.split(':').map(Number);
  return port >= lo! && port <= (hi ?? lo)!;
}

/** iptables(8) / iptables-extensions(8) semantics of the generated matches. */
function matches(s: Spec, p: Packet): boolean {
  const neg = (n: boolean, v: boolean) => (n ? !v : v);
  if (s.src && !neg(s.src.neg, inCidr(p.src, s.src.cidr))) return false;
  if (s.dst && !neg(s.dst.neg, inCidr(p.dst, s.dst.cidr))) return false;
  if (s.iface && !neg(s.iface.neg, s.iface.name.endsWith('+') ? p.iface.startsWith(s.iface.name.slice(0, -1)) : p.iface === s.iface.name)) return false;
  if (s.proto && !neg(s.proto.neg, p.proto === s.proto.name)) return false;
  if (s.dport && !neg(s.dport.neg, inRange(p.dport, s.dport.range))) return false;
  if (s.multiport && !s.multiport.split(',').some((r) => inRange(p.dport, r))) return false;
  return true;
}

const PACKETS: Packet[] = [];
for (const src of ['10.0.0.1', '10.1.0.9', '10.1.2.3', '192.168.1.1', '8.8.8.8'])
  for (const dst of ['10.0.0.5', '172.16.1.1', '200.1.1.1', '1.2.3.4'])
    for (const iface of ['eth0', 'eth1', 'eth10', 'wg0', 'lo'])
      for (const proto of ['tcp', 'udp', 'icmp'] as const)
        for (const dport of [22, 80, 443, 1500, 999, 3000]) PACKETS.push({ src, dst, iface, proto, dport });

function rulesOf(a: Spec, b: Spec) {
  const rs = parseIptablesSave(`*filter\n:INPUT ACCEPT [0:0]\n${ruleText(a, 'ACCEPT')}\n${ruleText(b, 'DROP')}\nCOMMIT\n`, 'pair');
  expect(rs.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const rules = rs.tables[0]!.chainsByName.get('INPUT')!.rules;
  return [rules[0]!, rules[1]!] as const;
}

describe('shadowing: implies()', () => {
  it('is sound: a claimed cover holds for every packet of the universe', () => {
    let claimed = 0;
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        const [early, later] = rulesOf(a, b);
        if (!implies(early, later, true)) return true;
        claimed++;
        for (const p of PACKETS) if (matches(b, p) && !matches(a, p)) return false;
        return true;
      }),
      { numRuns: 3000, seed: 20260317 },
    );
    // The property is not vacuous: covers are claimed often enough to be tested.
    expect(claimed).toBeGreaterThan(100);
  });

  it('finds the covers the man pages imply', () => {
    const cases: [string, string, boolean][] = [
      ['-s 10.0.0.0/8', '-s 10.1.2.3 -p tcp', true],
      ['! -s 10.0.0.0/8', '-s 192.168.0.0/16', true],
      ['! -s 10.0.0.0/8', '! -s 10.1.0.0/16', false],
      ['! -s 10.1.0.0/16', '! -s 10.0.0.0/8', true],
      ['-i eth+', '-i eth0', true],
      ['-i eth0', '-i eth+', false],
      ['! -i wg0', '-i eth0', true],
      ['! -p tcp', '-p udp', true],
      ['-p tcp -m tcp --dport 1000:2000', '-p tcp -m tcp --dport 1500', true],
      ['-p tcp -m tcp ! --dport 22', '-p tcp -m tcp --dport 80', true],
      ['-p tcp -m multiport --dports 80,443', '-p tcp -m tcp --dport 443', true],
      ['-p tcp -m multiport --dports 80,443', '-p tcp -m multiport --dports 443,8443', false],
    ];
    for (const [early, later, expected] of cases) {
      const rs = parseIptablesSave(`*filter\n:INPUT ACCEPT [0:0]\n-A INPUT ${early} -j ACCEPT\n-A INPUT ${later} -j DROP\nCOMMIT\n`, 'case');
      const [r1, r2] = rs.tables[0]!.chainsByName.get('INPUT')!.rules;
      expect(implies(r1!, r2!, true), `${early} ⊇ ${later}`).toBe(expected);
    }
  });
});
