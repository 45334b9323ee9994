import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('length', () => {
  it('reads a length or an open range', () => {
    expect(matchOf('-m length ! --length 100', 'length')).toMatchObject({ range: { from: 100, to: 100 }, negated: true });
    expect(printedMatch(matchOf('-m length --length :100', 'length'))).toBe('--length 0:100');
    expect(printedMatch(matchOf('-m length --length 100:', 'length'))).toBe('--length 100:65535');
  });

  it('reports a length over 65535', () => {
    expect(matchOf('-m length --length 70000', 'length').problems).toEqual(['iptables/bad-value: 70000']);
  });
});
