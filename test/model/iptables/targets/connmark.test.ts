import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('CONNMARK', () => {
  it('stores set forms as xset and save/restore with both masks (--mask sets both)', () => {
    expect(targetOf('-j CONNMARK --set-mark 1/0xf', 'CONNMARK')).toMatchObject({ mode: 'set', value: 1, mask: 0xf });
    expect(targetOf('-j CONNMARK --and-mark 0xff', 'CONNMARK')).toMatchObject({ mode: 'set', value: 0, mask: 0xffffff00 });
  });

  it('prints what iptables-save prints', () => {
    expect(printedTarget(targetOf('-j CONNMARK --restore-mark --mask 0xff', 'CONNMARK', { table: 'mangle' }))).toBe('--restore-mark --nfmask 0xff --ctmask 0xff');
    expect(printedTarget(targetOf('-j CONNMARK --save-mark', 'CONNMARK'))).toBe('--save-mark --nfmask 0xffffffff --ctmask 0xffffffff');
    expect(printedTarget(targetOf('-j CONNMARK --xor-mark 4', 'CONNMARK'))).toBe('--set-xmark 0x4/0x0');
  });

  it('reports --save-mark with --restore-mark and a missing mode', () => {
    expect(targetOf('-j CONNMARK --save-mark --restore-mark', 'CONNMARK').problems).toEqual(['iptables/conflicting-options: --restore-mark']);
    expect(targetOf('-j CONNMARK --nfmask 1', 'CONNMARK').problems).toEqual(['iptables/missing-option: -j CONNMARK --nfmask 1']);
  });
});
