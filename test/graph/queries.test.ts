import { describe, expect, it } from 'vitest';
import { buildChainGraph, jumpCycles, maxCallDepth, missingChains, parseIptablesSave, topFanIn, unreachableChains, reachableFrom } from '../../src/index.js';

const rs = parseIptablesSave(
  [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':KUBE-SERVICES - [0:0]',
    ':KUBE-SVC-A - [0:0]',
    ':KUBE-SEP-A - [0:0]',
    ':KUBE-MARK-MASQ - [0:0]',
    ':ORPHAN - [0:0]',
    ':LOOP1 - [0:0]',
    ':LOOP2 - [0:0]',
    '-A PREROUTING -j KUBE-SERVICES',
    '-A KUBE-SERVICES -d 10.96.0.1 -j KUBE-SVC-A',
    '-A KUBE-SVC-A -j KUBE-SEP-A',
    '-A KUBE-SEP-A -s 10.244.0.5 -j KUBE-MARK-MASQ',
    '-A KUBE-SVC-A -j KUBE-MARK-MASQ',
    '-A KUBE-SERVICES -g KUBE-SEP-GONE',
    '-A LOOP1 -j LOOP2',
    '-A LOOP2 -j LOOP1',
    'COMMIT',
  ].join('\n'),
);
const graph = buildChainGraph(rs);

describe('chain graph queries', () => {
  it('finds chains that rules jump to but that do not exist, with the rules', () => {
    const missing = missingChains(graph);
    expect(missing.map((m) => m.chain)).toEqual(['KUBE-SEP-GONE']);
    expect(missing[0]!.referencedBy.map((r) => `${r.chain}#${r.index}`)).toEqual(['KUBE-SERVICES#2']);
  });

  it('finds user chains nothing reaches', () => {
    expect(unreachableChains(graph).map((c) => c.chain).sort()).toEqual(['LOOP1', 'LOOP2', 'ORPHAN']);
  });

  it('finds jump loops and names the rules that close them', () => {
    const cycles = jumpCycles(graph);
    expect(cycles).toHaveLength(1);
    expect([...cycles[0]!.chains].sort()).toEqual(['LOOP1', 'LOOP2']);
    expect(cycles[0]!.rules).toHaveLength(2);
  });

  it('measures the longest call depth from a built-in chain', () => {
    const { depth, path } = maxCallDepth(graph);
    expect(depth).toBe(5);
    expect(path.map((p) => p.chain)).toEqual(['PREROUTING', 'KUBE-SERVICES', 'KUBE-SVC-A', 'KUBE-SEP-A', 'KUBE-MARK-MASQ']);
  });

  it('ranks hubs by fan-in', () => {
    expect(topFanIn(graph, 1)[0]).toMatchObject({ chain: 'KUBE-MARK-MASQ', fanIn: 2, fanOut: 0 });
  });

  it('lists what a chain reaches', () => {
    expect([...reachableFrom(graph, 'nat', 'KUBE-SVC-A')].sort()).toEqual(['nat:KUBE-MARK-MASQ', 'nat:KUBE-SEP-A', 'nat:KUBE-SVC-A']);
  });
});
