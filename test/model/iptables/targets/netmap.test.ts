import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('NETMAP', () => {
  it('reads the prefix, masks host bits, and prints the length always', () => {
    expect(printedTarget(targetOf('-j NETMAP --to 10.1.2.3/16', 'NETMAP', { table: 'nat' }))).toBe('--to 10.1.0.0/16');
    expect(printedTarget(targetOf('-j NETMAP --to 1.2.3.4', 'NETMAP', { table: 'nat' }))).toBe('--to 1.2.3.4/32');
  });

  it('reports a bad prefix', () => {
    expect(targetOf('-j NETMAP --to 10.0.0.0/40', 'NETMAP', { table: 'nat' }).problems).toEqual(['iptables/bad-value: 10.0.0.0/40']);
  });
});
