import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('CHECKSUM', () => {
  it('reads --checksum-fill', () => {
    expect(printedTarget(targetOf('-p udp -j CHECKSUM --checksum-fill', 'CHECKSUM', { table: 'mangle' }))).toBe('--checksum-fill');
  });

  it('reports the missing option', () => {
    expect(targetOf('-j CHECKSUM', 'CHECKSUM', { table: 'mangle' }).problems).toEqual(['iptables/missing-option: -j CHECKSUM']);
  });
});
