import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('addrtype', () => {
  it('reads type lists in RTN order with negation and the interface limit', () => {
    const m = matchOf('-m addrtype ! --src-type BLACKHOLE,UNSPEC --dst-type LOCAL --limit-iface-in', 'addrtype');
    expect(m.srcType).toEqual({ types: ['UNSPEC', 'BLACKHOLE'], negated: true });
    expect(m.dstType).toEqual({ types: ['LOCAL'], negated: false });
    expect(m.limitIfaceIn).toBe(true);
    expect(printedMatch(m)).toBe('! --src-type UNSPEC,BLACKHOLE --dst-type LOCAL --limit-iface-in');
  });

  it('reports an unknown type and both interface limits', () => {
    expect(matchOf('-m addrtype --dst-type HOME', 'addrtype').problems).toEqual(['iptables/bad-value: HOME']);
    expect(matchOf('-m addrtype --limit-iface-in --limit-iface-out', 'addrtype').problems).toEqual(['iptables/conflicting-options: --limit-iface-out']);
  });
});
