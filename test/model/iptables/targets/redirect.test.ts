import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('REDIRECT', () => {
  it('reads ports (a one-port range folds) and --random', () => {
    const t = targetOf('-p tcp -j REDIRECT --to-ports 8080-8080 --random', 'REDIRECT', { table: 'nat' });
    expect(t).toMatchObject({ ports: { from: 8080, to: 8080 }, random: true });
    expect(printedTarget(t)).toBe('--to-ports 8080 --random');
  });

  it('reports a bad port', () => {
    expect(targetOf('-p tcp -j REDIRECT --to-ports 99999', 'REDIRECT', { table: 'nat' }).problems).toEqual(['iptables/bad-value: 99999']);
  });
});
