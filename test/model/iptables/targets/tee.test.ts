import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('TEE', () => {
  it('reads the gateway (either family) and the interface', () => {
    expect(printedTarget(targetOf('-j TEE --gateway 1.2.3.4 --oif eth0', 'TEE'))).toBe('--gateway 1.2.3.4 --oif eth0');
    expect(printedTarget(targetOf('-j TEE --gateway 2001:db8:0::1', 'TEE', { family: 'ipv6' }), 'ipv6')).toBe('--gateway 2001:db8::1');
  });

  it('reports a missing gateway and a gateway of the other family', () => {
    expect(targetOf('-j TEE', 'TEE').problems).toEqual(['iptables/missing-option: -j TEE']);
    expect(targetOf('-j TEE --gateway 2001:db8::1', 'TEE').problems).toEqual(['iptables/bad-value: 2001:db8::1']);
  });
});
