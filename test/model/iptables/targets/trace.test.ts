import { describe, expect, it } from 'vitest';
import { targetOf } from '../rule-of.js';

describe('TRACE', () => {
  it('is read in the raw table and reported elsewhere', () => {
    expect(targetOf('-j TRACE', 'TRACE', { table: 'raw' }).problems).toEqual([]);
    expect(targetOf('-j TRACE', 'TRACE').problems).toEqual(['iptables/wrong-table: -j TRACE']);
  });
});
