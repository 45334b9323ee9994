import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('NFLOG', () => {
  it('reads group, prefix, size/range and threshold with their defaults', () => {
    const t = targetOf('-j NFLOG --nflog-group 5 --nflog-prefix "a b" --nflog-range 100 --nflog-threshold 10', 'NFLOG');
    expect(t).toMatchObject({ group: 5, prefix: 'a b', range: 100, threshold: 10 });
    expect(printedTarget(t)).toBe('--nflog-prefix a b --nflog-group 5 --nflog-range 100 --nflog-threshold 10');
    expect(printedTarget(targetOf('-j NFLOG --nflog-group 0 --nflog-threshold 1', 'NFLOG'))).toBe('');
  });

  it('reports an empty prefix (iptables requires at least one character)', () => {
    expect(targetOf('-j NFLOG --nflog-prefix ""', 'NFLOG').problems).toEqual(['iptables/bad-value: ""']);
  });
});
