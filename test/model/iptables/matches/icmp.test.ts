import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('icmp', () => {
  it('reads names as type and code range, and any as type 255', () => {
    expect(matchOf('-p icmp --icmp-type echo-request', 'icmp').icmpType).toEqual({ type: 8, codeMin: 0, codeMax: 255, negated: false });
    expect(matchOf('-p icmp --icmp-type port-unreachable', 'icmp').icmpType).toEqual({ type: 3, codeMin: 3, codeMax: 3, negated: false });
    expect(matchOf('-p icmp ! --icmp-type any', 'icmp').icmpType).toEqual({ type: 255, codeMin: 0, codeMax: 255, negated: true });
  });

  it('prints numbers as iptables-save does: TYPE, TYPE/CODE, or any', () => {
    expect(printedMatch(matchOf('-p icmp --icmp-type ping', 'icmp'))).toBe('--icmp-type 8');
    expect(printedMatch(matchOf('-p icmp --icmp-type 3/4', 'icmp'))).toBe('--icmp-type 3/4');
    expect(printedMatch(matchOf('-p icmp --icmp-type 255', 'icmp'))).toBe('--icmp-type any');
  });

  it('reports a bad type, a missing type and use in an IPv6 ruleset', () => {
    expect(matchOf('-p icmp --icmp-type nope', 'icmp').problems).toEqual(['iptables/bad-value: nope']);
    expect(matchOf('-p icmp -m icmp', 'icmp').problems).toEqual(['iptables/missing-option: -m icmp']);
    expect(matchOf('-p icmp -m icmp --icmp-type 8', 'icmp', { family: 'ipv6' }).problems).toEqual(['iptables/wrong-family: -m icmp --icmp-type 8']);
  });
});
