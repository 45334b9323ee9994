import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('hl', () => {
  it('reads the hop-limit comparison in IPv6 rulesets', () => {
    const m = matchOf('-m hl ! --hl-eq 255', 'hl', { family: 'ipv6' });
    expect(m).toMatchObject({ op: 'eq', value: 255, negated: true });
    expect(printedMatch(m, 'ipv6')).toBe('! --hl-eq 255');
  });

  it('reports a value over 255', () => {
    expect(matchOf('-m hl --hl-gt 256', 'hl', { family: 'ipv6' }).problems).toEqual(['iptables/bad-value: 256']);
  });
});
