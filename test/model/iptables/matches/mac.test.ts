import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('mac', () => {
  it('reads the address in lower case, also through the --mac abbreviation', () => {
    const m = matchOf('-m mac ! --mac 0:1:2:aB:c:D', 'mac');
    expect(m).toMatchObject({ source: '00:01:02:ab:0c:0d', negated: true });
    expect(printedMatch(m)).toBe('! --mac-source 00:01:02:ab:0c:0d');
  });

  it('reports an anonymised address at the value and keeps it as written', () => {
    const m = matchOf('-m mac --mac-source XX:XX:XX:XX:XX:XX', 'mac');
    expect(m.problems).toEqual(['iptables/bad-value: XX:XX:XX:XX:XX:XX']);
    expect(m.unread).toEqual([{ name: '--mac-source', negated: false, values: ['XX:XX:XX:XX:XX:XX'] }]);
  });
});
