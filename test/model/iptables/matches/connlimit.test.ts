import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('connlimit', () => {
  it('reads above/upto (negation flips it), the mask and the side, with the defaults iptables-save prints', () => {
    const m = matchOf('-m connlimit ! --connlimit-upto 3', 'connlimit');
    expect(m).toMatchObject({ above: true, count: 3, mask: 32, side: 'saddr' });
    expect(printedMatch(m)).toBe('--connlimit-above 3 --connlimit-mask 32 --connlimit-saddr');
    expect(printedMatch(matchOf('-m connlimit --connlimit-upto 2 --connlimit-mask 64 --connlimit-daddr', 'connlimit', { family: 'ipv6' }), 'ipv6')).toBe(
      '--connlimit-upto 2 --connlimit-mask 64 --connlimit-daddr',
    );
  });

  it('reports a mask longer than the family and both limits', () => {
    expect(matchOf('-m connlimit --connlimit-above 1 --connlimit-mask 33', 'connlimit').problems).toEqual(['iptables/bad-value: 33']);
    expect(matchOf('-m connlimit --connlimit-above 1 --connlimit-upto 2', 'connlimit').problems).toEqual(['iptables/conflicting-options: --connlimit-above 1']);
  });
});
