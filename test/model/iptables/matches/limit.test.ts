import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('limit', () => {
  it('keeps the kernel period, so 60/minute equals 1/second, and fills in the defaults', () => {
    const a = matchOf('-m limit --limit 60/minute --limit-burst 10', 'limit');
    expect(a).toMatchObject({ period: 10000n, perSecond: 1, burst: 10 });
    expect(printedMatch(a)).toBe('--limit 1/sec --limit-burst 10');
    const b = matchOf('-m limit', 'limit');
    expect(b).toMatchObject({ period: 12000000n, burst: 5 });
    expect(printedMatch(b)).toBe('--limit 3/hour');
  });

  it('accepts unit prefixes as iptables does (s, m, h, d)', () => {
    expect(printedMatch(matchOf('-m limit --limit 45/m', 'limit'))).toBe('--limit 45/min');
    expect(printedMatch(matchOf('-m limit --limit 1/d', 'limit'))).toBe('--limit 1/day');
  });

  it('reports a bad rate, a burst over 10000, and refuses negation', () => {
    expect(matchOf('-m limit --limit 5/fortnight', 'limit').problems).toEqual(['iptables/bad-value: 5/fortnight']);
    expect(matchOf('-m limit --limit-burst 20000', 'limit').problems).toEqual(['iptables/bad-value: 20000']);
    expect(matchOf('-m limit ! --limit 5/s', 'limit').problems).toEqual(['iptables/not-negatable: ! --limit 5/s']);
  });
});
