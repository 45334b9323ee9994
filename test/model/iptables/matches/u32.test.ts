import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';
import { formatU32, parseU32 } from '../../../../src/model/iptables/matches/u32.js';

describe('u32', () => {
  it('parses the program into tests: location steps and value ranges', () => {
    expect(parseU32('0 & 0xFFFF = 0x100:0xFFFF')).toEqual([
      { location: [{ op: null, number: 0 }, { op: '&', number: 0xffff }], values: [{ from: 0x100, to: 0xffff }] },
    ]);
  });

  it('prints u32_dump form, so differently written equal programs print the same', () => {
    const a = matchOf('-m u32 ! --u32 "6&0xFF=1&&0>>22&0x3C@0>>24=0,8"', 'u32');
    const b = matchOf('-m u32 ! --u32 "0x6 & 255 = 0x1 && 0 >> 22 & 074 @ 0 >> 0x18 = 0,010"', 'u32');
    expect(a.tests).toEqual(b.tests);
    expect(printedMatch(a)).toBe('! --u32 0x6&0xff=0x1&&0x0>>0x16&0x3c@0x0>>0x18=0x0,0x8');
    expect(formatU32(a.tests)).toBe('0x6&0xff=0x1&&0x0>>0x16&0x3c@0x0>>0x18=0x0,0x8');
  });

  it('reports a program that does not parse', () => {
    expect(matchOf('-m u32 --u32 "6&&=1"', 'u32').problems).toEqual(['iptables/bad-value: "6&&=1"']);
  });
});
