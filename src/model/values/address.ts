/**
 * Addresses and prefixes as iptables takes them (`-s 10.0.0.0/8`, `--to-destination 10.1.2.3:80`).
 *
 * IPv6 is parsed and validated by ip-num. IPv4 dotted quads take a small fast path: ip-num needs
 * ~17 µs per CIDR (measured here), and a 10k-Service kube-proxy dump holds ~300k of them; the fast
 * path agrees with ip-num on every address (test/model/values/address.test.ts checks it against
 * ip-num on random and edge inputs). Results are memoised: dumps repeat the same addresses.
 */
import { IPv6, Validator, collapseIPv6Number } from 'ip-num';

export type Family = 'ipv4' | 'ipv6';

/** A prefix: an address with a length (a plain address is a /32 or /128). */
export interface Cidr {
  readonly family: Family;
  /** First address of the prefix. */
  readonly first: bigint;
  /** Last address of the prefix. */
  readonly last: bigint;
  readonly prefix: number;
  /** Canonical text: `10.0.0.0/8`, `10.1.2.3` for a host (/32, /128), IPv6 compressed. */
  readonly text: string;
  /** True when the text as written had host bits set beyond the prefix (iptables masks them). */
  readonly hostBitsSet: boolean;
}

/** An address range `a-b` (iprange match, NAT ranges). */
export interface AddressRange {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
  readonly text: string;
}

const memo = new Map<string, Cidr | null>();

function parseIPv4(text: string): number | null {
  let value = 0;
  let octets = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || octet > 255) return null;
      value = value * 256 + octet;
      octets++;
      octet = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57 || digits === 3) return null;
    octet = octet * 10 + (c - 48);
    digits++;
  }
  return octets === 4 ? value : null;
}

export function formatIPv4(value: bigint | number): string {
  const v = Number(value);
  return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`;
}

/** RFC 5952 compressed form (`fd00::5`), as iptables-save and ip print IPv6. */
export function formatIPv6(value: bigint): string {
  return collapseIPv6Number(IPv6.fromBigInt(value).toString());
}

export function formatAddress(family: Family, value: bigint): string {
  return family === 'ipv4' ? formatIPv4(value) : formatIPv6(value);
}

/** Netmask in dotted form (`255.255.0.0`) to a prefix length, or null when not contiguous. */
function maskToPrefix(mask: number): number | null {
  let prefix = 0;
  let bit = 31;
  while (bit >= 0 && (mask & (1 << bit)) !== 0) {
    prefix++;
    bit--;
  }
  const rest = mask & ((1 << (bit + 1)) - 1);
  return bit >= 0 && rest !== 0 ? null : prefix;
}

function makeCidr(family: Family, address: bigint, prefix: number): Cidr {
  const bits = family === 'ipv4' ? 32n : 128n;
  const hostBits = bits - BigInt(prefix);
  const size = 1n << hostBits;
  const first = (address >> hostBits) << hostBits;
  const last = first + size - 1n;
  const full = BigInt(prefix) === bits;
  const base = formatAddress(family, first);
  return { family, first, last, prefix, text: full ? base : `${base}/${prefix}`, hostBitsSet: first !== address };
}

/**
 * Parses `A`, `A/len` or `A/dotted-mask` (IPv4). Returns null when it is not an address of
 * either family. `family` restricts the accepted family when given.
 */
export function parseCidr(text: string, family?: Family): Cidr | null {
  const key = family ? `${family}|${text}` : text;
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const result = parseCidrUncached(text, family);
  if (memo.size > 1_000_000) memo.clear();
  memo.set(key, result);
  return result;
}

function parseCidrUncached(text: string, family?: Family): Cidr | null {
  const slash = text.indexOf('/');
  const addr = slash < 0 ? text : text.slice(0, slash);
  const len = slash < 0 ? null : text.slice(slash + 1);
  if (family !== 'ipv6') {
    const v4 = parseIPv4(addr);
    if (v4 !== null) {
      let prefix = 32;
      if (len !== null) {
        if (/^\d{1,2}$/.test(len)) {
          prefix = Number(len);
          if (prefix > 32) return null;
        } else {
          const mask = parseIPv4(len);
          if (mask === null) return null;
          const p = maskToPrefix(mask);
          if (p === null) return null;
          prefix = p;
        }
      }
      return makeCidr('ipv4', BigInt(v4), prefix);
    }
    if (family === 'ipv4') return null;
  }
  if (!addr.includes(':')) return null;
  const [valid] = Validator.isValidIPv6String(addr);
  if (!valid) return null;
  let prefix = 128;
  if (len !== null) {
    if (!/^\d{1,3}$/.test(len)) return null;
    prefix = Number(len);
    if (prefix > 128) return null;
  }
  return makeCidr('ipv6', IPv6.fromString(addr).getValue(), prefix);
}

/** Parses a single address (no prefix). */
export function parseAddress(text: string, family?: Family): Cidr | null {
  if (text.includes('/')) return null;
  return parseCidr(text, family);
}

/** Parses `A-B` (both of one family, A ≤ B) or a single address. */
export function parseAddressRange(text: string, family?: Family): AddressRange | null {
  const dash = text.indexOf('-');
  if (dash < 0) {
    const a = parseAddress(text, family);
    return a ? { family: a.family, first: a.first, last: a.last, text: a.text } : null;
  }
  const a = parseAddress(text.slice(0, dash), family);
  const b = parseAddress(text.slice(dash + 1), family);
  if (!a || !b || a.family !== b.family || a.first > b.first) return null;
  return { family: a.family, first: a.first, last: b.first, text: `${a.text}-${b.text}` };
}

/** True when `address` lies in `cidr`. */
export function cidrContains(cidr: Cidr, family: Family, address: bigint): boolean {
  return cidr.family === family && address >= cidr.first && address <= cidr.last;
}
