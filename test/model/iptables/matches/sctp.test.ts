import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('sctp', () => {
  it('reads chunk types in chunk-type order with flags in bit order', () => {
    const m = matchOf('-p sctp --dport 2 --chunk-types any ABORT:t,DATA:ieUB,INIT', 'sctp');
    expect(m.chunkTypes).toEqual({
      mode: 'any',
      chunks: [{ name: 'DATA', flags: 'iUBe' }, { name: 'INIT', flags: '' }, { name: 'ABORT', flags: 't' }],
      negated: false,
    });
    expect(printedMatch(m)).toBe('--dport 2 --chunk-types any DATA:iUBe,INIT,ABORT:t');
  });

  it('keeps ALL and NONE with negation', () => {
    expect(printedMatch(matchOf('-p sctp ! --chunk-types only NONE', 'sctp'))).toBe('! --chunk-types only NONE');
    expect(printedMatch(matchOf('-p sctp --chunk-types all ALL', 'sctp'))).toBe('--chunk-types all ALL');
  });

  it('reports an unknown chunk or flag at the value', () => {
    expect(matchOf('-p sctp --chunk-types any DATA:X', 'sctp').problems).toEqual(['iptables/bad-value: DATA:X']);
    expect(matchOf('-p sctp --chunk-types some DATA', 'sctp').problems).toEqual(['iptables/bad-value: some']);
  });
});
