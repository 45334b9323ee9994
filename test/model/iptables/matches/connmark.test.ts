import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('connmark', () => {
  it('reads the connection mark like -m mark', () => {
    const m = matchOf('-m connmark ! --mark 0x1/0xff', 'connmark');
    expect(m).toMatchObject({ value: 1, mask: 0xff, negated: true, given: true });
    expect(printedMatch(m)).toBe('! --mark 0x1/0xff');
  });

  it('reports a value over 32 bits', () => {
    expect(matchOf('-m connmark --mark 0x100000000', 'connmark').problems).toEqual(['iptables/bad-value: 0x100000000']);
  });
});
