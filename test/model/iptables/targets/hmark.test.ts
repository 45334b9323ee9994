import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('HMARK', () => {
  it('expands --hmark-tuple into prefixes and masks as hmark_parse does, later options overriding', () => {
    const t = targetOf('-j HMARK --hmark-tuple ct,src,dst,proto --hmark-offset 10000 --hmark-mod 10 --hmark-rnd 0xfeedcafe', 'HMARK', { table: 'mangle' });
    expect(t).toMatchObject({ ct: true, srcPrefix: 32, dstPrefix: 32, protoMask: 0xffff, mod: 10, offset: 10000, rnd: 0xfeedcafe });
    expect(printedTarget(t)).toBe('--hmark-src-prefix 32 --hmark-dst-prefix 32 --hmark-proto-mask 0xffff --hmark-rnd 0xfeedcafe --hmark-mod 10 --hmark-offset 10000 --hmark-tuple ct');
    expect(printedTarget(targetOf('-j HMARK --hmark-tuple src --hmark-src-prefix 16 --hmark-sport-mask 0xff --hmark-mod 2 --hmark-rnd 1', 'HMARK', { table: 'mangle' }))).toBe(
      '--hmark-src-prefix 16 --hmark-sport-mask 0x00ff --hmark-rnd 0x00000001 --hmark-mod 2',
    );
  });

  it('reports a missing modulus and random seed, and a bad tuple member', () => {
    expect(targetOf('-j HMARK --hmark-tuple src', 'HMARK').problems).toEqual(['iptables/missing-option: -j HMARK --hmark-tuple src', 'iptables/missing-option: -j HMARK --hmark-tuple src']);
    expect(targetOf('-j HMARK --hmark-tuple mac --hmark-mod 1 --hmark-rnd 1', 'HMARK').problems).toEqual(['iptables/bad-value: mac']);
  });
});
