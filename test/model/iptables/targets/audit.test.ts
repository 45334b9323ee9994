import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('AUDIT', () => {
  it('reads the record type', () => {
    expect(printedTarget(targetOf('-j AUDIT --type drop', 'AUDIT'))).toBe('--type drop');
  });

  it('reports an unknown type', () => {
    expect(targetOf('-j AUDIT --type maybe', 'AUDIT').problems).toEqual(['iptables/bad-value: maybe']);
  });
});
