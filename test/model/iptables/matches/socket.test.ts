import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('socket', () => {
  it('reads its three flags and prints them in save order', () => {
    const m = matchOf('-m socket --restore-skmark --transparent', 'socket', { table: 'mangle' });
    expect(m).toMatchObject({ transparent: true, nowildcard: false, restoreSkmark: true });
    expect(printedMatch(m)).toBe('--transparent --restore-skmark');
  });

  it('refuses a value after a flag', () => {
    expect(matchOf('-m socket --transparent yes', 'socket').problems).toEqual(['iptables/extra-value: yes']);
  });
});
