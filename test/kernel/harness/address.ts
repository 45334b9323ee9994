/**
 * Addresses as the harness reports them: IPv4 dotted, IPv6 in RFC 5952 compressed form (what
 * conntrack and nft print, via inet_ntop, for every address the topology uses). Parsing is the
 * model's (src/model/values/address.ts); the IPv6 text comes from the WHATWG URL serialiser,
 * which compresses like RFC 5952, because the model's own IPv6 text is not compressed.
 */
import { parseAddress } from '../../../src/model/values/address.js';

/** Canonical text of an address, or null when it is not one. */
export function canonicalAddress(text: string): string | null {
  const parsed = parseAddress(text);
  if (!parsed) return null;
  if (parsed.family === 'ipv4') return parsed.text;
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

/** Same address, whatever the spelling (`fd00::5` and `fd00:0:0:0:0:0:0:5`). */
export function sameAddress(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const x = parseAddress(a);
  const y = parseAddress(b);
  return x !== null && y !== null && x.family === y.family && x.first === y.first;
}
