import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('realm', () => {
  it('reads value[/mask] and prints hex', () => {
    expect(printedMatch(matchOf('-m realm ! --realm 16/0xff', 'realm'))).toBe('! --realm 0x10/0xff');
    expect(printedMatch(matchOf('-m realm --realm 7', 'realm'))).toBe('--realm 0x7');
  });

  it('keeps a realm name, and reports use in IPv6', () => {
    expect(matchOf('-m realm --realm cosmos', 'realm').name).toBe('cosmos');
    expect(matchOf('-m realm --realm 1', 'realm', { family: 'ipv6' }).problems).toEqual(['iptables/wrong-family: -m realm --realm 1']);
  });
});
