import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

const mangle = { table: 'mangle' as const };

describe('TPROXY', () => {
  it('fills in the address and mark defaults iptables-save prints', () => {
    expect(printedTarget(targetOf('-p tcp -j TPROXY --on-port 8080', 'TPROXY', mangle))).toBe('--on-port 8080 --on-ip 0.0.0.0 --tproxy-mark 0x0/0x0');
    expect(printedTarget(targetOf('-p tcp -j TPROXY --on-port 1 --on-ip ::1 --tproxy-mark 0x1', 'TPROXY', { ...mangle, family: 'ipv6' }), 'ipv6')).toBe(
      '--on-port 1 --on-ip ::1 --tproxy-mark 0x1/0xffffffff',
    );
  });

  it('reports a missing --on-port and use outside mangle', () => {
    expect(targetOf('-p tcp -j TPROXY --on-ip 1.2.3.4', 'TPROXY', mangle).problems).toEqual(['iptables/missing-option: -j TPROXY --on-ip 1.2.3.4']);
    expect(targetOf('-p tcp -j TPROXY --on-port 1', 'TPROXY').problems).toEqual(['iptables/wrong-table: -j TPROXY --on-port 1']);
  });
});
