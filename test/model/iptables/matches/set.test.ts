import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('set', () => {
  it('reads name, direction flags, negation and counter conditions', () => {
    const m = matchOf('-m set ! --match-set KUBE-LOOP-BACK dst,dst,src --return-nomatch ! --update-counters --packets-gt 5 ! --bytes-eq 6', 'set');
    expect(m).toMatchObject({ name: 'KUBE-LOOP-BACK', flags: ['dst', 'dst', 'src'], negated: true, returnNomatch: true, updateCounters: false, updateSubcounters: true });
    expect(m.packets).toEqual({ op: 'gt', value: 5n, negated: false });
    expect(m.bytes).toEqual({ op: 'eq', value: 6n, negated: true });
    expect(printedMatch(m)).toBe('! --match-set KUBE-LOOP-BACK dst,dst,src --return-nomatch ! --update-counters --packets-gt 5 ! --bytes-eq 6');
  });

  it('accepts the old --set spelling and prints --match-set', () => {
    expect(printedMatch(matchOf('-m set --set foo src', 'set'))).toBe('--match-set foo src');
  });

  it('reports bad flags, two byte conditions and a missing --match-set', () => {
    expect(matchOf('-m set --match-set foo source', 'set').problems).toEqual(['iptables/bad-value: source']);
    expect(matchOf('-m set --match-set foo src --bytes-gt 3 --bytes-lt 9', 'set').problems).toEqual(['iptables/conflicting-options: --bytes-lt 9']);
    expect(matchOf('-m set --return-nomatch', 'set').problems).toEqual(['iptables/missing-option: -m set --return-nomatch']);
  });
});
