import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('pkttype', () => {
  it('reads names case-insensitively, host being unicast', () => {
    const m = matchOf('-m pkttype ! --pkt-type HOST', 'pkttype');
    expect(m).toMatchObject({ type: 'unicast', negated: true });
    expect(printedMatch(m)).toBe('! --pkt-type unicast');
  });

  it('reports an unknown type', () => {
    expect(matchOf('-m pkttype --pkt-type anycast', 'pkttype').problems).toEqual(['iptables/bad-value: anycast']);
  });
});
