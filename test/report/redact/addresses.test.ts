import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCidr, type Family } from '../../../src/model/values/address.js';
import { addressPseudonyms, fixedBits, REGIONS, regionOf } from '../../../src/report/redact/addresses.js';

const key = new TextEncoder().encode('test key');
const width = (f: Family): number => (f === 'ipv4' ? 32 : 128);
const v4 = (text: string): bigint => parseCidr(text)!.first;

function commonPrefix(family: Family, a: bigint, b: bigint): number {
  const w = width(family);
  for (let i = 0; i < w; i++) if (((a >> BigInt(w - 1 - i)) & 1n) !== ((b >> BigInt(w - 1 - i)) & 1n)) return i;
  return w;
}

const arbV4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
const arbV6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
/** Addresses that share long prefixes, so the interesting cases happen often. */
const arbV4Pair = fc.tuple(arbV4, fc.integer({ min: 0, max: 32 }), arbV4).map(([a, shared, noise]) => {
  const keep = 32n - BigInt(shared);
  return [a, ((a >> keep) << keep) | (noise & ((1n << keep) - 1n))] as const;
});
const arbV6Pair = fc.tuple(arbV6, fc.integer({ min: 0, max: 128 }), arbV6).map(([a, shared, noise]) => {
  const keep = 128n - BigInt(shared);
  return [a, ((a >> keep) << keep) | (noise & ((1n << keep) - 1n))] as const;
});

describe('prefix-preserving pseudonyms', () => {
  it.each([
    ['ipv4', arbV4Pair],
    ['ipv6', arbV6Pair],
  ] as const)('%s: two addresses share exactly as many leading bits after as before', (family, pairs) => {
    const p = addressPseudonyms(key);
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        expect(commonPrefix(family, p.address(family, a), p.address(family, b))).toBe(commonPrefix(family, a, b));
      }),
      { numRuns: 400 },
    );
  });

  it('is a bijection: no two of many addresses meet in one pseudonym', () => {
    const p = addressPseudonyms(key);
    const seen = new Map<bigint, bigint>();
    for (let i = 0n; i < 4096n; i++) {
      const a = (10n << 24n) | (i * 2654435761n) % (1n << 24n);
      const out = p.address('ipv4', a);
      expect(seen.get(out) ?? a).toBe(a);
      seen.set(out, a);
    }
  });

  it('never gives an address back as its own pseudonym', () => {
    const p = addressPseudonyms(key);
    fc.assert(
      fc.property(fc.oneof(arbV4.map((v) => ['ipv4', v] as const), arbV6.map((v) => ['ipv6', v] as const)), ([family, value]) => {
        const region = regionOf(family, value);
        if (region?.treatment === 'keep') return;
        expect(p.address(family, value)).not.toBe(value);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps loopback, link-local, multicast, 0/8, the broadcast address and netmasks as they are', () => {
    const p = addressPseudonyms(key);
    for (const text of ['127.0.0.1', '127.53.0.9', '0.0.0.0', '169.254.169.254', '224.0.0.251', '239.1.2.3', '255.255.255.255', '255.255.255.0', '255.255.240.0']) {
      expect(p.address('ipv4', v4(text)), text).toBe(v4(text));
    }
    for (const text of ['::', '::1', 'fe80::1', 'fe80::a00:27ff:fe4e:66a1', 'ff02::1', 'ff05::2']) {
      expect(p.address('ipv6', parseCidr(text)!.first), text).toBe(parseCidr(text)!.first);
    }
  });

  it('maps private ranges into themselves and public addresses outside every special range', () => {
    const p = addressPseudonyms(key);
    fc.assert(
      fc.property(arbV4, (value) => {
        // Same region before and after (none: public stays public).
        const before = regionOf('ipv4', value);
        const after = regionOf('ipv4', p.address('ipv4', value));
        expect(after).toBe(before);
      }),
      { numRuns: 3000 },
    );
    expect(p.address('ipv4', v4('10.244.1.5')) >> 24n).toBe(10n);
    expect(p.address('ipv4', v4('192.168.1.20')) >> 16n).toBe((192n << 8n) | 168n);
    expect(p.address('ipv4', v4('172.17.0.2')) >> 20n).toBe(v4('172.16.0.0') >> 20n);
  });

  it('keeps IPv6 unique-local addresses unique-local (fd stays fd)', () => {
    const p = addressPseudonyms(key);
    fc.assert(
      fc.property(arbV6, (noise) => {
        const value = (0xfdn << 120n) | (noise & ((1n << 120n) - 1n));
        expect(p.address('ipv6', value) >> 120n).toBe(0xfdn);
      }),
    );
  });

  it('gives an IPv4-mapped IPv6 address the pseudonym of its IPv4 address', () => {
    const p = addressPseudonyms(key);
    const mapped = parseCidr('::ffff:10.0.0.11')!.first;
    expect(p.address('ipv6', mapped)).toBe((0xffffn << 32n) | p.address('ipv4', v4('10.0.0.11')));
  });

  it('keeps a network address a network address, inside which its hosts land', () => {
    const p = addressPseudonyms(key);
    const net = p.prefix('ipv4', v4('10.244.0.0'), 16);
    expect(net & 0xffffn).toBe(0n);
    for (const host of ['10.244.0.1', '10.244.1.5', '10.244.255.254']) expect(p.address('ipv4', v4(host)) >> 16n).toBe(net >> 16n);
    // An interface address with its prefix (ip addr) is a host: its own pseudonym.
    expect(p.prefix('ipv4', v4('10.0.0.11'), 24)).toBe(p.address('ipv4', v4('10.0.0.11')));
  });

  it('gives the same pseudonyms for the same key and different ones for another key', () => {
    const a = addressPseudonyms(key);
    const b = addressPseudonyms(new TextEncoder().encode('test key'));
    const c = addressPseudonyms(new TextEncoder().encode('another key'));
    const sample = ['10.0.0.11', '10.244.1.5', '203.0.113.10', '8.8.8.8'].map(v4);
    expect(sample.map((x) => b.address('ipv4', x))).toEqual(sample.map((x) => a.address('ipv4', x)));
    expect(sample.map((x) => c.address('ipv4', x))).not.toEqual(sample.map((x) => a.address('ipv4', x)));
  });

  it('keeps only the bits that separate an address from the special ranges', () => {
    expect(fixedBits('ipv4', v4('10.1.2.3'))).toBe(8);
    expect(fixedBits('ipv4', v4('192.168.7.7'))).toBe(16);
    expect(fixedBits('ipv4', v4('11.2.3.4'))).toBe(8);
    expect(fixedBits('ipv4', v4('203.0.113.10'))).toBe(5);
    expect(fixedBits('ipv4', v4('127.0.0.1'))).toBe(32);
    // Every region is declared once and inside its family.
    for (const r of REGIONS) expect(r.prefix).toBeLessThanOrEqual(width(r.family));
  });
});
