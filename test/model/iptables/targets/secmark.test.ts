import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('SECMARK', () => {
  it('reads the security context', () => {
    expect(printedTarget(targetOf('-j SECMARK --selctx system_u:object_r:ssh_packet_t:s0', 'SECMARK', { table: 'security' }))).toBe(
      '--selctx system_u:object_r:ssh_packet_t:s0',
    );
  });

  it('reports use in the filter table and a missing context', () => {
    expect(targetOf('-j SECMARK --selctx x', 'SECMARK').problems).toEqual(['iptables/wrong-table: -j SECMARK --selctx x']);
    expect(targetOf('-j SECMARK', 'SECMARK', { table: 'security' }).problems).toEqual(['iptables/missing-option: -j SECMARK']);
  });
});
