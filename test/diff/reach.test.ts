import { describe, expect, it } from 'vitest';
import { IntervalSet } from '../../src/eval/interval-set.js';
import { nodeFacts } from '../../src/eval/node-facts.js';
import { AtomIndex, ChainReach, region, type Universe } from '../../src/diff/reach.js';
import { NodeUniverse } from '../../src/diff/universe.js';
import type { Probe } from '../../src/eval/types.js';
import { parseAddress } from '../../src/model/values/address.js';
import { node, sample } from './support.js';

const ip = (t: string) => parseAddress(t)!.first;

const RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:SVC - [0:0]
:SEP - [0:0]
:ORPHAN - [0:0]
-A PREROUTING -d 10.96.0.5/32 -p tcp -m tcp --dport 80 -j SVC
-A SVC -s 10.244.0.0/16 -j RETURN
-A SVC -j SEP
-A SEP -p tcp -j DNAT --to-destination 10.244.3.9:8080
-A ORPHAN -j DROP
COMMIT
`;

function universe(dst: string, port: number, fields: Partial<Universe> = {}): Universe {
  return { family: 'ipv4', proto: 6, src: IntervalSet.of(ip('203.0.113.50')), dst: IntervalSet.of(ip(dst)), sport: IntervalSet.of(40000n), dport: IntervalSet.of(BigInt(port)), ...fields };
}

describe('ChainReach', () => {
  const n = node('n', { 'iptables-save.txt': RULES });
  const reach = new ChainReach(n.ipv4!);
  const nat = n.ipv4!.tables.find((t) => t.name === 'nat')!;
  const rule = (chain: string, k: number) => nat.chainsByName.get(chain)!.rules[k]!;

  it('knows a rule deep in a chain is met only by packets that passed the jumps to it', () => {
    const [r] = reach.ruleRegions(nat, rule('SEP', 0));
    expect(r!.dst?.equals(IntervalSet.of(ip('10.96.0.5')))).toBe(true);
    expect(r!.dport?.equals(IntervalSet.of(80n))).toBe(true);
    expect(r!.proto).toBe(6);
  });

  it('knows nothing reaches a chain no rule jumps to', () => {
    expect(reach.ruleRegions(nat, rule('ORPHAN', 0))).toEqual([]);
  });

  it('drops paths that cannot hold (a source that the rule itself excludes is not modelled: negations narrow nothing)', () => {
    const [r] = reach.ruleRegions(nat, rule('SVC', 0));
    expect(r!.src?.has(ip('10.244.1.1'))).toBe(true);
    expect(r!.dst?.has(ip('10.96.0.5'))).toBe(true);
  });

  it('models a set match by the members of the node\'s set', () => {
    const ipvs = sample('ipvs-local');
    const reachIpvs = new ChainReach(ipvs.ipv4!, ipvs.ipsets);
    const natIpvs = ipvs.ipv4!.tables.find((t) => t.name === 'nat')!;
    const local = natIpvs.chainsByName.get('KUBE-LOAD-BALANCER')!.rules[0]!;
    const regions = reachIpvs.ruleRegions(natIpvs, local);
    const admits = (dst: string, port: number) => regions.some((r) => (r.dst === null || r.dst.has(ip(dst))) && (r.dport === null || r.dport.has(BigInt(port))));
    expect(admits('10.0.0.100', 80)).toBe(true);
    expect(admits('10.0.0.101', 443)).toBe(false);
  });
});

describe('NodeUniverse', () => {
  it('holds the DNAT targets a probe may be sent to', () => {
    const n = node('n', { 'iptables-save.txt': RULES });
    const facts = nodeFacts(n, 'ipv4');
    const u = new NodeUniverse(n, 'ipv4', facts, new ChainReach(n.ipv4!));
    const probe: Probe = { origin: 'external', family: 'ipv4', src: IntervalSet.of(ip('203.0.113.50')), dst: IntervalSet.of(ip('10.96.0.5')), proto: 'tcp', sport: IntervalSet.of(40000n), dport: IntervalSet.of(80n), inIface: null, state: 'NEW', mark: 0, assumeHistory: false };
    const seen = u.of(probe);
    expect(seen.dst.has(ip('10.244.3.9'))).toBe(true);
    expect(seen.dport.has(8080n)).toBe(true);
    const other = u.of({ ...probe, dport: IntervalSet.of(443n) });
    expect(other.dst.has(ip('10.244.3.9'))).toBe(false);
  });

  it('holds the real servers of the IPVS virtual service a probe is sent to', () => {
    const n = sample('ipvs-local');
    const facts = nodeFacts(n, 'ipv4');
    const u = new NodeUniverse(n, 'ipv4', facts, new ChainReach(n.ipv4!, n.ipsets));
    const seen = u.of({ origin: 'pod', family: 'ipv4', src: IntervalSet.of(ip('10.244.1.254')), dst: IntervalSet.of(ip('10.96.45.12')), proto: 'tcp', sport: IntervalSet.of(40000n), dport: IntervalSet.of(8080n), inIface: null, state: 'NEW', mark: 0, assumeHistory: false });
    expect(seen.dst.has(ip('10.244.1.7')) && seen.dst.has(ip('10.244.2.9'))).toBe(true);
  });
});

describe('AtomIndex', () => {
  it('meets a probe only when a region admits all its fields', () => {
    const index = new AtomIndex([{ side: 'a', what: 'x', regions: [region({ family: 'ipv4', dst: IntervalSet.of(ip('10.0.0.100')), dport: IntervalSet.of(80n), proto: 6 })] }]);
    expect(index.reachesEverything).toBeNull();
    expect(index.meets(universe('10.0.0.100', 80))).toBe(true);
    expect(index.meets(universe('10.0.0.100', 443))).toBe(false);
    expect(index.meets(universe('10.0.0.101', 80))).toBe(false);
    expect(index.meets(universe('10.0.0.100', 80, { proto: 17 }))).toBe(false);
  });

  it('meets every probe when one difference has no constraint, and names it', () => {
    const index = new AtomIndex([{ side: 'b', what: 'nat/KUBE-POSTROUTING#2 is only on B', regions: [region({ family: 'ipv4' })] }]);
    expect(index.reachesEverything).toBe('nat/KUBE-POSTROUTING#2 is only on B');
    expect(index.meets(universe('192.0.2.1', 9))).toBe(true);
  });

  it('matches set-member regions on either address', () => {
    const index = new AtomIndex([{ side: 'a', what: 'm', regions: [region({ addrs: [IntervalSet.of(ip('10.244.1.5'))], ports: [IntervalSet.of(8080n)] })] }]);
    expect(index.meets(universe('10.96.0.1', 443, { dst: IntervalSet.of(ip('10.96.0.1')).union(IntervalSet.of(ip('10.244.1.5'))), dport: IntervalSet.of(443n).union(IntervalSet.of(8080n)) }))).toBe(true);
    expect(index.meets(universe('10.96.0.1', 443))).toBe(false);
  });
});
