import { describe, expect, it } from 'vitest';
import { printed, targetOf } from '../rule-of.js';

describe('NOTRACK', () => {
  it('is kept under its own name, as iptables-save prints it', () => {
    expect(targetOf('-j NOTRACK', 'NOTRACK', { table: 'raw' }).kind).toBe('NOTRACK');
    expect(printed('-j NOTRACK', { table: 'raw' })).toBe('-A PREROUTING -j NOTRACK');
  });

  it('is reported outside the raw table', () => {
    expect(targetOf('-j NOTRACK', 'NOTRACK').problems).toEqual(['iptables/wrong-table: -j NOTRACK']);
  });
});
