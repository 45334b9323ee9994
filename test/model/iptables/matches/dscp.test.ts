import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('dscp', () => {
  it('stores a class as its code point and prints --dscp in hex', () => {
    expect(matchOf('-m dscp ! --dscp-class EF', 'dscp')).toMatchObject({ dscp: 0x2e, negated: true });
    expect(printedMatch(matchOf('-m dscp --dscp 10', 'dscp'))).toBe('--dscp 0x0a');
  });

  it('reports a value over 63 and both options', () => {
    expect(matchOf('-m dscp --dscp 64', 'dscp').problems).toEqual(['iptables/bad-value: 64']);
    expect(matchOf('-m dscp --dscp 1 --dscp-class EF', 'dscp').problems).toEqual(['iptables/conflicting-options: --dscp-class EF']);
  });
});
