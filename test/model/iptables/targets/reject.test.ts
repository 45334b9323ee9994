import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('REJECT', () => {
  it('fills in the family default and resolves aliases to canonical names', () => {
    expect(targetOf('-j REJECT', 'REJECT').with).toBe('icmp-port-unreachable');
    expect(targetOf('-j REJECT', 'REJECT', { family: 'ipv6' }).with).toBe('icmp6-port-unreachable');
    expect(targetOf('-j REJECT --reject-with admin-prohib', 'REJECT').with).toBe('icmp-admin-prohibited');
    expect(printedTarget(targetOf('-j REJECT --reject-with addr-unreach', 'REJECT', { family: 'ipv6' }), 'ipv6')).toBe('--reject-with icmp6-addr-unreachable');
  });

  it('reports a type of the other family and tcp-reset without -p tcp', () => {
    expect(targetOf('-j REJECT --reject-with icmp6-no-route', 'REJECT').problems).toEqual(['iptables/bad-value: icmp6-no-route']);
    expect(targetOf('-j REJECT --reject-with tcp-reset', 'REJECT').problems).toEqual(['iptables/missing-option: -j REJECT --reject-with tcp-reset']);
  });
});
