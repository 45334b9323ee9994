import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('ttl', () => {
  it('reads the comparison; a negated --ttl-eq is "not equal"', () => {
    expect(matchOf('-m ttl ! --ttl-eq 5', 'ttl')).toMatchObject({ op: 'eq', value: 5, negated: true });
    expect(printedMatch(matchOf('-m ttl --ttl-lt 64', 'ttl'))).toBe('--ttl-lt 64');
  });

  it('reports two comparisons, a negated --ttl-gt, and use in IPv6', () => {
    expect(matchOf('-m ttl --ttl-eq 1 --ttl-gt 2', 'ttl').problems).toEqual(['iptables/conflicting-options: --ttl-gt 2']);
    expect(matchOf('-m ttl ! --ttl-gt 2', 'ttl').problems).toEqual(['iptables/not-negatable: ! --ttl-gt 2']);
    expect(matchOf('-m ttl --ttl-eq 1', 'ttl', { family: 'ipv6' }).problems).toEqual(['iptables/wrong-family: -m ttl --ttl-eq 1']);
  });
});
