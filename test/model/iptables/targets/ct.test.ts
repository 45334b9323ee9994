import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

const raw = { table: 'raw' as const };

describe('CT', () => {
  it('reads notrack, helper, events (in table order) and the zone', () => {
    const t = targetOf('-j CT --notrack --helper ftp --ctevents mark,new --expevents new --zone-orig mark', 'CT', raw);
    expect(t).toMatchObject({ notrack: true, helper: 'ftp', ctevents: ['new', 'mark'], expevents: ['new'], zone: { id: 'mark', dir: 'orig' } });
    expect(printedTarget(t)).toBe('--notrack --helper ftp --ctevents new,mark --expevents new --zone-orig mark');
  });

  it('applies zone options in order as the kernel ends up with them', () => {
    expect(printedTarget(targetOf('-j CT --zone-orig 3 --zone-reply 4', 'CT', raw))).toBe('--zone 4');
    expect(printedTarget(targetOf('-j CT --zone 0', 'CT', raw))).toBe('');
  });

  it('reports an unknown event and a bad zone', () => {
    expect(targetOf('-j CT --ctevents new,teleport', 'CT', raw).problems).toEqual(['iptables/bad-value: new,teleport']);
    expect(targetOf('-j CT --zone 70000', 'CT', raw).problems).toEqual(['iptables/bad-value: 70000']);
  });
});
