import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('state', () => {
  it('reads states into print order (INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED)', () => {
    const m = matchOf('-m state ! --state ESTABLISHED,related,NEW', 'state');
    expect(m.states).toEqual(['NEW', 'RELATED', 'ESTABLISHED']);
    expect(m.negated).toBe(true);
    expect(printedMatch(m)).toBe('! --state NEW,RELATED,ESTABLISHED');
  });

  it('refuses the conntrack-only states SNAT and DNAT', () => {
    expect(matchOf('-m state --state SNAT', 'state').problems).toEqual(['iptables/bad-value: SNAT']);
  });
});
