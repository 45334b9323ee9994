import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('frag', () => {
  it('reads the id range and the fragment flags', () => {
    const m = matchOf('-m frag ! --fragid 5 --fragfirst --fragmore', 'frag', { family: 'ipv6' });
    expect(m).toMatchObject({ id: { range: { from: 5, to: 5 }, negated: true }, first: true, more: true, last: false });
    expect(printedMatch(m, 'ipv6')).toBe('! --fragid 5 --fragfirst --fragmore');
  });

  it('reports --fragmore with --fraglast', () => {
    expect(matchOf('-m frag --fragmore --fraglast', 'frag', { family: 'ipv6' }).problems).toEqual(['iptables/conflicting-options: --fraglast']);
  });
});
