import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

const mangle = { table: 'mangle' as const };

describe('TOS', () => {
  it('stores every form as value/mask, as tos_tg_parse does', () => {
    const tos = (line: string) => printedTarget(targetOf(line, 'TOS', mangle));
    expect(tos('-j TOS --set-tos 0x10')).toBe('--set-tos 0x10/0xff');
    expect(tos('-j TOS --set-tos Minimize-Delay')).toBe('--set-tos 0x10/0x3f');
    expect(tos('-j TOS --and-tos 0x0f')).toBe('--set-tos 0x00/0xf0');
    expect(tos('-j TOS --or-tos 0x10')).toBe('--set-tos 0x10/0x10');
    expect(tos('-j TOS --xor-tos 1')).toBe('--set-tos 0x01/0x00');
  });

  it('reports a value over 8 bits', () => {
    expect(targetOf('-j TOS --or-tos 0x100', 'TOS', mangle).problems).toEqual(['iptables/bad-value: 0x100']);
  });
});
