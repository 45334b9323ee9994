import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('CLASSIFY', () => {
  it('reads major:minor as hexadecimal and prints four digits each', () => {
    const t = targetOf('-A POSTROUTING -j CLASSIFY --set-class 1:10', 'CLASSIFY', { table: 'mangle' });
    expect(t).toMatchObject({ major: 1, minor: 0x10 });
    expect(printedTarget(t)).toBe('--set-class 0001:0010');
  });

  it('reports a class that is not major:minor', () => {
    expect(targetOf('-j CLASSIFY --set-class 10', 'CLASSIFY', { table: 'mangle' }).problems).toEqual(['iptables/bad-value: 10']);
  });
});
