import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('rpfilter', () => {
  it('reads its flags; --invert is the module option, not a "!"', () => {
    const m = matchOf('-m rpfilter --invert --loose', 'rpfilter', { table: 'raw' });
    expect(m).toMatchObject({ loose: true, validmark: false, acceptLocal: false, invert: true });
    expect(printedMatch(m)).toBe('--loose --invert');
  });

  it('reports use outside the raw and mangle tables', () => {
    expect(matchOf('-m rpfilter', 'rpfilter').problems).toEqual(['iptables/wrong-table: -m rpfilter']);
  });
});
