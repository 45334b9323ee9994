import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('rt', () => {
  it('reads the routing header fields and type-0 addresses', () => {
    const m = matchOf('-m rt --rt-type 0 ! --rt-segsleft 1:5 --rt-len 8 --rt-0-res --rt-0-addrs 2001:db8::1,2001:db8:0:0::2 --rt-0-not-strict', 'rt', { family: 'ipv6' });
    expect(m.segsleft).toEqual({ range: { from: 1, to: 5 }, negated: true });
    expect(printedMatch(m, 'ipv6')).toBe('--rt-type 0 ! --rt-segsleft 1:5 --rt-len 8 --rt-0-res --rt-0-addrs 2001:db8::1,2001:db8::2 --rt-0-not-strict');
  });

  it('is reported in an IPv4 ruleset, and a bad address list is located', () => {
    expect(matchOf('-m rt --rt-type 0', 'rt').problems).toEqual(['iptables/wrong-family: -m rt --rt-type 0']);
    expect(matchOf('-m rt --rt-0-addrs 10.0.0.1', 'rt', { family: 'ipv6' }).problems).toEqual(['iptables/bad-value: 10.0.0.1']);
  });
});
