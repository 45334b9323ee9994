import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('MASQUERADE', () => {
  it('reads ports and the random flags', () => {
    const t = targetOf('-A POSTROUTING -p tcp -j MASQUERADE --to-ports 1000-2000 --random --random-fully', 'MASQUERADE', { table: 'nat' });
    expect(t).toMatchObject({ ports: { from: 1000, to: 2000 }, random: true, randomFully: true });
    expect(printedTarget(t)).toBe('--to-ports 1000-2000 --random --random-fully');
  });

  it('reports ports without -p and use outside nat', () => {
    expect(targetOf('-A POSTROUTING -j MASQUERADE --to-ports 5', 'MASQUERADE', { table: 'nat' }).problems).toEqual(['iptables/missing-option: --to-ports 5']);
    expect(targetOf('-j MASQUERADE', 'MASQUERADE').problems).toEqual(['iptables/wrong-table: -j MASQUERADE']);
  });
});
