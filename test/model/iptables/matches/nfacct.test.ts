import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('nfacct', () => {
  it('reads the accounting object name', () => {
    const m = matchOf('-m nfacct --nfacct-name http-traffic', 'nfacct');
    expect(m.name).toBe('http-traffic');
    expect(printedMatch(m)).toBe('--nfacct-name http-traffic');
  });

  it('reports a name over 31 characters', () => {
    const long = 'x'.repeat(40);
    expect(matchOf(`-m nfacct --nfacct-name ${long}`, 'nfacct').problems).toEqual([`iptables/bad-value: ${long}`]);
  });
});
