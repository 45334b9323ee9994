import { describe, expect, it } from 'vitest';
import { matchOf, printed, printedMatch } from '../rule-of.js';

describe('icmp6', () => {
  it('is loaded by -p ipv6-icmp / icmpv6 and by its alias -m icmpv6', () => {
    expect(matchOf('-p icmpv6 --icmpv6-type neighbour-solicitation', 'icmp6', { family: 'ipv6' }).icmpType).toEqual({ type: 135, codeMin: 0, codeMax: 255, negated: false });
    expect(printed('-p icmpv6 -m icmpv6 ! --icmpv6-type 1/3', { family: 'ipv6' })).toBe('-A INPUT -p ipv6-icmp -m icmp6 ! --icmpv6-type 1/3');
  });

  it('has no "any": type 255 prints as a number', () => {
    expect(printedMatch(matchOf('-p icmpv6 --icmpv6-type 255', 'icmp6', { family: 'ipv6' }), 'ipv6')).toBe('--icmpv6-type 255');
  });

  it('is reported in an IPv4 ruleset', () => {
    expect(matchOf('-p icmpv6 -m icmp6 --icmpv6-type 133', 'icmp6').problems).toEqual(['iptables/wrong-family: -m icmp6 --icmpv6-type 133']);
  });
});
