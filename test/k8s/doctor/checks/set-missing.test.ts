import { describe, expect, it } from 'vitest';
import { findings, nodeOf, run, samples } from '../support.js';

const ID = 'set-missing';
const RULES = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m set --match-set present src -j DROP\n-A INPUT -m set ! --match-set absent src -j DROP\n-A FORWARD -m set --match-set absent dst -j ACCEPT\nCOMMIT\n';

describe(ID, () => {
  it('reports each set rules use that the ipset dump lacks, with every rule', () => {
    const found = findings([nodeOf('n', { 'iptables-save.txt': RULES, 'ipset-save.txt': 'create present hash:ip family inet\n' })], ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([['error', '2 rule(s) use ipset absent, which is not in the ipset dump']]);
    expect(found[0]!.evidence).toHaveLength(2);
  });

  it('without an ipset dump it cannot tell, and says the check was skipped', () => {
    const node = nodeOf('n', { 'iptables-save.txt': RULES });
    const result = run([node], ID);
    expect(result.findings).toEqual([]);
    expect(result.skipped).toEqual([{ check: ID, node: 'n', missing: ['ipsets'] }]);
  });

  it('finds none in the IPVS samples', () => {
    for (const s of ['ipvs-local', 'ipvs-bound-lb', 'calico']) expect(findings(samples(s), ID), s).toEqual([]);
  });
});
