import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('iprange', () => {
  it('reads ranges (a single address is a one-address range) with negation', () => {
    const m = matchOf('-m iprange --src-range 10.0.0.1 ! --dst-range 10.0.0.5-10.0.0.9', 'iprange');
    expect(m.src?.range).toMatchObject({ first: 0x0a000001n, last: 0x0a000001n });
    expect(m.dst?.negated).toBe(true);
    expect(printedMatch(m)).toBe('--src-range 10.0.0.1-10.0.0.1 ! --dst-range 10.0.0.5-10.0.0.9');
  });

  it('prints IPv6 ranges compressed', () => {
    expect(printedMatch(matchOf('-m iprange --src-range 2001:db8:0:0::1-2001:db8::ff', 'iprange', { family: 'ipv6' }), 'ipv6')).toBe('--src-range 2001:db8::1-2001:db8::ff');
  });

  it('reports a reversed range', () => {
    expect(matchOf('-m iprange --src-range 10.0.0.9-10.0.0.1', 'iprange').problems).toEqual(['iptables/bad-value: 10.0.0.9-10.0.0.1']);
  });
});
