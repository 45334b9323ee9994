import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch, ruleOf } from '../rule-of.js';

describe('multiport', () => {
  it('reads the direction, ports, ranges and negation', () => {
    const m = matchOf('-p tcp -m multiport ! --destination-ports 80,https,8000:8080', 'multiport');
    expect(m.direction).toBe('dst');
    expect(m.negated).toBe(true);
    expect(m.ports).toEqual([{ from: 80, to: 80 }, { from: 443, to: 443 }, { from: 8000, to: 8080 }]);
    expect(printedMatch(m)).toBe('! --dports 80,443,8000:8080');
  });

  it('takes an option written after -j (getopt is not positional)', () => {
    const { rule, problems } = ruleOf('-p tcp -m multiport -j ACCEPT --dports 22');
    expect(problems).toEqual([]);
    expect(rule.matches.find((m) => m.kind === 'multiport')).toMatchObject({ direction: 'dst', ports: [{ from: 22, to: 22 }] });
  });

  it('reports more than 15 slots, two directions, and a missing -p', () => {
    const many = Array.from({ length: 8 }, (_, i) => `${i + 1}:${i + 100}`).join(',');
    expect(matchOf(`-p tcp -m multiport --ports ${many}`, 'multiport').problems).toEqual([`iptables/bad-value: ${many}`]);
    expect(matchOf('-p udp -m multiport --sports 1 --dports 2', 'multiport').problems).toEqual(['iptables/conflicting-options: --dports 2']);
    expect(matchOf('-m multiport --ports 1', 'multiport').problems).toEqual(['iptables/missing-option: -m multiport --ports 1']);
  });
});
