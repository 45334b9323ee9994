import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('MARK', () => {
  it('normalises every spelling to the kernel xset value/mask (libxt_MARK.c)', () => {
    const xset = (line: string) => {
      const t = targetOf(line, 'MARK');
      return [t.value, t.mask];
    };
    expect(xset('-j MARK --set-xmark 0x4000/0x4000')).toEqual([0x4000, 0x4000]);
    expect(xset('-j MARK --set-mark 1')).toEqual([1, 0xffffffff]);
    expect(xset('-j MARK --set-mark 0x10/0x0f')).toEqual([0x10, 0x1f]);
    expect(xset('-j MARK --or-mark 0x4000')).toEqual([0x4000, 0x4000]);
    expect(xset('-j MARK --and-mark 0xffff')).toEqual([0, 0xffff0000]);
    expect(xset('-j MARK --xor-mark 1')).toEqual([1, 0]);
  });

  it('prints --set-xmark as iptables-save does', () => {
    expect(printedTarget(targetOf('-j MARK --or-mark 0x4000', 'MARK'))).toBe('--set-xmark 0x4000/0x4000');
  });

  it('reports two mark options and a bad value', () => {
    expect(targetOf('-j MARK --set-mark 1 --or-mark 2', 'MARK').problems).toEqual(['iptables/conflicting-options: --or-mark 2']);
    expect(targetOf('-j MARK --set-mark x', 'MARK').problems).toEqual(['iptables/bad-value: x']);
  });
});
