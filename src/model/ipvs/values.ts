/**
 * Reading the words of ipvsadm text as values: endpoints (address or host name, port or service
 * name), counters, unsigned numbers, persistence masks, tunnel info. Each reader reports what it
 * cannot read as a located diagnostic and returns null; the caller then skips the line.
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { EndpointSyntax, WordSyntax } from '../../../grammar/ipvsadm/syntax.js';
import type { SourceRef, SourceText, Span } from '../../../grammar/source.js';
import { parseAddress, type Cidr, type Family } from '../values/address.js';
import { parsePort } from '../values/port.js';
import type { IpvsCount, PersistenceMask, TunnelSettings } from './types.js';

/** Where values are read from, and where to say what could not be read. */
export interface ReadContext {
  readonly source: SourceText;
  readonly diagnostics: Diagnostic[];
}

export function refIn(cx: ReadContext, span: Span): SourceRef {
  return { source: cx.source, start: span.start, end: span.end };
}

/** An endpoint read as an address (or a host name ipvsadm printed instead) and a port. */
export interface ReadEndpoint {
  readonly family: Family;
  readonly address: Cidr | null;
  readonly host: string;
  /** Null when no port was written, or a service name could not be resolved. */
  readonly port: number | null;
  readonly portText: string | null;
}

/**
 * A host name as getaddrinfo() would take it (letters, digits, `-`, `_`, `.`), and not a
 * malformed dotted quad such as `10.0.0.300`.
 */
function isHostName(text: string): boolean {
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(text) && !/^[0-9.]+$/.test(text);
}

/**
 * Reads `address[:port]`. ipvsadm prints IPv6 addresses (and names of IPv6 hosts) in brackets,
 * IPv4 ones bare (addrport_to_anyname()); without `-n` it prints names. Names are kept with a
 * warning: they cannot be resolved offline. `missingPort` says what an absent port means.
 */
export function readEndpoint(
  cx: ReadContext,
  endpoint: EndpointSyntax,
  missingPort: 'cut-off' | 'allowed',
): ReadEndpoint | null {
  const hostText = endpoint.host.text;
  let family: Family;
  let address: Cidr | null;
  if (endpoint.bracketed || hostText.includes(':')) {
    family = 'ipv6';
    address = parseAddress(hostText, 'ipv6');
  } else {
    family = 'ipv4';
    address = parseAddress(hostText, 'ipv4');
  }
  if (!address) {
    if (!isHostName(hostText)) {
      cx.diagnostics.push(diagnose('ipvs/bad-address', refIn(cx, endpoint.host), hostText));
      return null;
    }
    cx.diagnostics.push(diagnose('ipvs/host-name', refIn(cx, endpoint.host), hostText));
  }
  const portWord = endpoint.port;
  if (!portWord) {
    if (missingPort === 'cut-off') cx.diagnostics.push(diagnose('ipvs/missing-port', refIn(cx, endpoint), hostText));
    return { family, address, host: hostText, port: null, portText: null };
  }
  const port = readPort(cx, portWord);
  if (port === undefined) return null;
  return { family, address, host: hostText, port, portText: portWord.text };
}

/** A port number (0–65535) or a service name; undefined when neither (reported). */
function readPort(cx: ReadContext, word: WordSyntax): number | null | undefined {
  const text = word.text;
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n <= 65535) return n;
    cx.diagnostics.push(diagnose('ipvs/bad-value', refIn(cx, word), 'Port', text, 'a number from 0 to 65535'));
    return undefined;
  }
  if (!/^[A-Za-z][A-Za-z0-9_.+-]*$/.test(text)) {
    cx.diagnostics.push(diagnose('ipvs/bad-value', refIn(cx, word), 'Port', text, 'a number from 0 to 65535 or a service name'));
    return undefined;
  }
  const known = parsePort(text);
  if (known !== null) {
    cx.diagnostics.push(diagnose('ipvs/port-name', refIn(cx, word), text, known));
    return known;
  }
  cx.diagnostics.push(diagnose('ipvs/unknown-port-name', refIn(cx, word), text));
  return null;
}

const UNITS: Readonly<Record<string, bigint>> = { K: 1000n, M: 1000_000n, G: 1000_000_000n, T: 1000_000_000_000n };

/** A counter column: `1234`, or `1234K` (print_largenum(): ×1000ⁿ, rounded down). */
export function readCount(word: WordSyntax): IpvsCount {
  const text = word.text;
  const unit = UNITS[text.charAt(text.length - 1)];
  return unit ? { value: BigInt(text.slice(0, -1)) * unit, rounded: true } : { value: BigInt(text), rounded: false };
}

/** An unsigned decimal number in [min, max]; null when not (reported). */
export function readNumber(cx: ReadContext, word: WordSyntax, what: string, min: number, max: number): number | null {
  const text = word.text;
  // Listings repeat this for every column of every line: digits are checked without a RegExp.
  let n = text.length > 0 && text.length <= 10 ? 0 : -1;
  for (let i = 0; n >= 0 && i < text.length; i++) {
    const c = text.charCodeAt(i) - 48;
    n = c >= 0 && c <= 9 ? n * 10 + c : -1;
  }
  if (n >= min && n <= max) return n;
  cx.diagnostics.push(diagnose('ipvs/bad-value', refIn(cx, word), what, text, `a whole number from ${min} to ${max}`));
  return null;
}

/** The largest value of an unsigned 32-bit counter (activeconns, inactconns: `%u`). */
export const UINT32_MAX = 0xffffffff;
/** The largest weight or threshold (an `int` in struct ip_vs_dest_user; ipvsadm(8): 0 through 2147483647). */
export const INT32_MAX = 0x7fffffff;

/**
 * A persistence mask: a dotted IPv4 netmask (inet_aton() in ipvsadm's parse_netmask()) or, for
 * an IPv6 service, a prefix length 1–128. Returns null when it is neither (not reported: the
 * caller words the failure as its source did).
 */
export function parsePersistenceMask(text: string, family: Family): PersistenceMask | null {
  if (family === 'ipv6') {
    if (!/^\d{1,3}$/.test(text)) return null;
    const prefix = Number(text);
    if (prefix < 1 || prefix > 128) return null;
    const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(128 - prefix);
    return { family, mask, prefix, text };
  }
  const parsed = parseAddress(text, 'ipv4');
  if (!parsed) return null;
  const mask = parsed.first;
  let prefix = 0;
  while (prefix < 32 && (mask & (1n << BigInt(31 - prefix))) !== 0n) prefix++;
  const contiguous = mask === ((1n << 32n) - 1n) - ((1n << BigInt(32 - prefix)) - 1n);
  return { family, mask, prefix: contiguous ? prefix : null, text };
}

/**
 * The `--tun-info` column: `ipip`, `gue:PORT:CSUM`, `gre:CSUM` (fwd_tun_info() in ipvsadm.c) or
 * `n/a`; null for `n/a` and for anything else (the text is kept by the caller).
 */
export function parseTunnelInfo(text: string): TunnelSettings | null {
  const [type, ...rest] = text.split(':');
  const checksum = (t: string | undefined): TunnelSettings['checksum'] | undefined | null =>
    t === undefined ? undefined : t === 'nocsum' || t === 'csum' || t === 'remcsum' ? t : null;
  if (type === 'ipip' && rest.length === 0) return { type };
  if (type === 'gre' && rest.length <= 1) {
    const c = checksum(rest[0]);
    return c === null ? null : c ? { type, checksum: c } : { type };
  }
  if (type === 'gue' && rest.length >= 1 && rest.length <= 2 && /^\d{1,5}$/.test(rest[0]!)) {
    const port = Number(rest[0]);
    const c = checksum(rest[1]);
    if (port > 65535 || c === null) return null;
    return c ? { type, port, checksum: c } : { type, port };
  }
  return null;
}
