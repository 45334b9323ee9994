import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('physdev', () => {
  it('reads ports (with + wildcards) and flags, each negatable', () => {
    const m = matchOf('-m physdev --physdev-in eth0 ! --physdev-out veth+ --physdev-is-in ! --physdev-is-bridged', 'physdev');
    expect(m.in).toEqual({ name: 'eth0', wildcard: false, negated: false });
    expect(m.out).toEqual({ name: 'veth', wildcard: true, negated: true });
    expect(m.isBridged).toEqual({ negated: true });
    expect(printedMatch(m)).toBe('--physdev-is-in --physdev-in eth0 ! --physdev-out veth+ ! --physdev-is-bridged');
  });

  it('reports a name longer than IFNAMSIZ and a module without options', () => {
    expect(matchOf('-m physdev --physdev-in averyveryverylongname', 'physdev').problems).toEqual(['iptables/bad-value: averyveryverylongname']);
    expect(matchOf('-m physdev', 'physdev').problems).toEqual(['iptables/missing-option: -m physdev']);
  });
});
