import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('DSCP', () => {
  it('stores a class as its code point and prints hex', () => {
    expect(printedTarget(targetOf('-j DSCP --set-dscp-class AF41', 'DSCP', { table: 'mangle' }))).toBe('--set-dscp 0x22');
    expect(printedTarget(targetOf('-j DSCP --set-dscp 10', 'DSCP', { table: 'mangle' }))).toBe('--set-dscp 0x0a');
  });

  it('reports an unknown class', () => {
    expect(targetOf('-j DSCP --set-dscp-class AF99', 'DSCP', { table: 'mangle' }).problems).toEqual(['iptables/bad-value: AF99']);
  });
});
