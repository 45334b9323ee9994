import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

const nat = { table: 'nat' as const };

describe('DNAT', () => {
  it('reads address and port ranges (service names too) and the flags', () => {
    const t = targetOf('-p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.5:http-90 --random --persistent', 'DNAT', nat);
    expect(t.ranges).toHaveLength(1);
    expect(t.ranges[0]?.addresses).toMatchObject({ first: 0x0a000001n, last: 0x0a000005n });
    expect(t.ranges[0]?.ports).toEqual({ from: 80, to: 90 });
    expect(t).toMatchObject({ random: true, persistent: true, randomFully: false });
    expect(printedTarget(t)).toBe('--to-destination 10.0.0.1-10.0.0.5:80-90 --random --persistent');
  });

  it('reads --to as an abbreviation, ports only, base ports, and IPv6 in brackets', () => {
    expect(printedTarget(targetOf('-j DNAT --to 10.0.0.1', 'DNAT', nat))).toBe('--to-destination 10.0.0.1');
    expect(printedTarget(targetOf('-p tcp -j DNAT --to-destination :80', 'DNAT', nat))).toBe('--to-destination :80');
    expect(printedTarget(targetOf('-p tcp -j DNAT --to-destination 1.2.3.4:1000-2000/1500', 'DNAT', nat))).toBe('--to-destination 1.2.3.4:1000-2000/1500');
    const v6 = targetOf('-p tcp -j DNAT --to-destination [2001:db8:0::1-2001:db8::5]:80', 'DNAT', { ...nat, family: 'ipv6' });
    expect(printedTarget(v6, 'ipv6')).toBe('--to-destination [2001:db8::1-2001:db8::5]:80');
  });

  it('reports ports without a port protocol, a missing range and use outside nat', () => {
    expect(targetOf('-j DNAT --to-destination 1.2.3.4:80', 'DNAT', nat).problems).toEqual(['iptables/missing-option: --to-destination 1.2.3.4:80']);
    expect(targetOf('-j DNAT', 'DNAT', nat).problems).toEqual(['iptables/missing-option: -j DNAT']);
    expect(targetOf('-j DNAT --to-destination 1.2.3.4', 'DNAT').problems).toEqual(['iptables/wrong-table: -j DNAT --to-destination 1.2.3.4']);
  });
});
