import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('SET', () => {
  it('reads add/del/map operations with flags, --exist and --timeout, printed in SET save order', () => {
    const t = targetOf('-j SET --del-set bar dst,dst --add-set foo src --timeout 100 --exist', 'SET');
    expect(t.add).toEqual({ name: 'foo', flags: ['src'] });
    expect(t.del).toEqual({ name: 'bar', flags: ['dst', 'dst'] });
    expect(t).toMatchObject({ exist: true, timeout: 100 });
    expect(printedTarget(t)).toBe('--add-set foo src --exist --timeout 100 --del-set bar dst,dst');
  });

  it('reads --map-set with its flags, and reports it outside mangle', () => {
    expect(printedTarget(targetOf('-j SET --map-set m dst --map-mark', 'SET', { table: 'mangle' }))).toBe('--map-set m dst --map-mark');
    expect(targetOf('-j SET --map-set m dst', 'SET').problems).toEqual(['iptables/wrong-table: -j SET --map-set m dst']);
  });

  it('reports bad flags and no operation', () => {
    expect(targetOf('-j SET --add-set foo both', 'SET').problems).toEqual(['iptables/bad-value: both']);
    expect(targetOf('-j SET --exist', 'SET').problems).toEqual(['iptables/missing-option: -j SET --exist']);
  });
});
