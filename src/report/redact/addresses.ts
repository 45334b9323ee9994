/**
 * Prefix-preserving pseudonyms for IPv4 and IPv6 addresses, after Crypto-PAn (Xu, Fan, Ammar,
 * Moon: "Prefix-Preserving IP Address Anonymization", 2002): bit i of the pseudonym is bit i of
 * the address XOR a keyed function of the bits before it. Two addresses that share their first
 * n bits therefore share the first n bits of their pseudonyms — a /24 stays a /24, a pod CIDR
 * stays one prefix with its per-node /24s inside — and the mapping is a bijection, so two
 * addresses never meet in one pseudonym. The keyed function is one bit of HMAC-SHA256 over the
 * prefix (Crypto-PAn uses AES; any PRF will do).
 *
 * Ranges whose meaning a reader needs are handled as regions of the bit tree:
 *  - `keep`: the address is printed unchanged (loopback, link-local, multicast, 0/8, class E
 *    with 255.255.255.255 and the netmasks, ::, ::1, fe80::/10, ff00::/8);
 *  - `within`: the pseudonym stays in the region (10/8 → 10/8, 172.16/12, 192.168/16, the
 *    CGNAT 100.64/10, ULA fc00::/8 and fd00::/8), so "pod network vs node network" still reads;
 *  - `embedded-ipv4`: IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96) addresses get the
 *    pseudonym of their IPv4 address, so both spellings of one address stay one address.
 * A tree node that overlaps a region is never flipped, so no address is moved into or out of a
 * region: a public address keeps the few leading bits that separate it from the regions (11.x
 * keeps its first octet, 203.0.113.10 its first 5 bits) and the rest is pseudonymised.
 *
 * At the first node below the kept bits the bit is always flipped (not keyed): a pseudonym then
 * never equals its original, which a reader checking a redacted report for leaks relies on. It
 * tells an observer that one bit, no more.
 */
import { createHmac } from 'node:crypto';
import type { Family } from '../../model/values/address.js';

export type RegionTreatment = 'keep' | 'within' | 'embedded-ipv4';

export interface Region {
  readonly family: Family;
  /** Network address. */
  readonly first: bigint;
  readonly prefix: number;
  readonly treatment: RegionTreatment;
  /** Why it is special, for docs/output.md. */
  readonly what: string;
}

function v4(a: number, b: number, c: number, d: number): bigint {
  return BigInt(((a * 256 + b) * 256 + c) * 256 + d);
}

export const REGIONS: readonly Region[] = [
  { family: 'ipv4', first: v4(0, 0, 0, 0), prefix: 8, treatment: 'keep', what: '"this network" (RFC 1122), 0.0.0.0' },
  { family: 'ipv4', first: v4(127, 0, 0, 0), prefix: 8, treatment: 'keep', what: 'loopback' },
  { family: 'ipv4', first: v4(169, 254, 0, 0), prefix: 16, treatment: 'keep', what: 'link-local (and cloud metadata 169.254.169.254)' },
  { family: 'ipv4', first: v4(224, 0, 0, 0), prefix: 4, treatment: 'keep', what: 'multicast' },
  { family: 'ipv4', first: v4(240, 0, 0, 0), prefix: 4, treatment: 'keep', what: 'reserved, 255.255.255.255 and netmasks' },
  { family: 'ipv4', first: v4(10, 0, 0, 0), prefix: 8, treatment: 'within', what: 'private (RFC 1918)' },
  { family: 'ipv4', first: v4(100, 64, 0, 0), prefix: 10, treatment: 'within', what: 'shared address space (RFC 6598, CGNAT)' },
  { family: 'ipv4', first: v4(172, 16, 0, 0), prefix: 12, treatment: 'within', what: 'private (RFC 1918)' },
  { family: 'ipv4', first: v4(192, 168, 0, 0), prefix: 16, treatment: 'within', what: 'private (RFC 1918)' },
  { family: 'ipv6', first: 0n, prefix: 128, treatment: 'keep', what: 'unspecified ::' },
  { family: 'ipv6', first: 1n, prefix: 128, treatment: 'keep', what: 'loopback ::1' },
  { family: 'ipv6', first: 0xffffn << 32n, prefix: 96, treatment: 'embedded-ipv4', what: 'IPv4-mapped' },
  { family: 'ipv6', first: 0x64ff9bn << 96n, prefix: 96, treatment: 'embedded-ipv4', what: 'NAT64 well-known prefix' },
  { family: 'ipv6', first: 0xfcn << 120n, prefix: 8, treatment: 'within', what: 'unique local (fc00::/8)' },
  { family: 'ipv6', first: 0xfdn << 120n, prefix: 8, treatment: 'within', what: 'unique local (fd00::/8)' },
  { family: 'ipv6', first: 0xfe8n << 116n, prefix: 10, treatment: 'keep', what: 'link-local' },
  { family: 'ipv6', first: 0xffn << 120n, prefix: 8, treatment: 'keep', what: 'multicast' },
];

function width(family: Family): number {
  return family === 'ipv4' ? 32 : 128;
}

/** Top `k` bits of an address, as a number of k bits. */
function topBits(family: Family, value: bigint, k: number): bigint {
  return value >> BigInt(width(family) - k);
}

/** The region a tree node (the prefix `top` of length k) lies in, if any. */
function regionHolding(family: Family, top: bigint, k: number): Region | null {
  for (const r of REGIONS) {
    if (r.family !== family || r.prefix > k) continue;
    if (top >> BigInt(k - r.prefix) === topBits(family, r.first, r.prefix)) return r;
  }
  return null;
}

/** True when some region lies inside the tree node (prefix `top` of length k) without holding it. */
function overlapsRegion(family: Family, top: bigint, k: number): boolean {
  for (const r of REGIONS) {
    if (r.family !== family || r.prefix <= k) continue;
    if (topBits(family, r.first, k) === top) return true;
  }
  return false;
}

type NodeKind = 'fixed' | 'forced' | 'keyed';

/** What happens to the bit below tree node (top, k): kept, always flipped, or flipped by the key. */
function nodeKind(family: Family, top: bigint, k: number): NodeKind {
  const region = regionHolding(family, top, k);
  if (region) {
    if (region.treatment !== 'within') return 'fixed';
    return k === region.prefix ? 'forced' : 'keyed';
  }
  if (overlapsRegion(family, top, k)) return 'fixed';
  // Free: forced when its parent was not (k = 0 has no parent; an address family with no
  // region would be forced at the root).
  if (k === 0) return 'forced';
  const parentTop = top >> 1n;
  const parentRegion = regionHolding(family, parentTop, k - 1);
  const parentFree = parentRegion ? parentRegion.treatment === 'within' : !overlapsRegion(family, parentTop, k - 1);
  return parentFree ? 'keyed' : 'forced';
}

/** The region an address lies in, if any. */
export function regionOf(family: Family, value: bigint): Region | null {
  return regionHolding(family, value, width(family));
}

/**
 * How many leading bits of this address are never changed: the regions' own bits and the bits
 * that separate it from them. The whole width for an address that is kept.
 */
export function fixedBits(family: Family, value: bigint): number {
  const region = regionOf(family, value);
  if (region && region.treatment === 'embedded-ipv4') return 96 + fixedBits('ipv4', value & 0xffffffffn);
  const w = width(family);
  for (let k = 0; k < w; k++) if (nodeKind(family, topBits(family, value, k), k) !== 'fixed') return k;
  return w;
}

export interface AddressPseudonyms {
  /** The pseudonym of one address. */
  address(family: Family, value: bigint): bigint;
  /**
   * The pseudonym of `value/prefix`: a network address (host bits zero) stays one, so
   * `10.244.0.0/16` becomes `10.X.0.0/16` and every pod address in it lands inside; an address
   * with host bits (`10.0.0.11/24` from `ip addr`) gets its full pseudonym.
   */
  prefix(family: Family, value: bigint, prefix: number): bigint;
}

/**
 * Pseudonyms under one key: the same input gives the same pseudonym for as long as this object
 * lives.
 *
 * The keyed flips come in blocks of eight tree levels: one HMAC of the prefix that starts a
 * block gives 256 bits, enough for the 255 nodes of the block's subtree (heap numbering), so an
 * IPv6 address costs 16 HMACs rather than 128. Each flip still depends only on the bits above
 * it, which is all prefix preservation needs.
 */
export function addressPseudonyms(key: Uint8Array): AddressPseudonyms {
  const blockCache = new Map<string, Buffer>();
  const addressCache = new Map<string, bigint>();
  const keyedBit = (family: Family, top: bigint, k: number): number => {
    const depthInBlock = k % 8;
    const base = top >> BigInt(depthInBlock);
    const id = `${family}/${k - depthInBlock}/${base.toString(16)}`;
    let digest = blockCache.get(id);
    if (!digest) {
      digest = createHmac('sha256', key).update(id).digest();
      if (blockCache.size > 500_000) blockCache.clear();
      blockCache.set(id, digest);
    }
    const index = (1 << depthInBlock) - 1 + Number(top & BigInt((1 << depthInBlock) - 1));
    return ((digest[index >> 3] ?? 0) >> (index & 7)) & 1;
  };
  const address = (family: Family, value: bigint): bigint => {
    const id = `${family}/${value.toString(16)}`;
    const hit = addressCache.get(id);
    if (hit !== undefined) return hit;
    let out: bigint;
    const region = regionOf(family, value);
    if (region?.treatment === 'keep') out = value;
    else if (region?.treatment === 'embedded-ipv4') out = ((value >> 32n) << 32n) | address('ipv4', value & 0xffffffffn);
    else {
      // Below the first node that is not fixed every node is keyed: a free node is inside a
      // `within` region or outside every region, and so are all nodes under it.
      const w = width(family);
      const kept = fixedBits(family, value);
      out = value >> BigInt(w - kept);
      for (let k = kept; k < w; k++) {
        const bit = Number((value >> BigInt(w - 1 - k)) & 1n);
        const flip = k === kept ? 1 : keyedBit(family, topBits(family, value, k), k);
        out = (out << 1n) | BigInt(bit ^ flip);
      }
    }
    if (addressCache.size > 200_000) addressCache.clear();
    addressCache.set(id, out);
    return out;
  };
  const prefix = (family: Family, value: bigint, length: number): bigint => {
    const hostBits = BigInt(width(family) - length);
    const network = (value >> hostBits) << hostBits;
    if (network !== value) return address(family, value);
    return (address(family, value) >> hostBits) << hostBits;
  };
  return { address, prefix };
}
