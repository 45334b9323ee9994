import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('CONNSECMARK', () => {
  it('reads --save or --restore', () => {
    expect(printedTarget(targetOf('-j CONNSECMARK --restore', 'CONNSECMARK', { table: 'mangle' }))).toBe('--restore');
  });

  it('reports both', () => {
    expect(targetOf('-j CONNSECMARK --save --restore', 'CONNSECMARK', { table: 'security' }).problems).toEqual(['iptables/conflicting-options: --restore']);
  });
});
