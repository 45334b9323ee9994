import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('esp', () => {
  it('reads the SPI or SPI range with negation', () => {
    expect(matchOf('-p esp -m esp ! --espspi 5:10', 'esp').spi).toEqual({ range: { from: 5, to: 10 }, negated: true });
    expect(printedMatch(matchOf('-p esp -m esp --espspi 0x10', 'esp'))).toBe('--espspi 16');
  });

  it('reports an SPI over 32 bits', () => {
    expect(matchOf('-m esp --espspi 5000000000', 'esp').problems).toEqual(['iptables/bad-value: 5000000000']);
  });
});
