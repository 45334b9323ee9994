import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('SNAT', () => {
  it('reads --to-source with --random-fully, and folds a one-address range', () => {
    const t = targetOf('-A POSTROUTING -p udp -j SNAT --to-source 1.2.3.4-1.2.3.4:1000-1000 --random-fully', 'SNAT', { table: 'nat' });
    expect(t.randomFully).toBe(true);
    expect(printedTarget(t)).toBe('--to-source 1.2.3.4:1000 --random-fully');
  });

  it('reports a reversed address range', () => {
    expect(targetOf('-A POSTROUTING -j SNAT --to-source 1.2.3.8-1.2.3.4', 'SNAT', { table: 'nat' }).problems).toEqual(['iptables/bad-value: 1.2.3.8-1.2.3.4']);
  });
});
