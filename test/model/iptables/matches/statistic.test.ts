import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('statistic', () => {
  it('keeps a probability as the kernel threshold, so 0.5 and 0.50000000000 are equal', () => {
    const a = matchOf('-m statistic --mode random --probability 0.5', 'statistic');
    const b = matchOf('-m statistic --mode random --probability 0.50000000000', 'statistic');
    expect(a).toMatchObject({ mode: 'random', threshold: 0x40000000, probability: 0.5 });
    expect(b).toMatchObject({ mode: 'random', threshold: 0x40000000, probability: 0.5 });
  });

  it('prints %.11f of the threshold, as iptables-save does', () => {
    expect(printedMatch(matchOf('-m statistic --mode random --probability 0.3333', 'statistic'))).toBe('--mode random --probability 0.33330000006');
    expect(printedMatch(matchOf('-m statistic --mode random ! --probability 0.1', 'statistic'))).toBe('--mode random ! --probability 0.10000000009');
  });

  it('reads nth mode with negation on --every', () => {
    const m = matchOf('-m statistic --mode nth ! --every 3 --packet 1', 'statistic');
    expect(m).toMatchObject({ mode: 'nth', every: 3, packet: 1, negated: true });
    expect(printedMatch(m)).toBe('--mode nth ! --every 3 --packet 1');
  });

  it('reports a probability above 1, a missing mode, and --every without --packet', () => {
    expect(matchOf('-m statistic --mode random --probability 1.5', 'statistic').problems).toEqual(['iptables/bad-value: 1.5']);
    expect(matchOf('-m statistic --probability 0.5', 'statistic').problems).toEqual(['iptables/missing-option: -m statistic --probability 0.5']);
    expect(matchOf('-m statistic --mode nth --every 2', 'statistic').problems).toEqual(['iptables/missing-option: -m statistic --mode nth --every 2']);
  });
});
