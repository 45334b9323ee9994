import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('tos', () => {
  it('reads value/mask: a number implies 0xff, a symbol 0x3f', () => {
    expect(matchOf('-m tos --tos 16', 'tos')).toMatchObject({ value: 0x10, mask: 0xff });
    expect(matchOf('-m tos --tos Minimize-Delay', 'tos')).toMatchObject({ value: 0x10, mask: 0x3f });
    expect(printedMatch(matchOf('-m tos ! --tos 4/0x0f', 'tos'))).toBe('! --tos 0x04/0x0f');
  });

  it('reports an unknown symbol', () => {
    expect(matchOf('-m tos --tos Maximize-Fun', 'tos').problems).toEqual(['iptables/bad-value: Maximize-Fun']);
  });
});
