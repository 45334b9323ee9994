import { describe, expect, it } from 'vitest';
import { findings, nodeOf, samples } from '../support.js';

const ID = 'missing-chain';

function dump(rules: string): ReturnType<typeof nodeOf> {
  return nodeOf('n', { 'iptables-save.txt': `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}COMMIT\n` });
}

describe(ID, () => {
  it('reports jumps and gotos to undeclared chains, once per chain, citing every rule', () => {
    const found = findings([dump('-A INPUT -j DOCKER-USER\n-A FORWARD -j DOCKER-USER\n-A FORWARD -g cali-FORWARD\n')], ID);
    expect(found.map((f) => f.title).sort()).toEqual([
      'IPv4 filter: 1 rule(s) jump to cali-FORWARD, which does not exist',
      'IPv4 filter: 2 rule(s) jump to DOCKER-USER, which does not exist',
    ]);
    expect(found.every((f) => f.severity === 'error')).toBe(true);
    expect(found.find((f) => f.title.includes('DOCKER-USER'))!.evidence).toHaveLength(2);
  });

  it('does not take a target extension iptlens leaves unmodelled, or one with options, for a chain', () => {
    expect(findings([dump('-A INPUT -j SYNPROXY\n-A FORWARD -j FLOWOFFLOAD\n-A INPUT -j WHATEVER --some-option 1\n')], ID)).toEqual([]);
  });

  it('stays quiet when lines of the dump could not be read (the declaration may be one of them)', () => {
    expect(findings([dump(':BROKEN - [0:0\n-A INPUT -j BROKEN\n')], ID)).toEqual([]);
  });

  it('finds none in the samples', () => {
    for (const s of ['iptables-current', 'ipvs-bound-lb', 'calico', 'docker-host']) expect(findings(samples(s), ID), s).toEqual([]);
  });
});
