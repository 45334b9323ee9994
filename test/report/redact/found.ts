/**
 * Addresses in a text, found for the leak tests independently of the redactor's scanner: a
 * generous pattern, confirmed by the model's address parser.
 */
import { parseCidr, type Family } from '../../../src/model/values/address.js';
import { fixedBits } from '../../../src/report/redact/addresses.js';

export interface FoundAddress {
  readonly family: Family;
  readonly value: bigint;
  /** Null for a host (no /len, or a full-length one). */
  readonly prefix: number | null;
  readonly text: string;
}

const V4 = /(?<![\d.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:\/(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\d{1,2}))?(?![\d])/g;
const V6 = /(?<![\w:.])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3})(?:\/(\d{1,3}))?/g;

export function addressesIn(text: string): FoundAddress[] {
  const out: FoundAddress[] = [];
  for (const re of [V4, V6]) {
    for (const m of text.matchAll(re)) {
      const address = parseCidr(m[1] ?? '');
      if (!address) continue;
      const width = address.family === 'ipv4' ? 32 : 128;
      // `/24` or, in old dumps, `/255.255.255.0`.
      const withPrefix = m[2] === undefined ? null : parseCidr(`${m[1]}/${m[2]}`);
      if (m[2] !== undefined && !withPrefix) continue;
      const prefix = withPrefix ? withPrefix.prefix : null;
      out.push({ family: address.family, value: address.first, prefix: prefix === width ? null : prefix, text: m[0] });
    }
  }
  return out;
}

export function keyOf(a: FoundAddress): string {
  return `${a.family}|${a.value.toString(16)}|${a.prefix ?? 'host'}`;
}

/**
 * True when redaction must change this address: some bit of it (of its prefix, for a CIDR) is
 * not one of the bits kept to preserve special ranges.
 */
export function mustChange(a: FoundAddress): boolean {
  const width = a.family === 'ipv4' ? 32 : 128;
  return fixedBits(a.family, a.value) < (a.prefix ?? width);
}
