import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch, ruleOf } from '../rule-of.js';

describe('mark', () => {
  it('reads value/mask (mask all ones by default) and negation', () => {
    expect(matchOf('-m mark --mark 0x4000/0x4000', 'mark')).toMatchObject({ value: 0x4000, mask: 0x4000, negated: false });
    expect(matchOf('-m mark ! --mark 5', 'mark')).toMatchObject({ value: 5, mask: 0xffffffff, negated: true });
  });

  it('prints hex, the mask only when not all ones', () => {
    expect(printedMatch(matchOf('-m mark --mark 16', 'mark'))).toBe('--mark 0x10');
    expect(printedMatch(matchOf('-m mark --mark 0/0', 'mark'))).toBe('--mark 0x0/0x0');
  });

  it('gives --mark to the module loaded last that declares it (-m mark … -m connmark)', () => {
    const { rule } = ruleOf('-m mark --mark 1 -m connmark --mark 2 -j ACCEPT');
    expect(rule.matches.map((m) => [m.kind, 'value' in m ? m.value : null])).toEqual([['mark', 1], ['connmark', 2]]);
  });

  it('reports a bad value and a missing --mark', () => {
    expect(matchOf('-m mark --mark 0x1/zz', 'mark').problems).toEqual(['iptables/bad-value: 0x1/zz']);
    expect(matchOf('-m mark', 'mark').problems).toEqual(['iptables/missing-option: -m mark']);
  });
});
