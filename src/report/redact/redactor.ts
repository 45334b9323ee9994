/**
 * Redaction of a whole report: every IPv4/IPv6 address in every string (messages, rule lines,
 * comments, tuples, file names, the command line) gets its prefix-preserving pseudonym
 * (addresses.ts), and optionally Kubernetes names in comments get theirs (names.ts). One
 * Redactor is one report: the same address gives the same pseudonym everywhere in it, on stdout
 * and stderr alike.
 *
 * Addresses are found by shape and confirmed by the address parser of src/model/values: an
 * IPv6 candidate is a run of hex groups with at least two colons (optionally with a dotted
 * IPv4 tail and a /length); an IPv4 candidate is a dotted quad not inside a longer dotted
 * number, with an optional /length or /netmask; `ip-10-0-0-11` (cloud host names) is an IPv4
 * address too. The scan is one pass, so a pseudonym is never scanned again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { parseCidr } from '../../model/values/address.js';
import { formatAddressNtop } from '../../model/values/inet-ntop.js';
import { addressPseudonyms, type AddressPseudonyms } from './addresses.js';
import { namePseudonyms, type NamePseudonyms } from './names.js';

export interface RedactionSettings {
  /** Also replace Kubernetes `namespace/name` in comments. */
  readonly names: boolean;
  /** A fixed key (any text), so two reports share pseudonyms; null: a random key for this report. */
  readonly key: string | null;
}

export interface Redactor {
  readonly settings: RedactionSettings;
  /** Any string: addresses everywhere, names inside comments (`--comment …`, `"…"`). */
  text(s: string): string;
  /** A string that is a comment: names anywhere in it, and addresses. */
  comment(s: string): string;
}

const IPV6 = String.raw`(?<![\w.:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:(?:\.\d{1,3}){3})?(?:/\d{1,3})?(?![\w:]|\.\d)`;
const DASHED = String.raw`(?<![\w-])ip-(\d{1,3})-(\d{1,3})-(\d{1,3})-(\d{1,3})(?!\d)`;
const IPV4 = String.raw`(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:/(?:\d{1,3}(?:\.\d{1,3}){3}|\d{1,2}))?(?!\d|\.\d)`;
const ADDRESS = new RegExp(`(${IPV6})|${DASHED}|(${IPV4})`, 'g');
const IPV4_ONLY = new RegExp(IPV4, 'g');

/** Comment contexts: an iptables `--comment` operand, or any double-quoted segment. */
const COMMENT_CONTEXT = /(--comment\s+)("(?:[^"\\\n]|\\.)*"|[^\s"]+)|"(?:[^"\\\n]|\\.)*"/g;

function pseudonymOf(p: AddressPseudonyms, written: string): string | null {
  const cidr = parseCidr(written);
  if (!cidr) return null;
  const slash = written.indexOf('/');
  if (slash < 0) return formatAddressNtop(cidr.family, p.address(cidr.family, cidr.first));
  // The address as written, host bits included: `10.0.0.11/24` (ip addr) is the host 10.0.0.11.
  const host = parseCidr(written.slice(0, slash));
  if (!host) return null;
  return `${formatAddressNtop(cidr.family, p.prefix(cidr.family, host.first, cidr.prefix))}${written.slice(slash)}`;
}

function replaceAddresses(p: AddressPseudonyms, s: string): string {
  return s.replace(ADDRESS, (match: string, v6: string | undefined, a: string | undefined, b: string | undefined, c: string | undefined, d: string | undefined, v4: string | undefined) => {
    if (v6 !== undefined) {
      const out = pseudonymOf(p, v6);
      // Not an IPv6 address after all (a time, a MAC): an IPv4 address may still sit inside.
      return out ?? v6.replace(IPV4_ONLY, (x) => pseudonymOf(p, x) ?? x);
    }
    if (a !== undefined && b !== undefined && c !== undefined && d !== undefined) {
      const out = pseudonymOf(p, `${a}.${b}.${c}.${d}`);
      return out ? `ip-${out.replace(/\./g, '-')}` : match;
    }
    if (v4 !== undefined) return pseudonymOf(p, v4) ?? v4;
    return match;
  });
}

function keyBytes(key: string | null): Uint8Array {
  return key === null ? randomBytes(32) : createHash('sha256').update(key, 'utf8').digest();
}

export function createRedactor(settings: RedactionSettings): Redactor {
  const addresses = addressPseudonyms(keyBytes(settings.key));
  const names: NamePseudonyms | null = settings.names ? namePseudonyms() : null;
  const text = (s: string): string => {
    const named = names ? s.replace(COMMENT_CONTEXT, (m: string, flag: string | undefined, operand: string | undefined) => (flag !== undefined && operand !== undefined ? flag + names.comment(operand) : names.comment(m))) : s;
    return replaceAddresses(addresses, named);
  };
  const comment = (s: string): string => replaceAddresses(addresses, names ? names.comment(s) : s);
  return { settings, text, comment };
}

/**
 * Redacts every string of a plain JSON-like value (a report document, a `--json` document):
 * fields named `comment` as comments, every other string as text. Numbers and keys are kept.
 */
export function redactValue<T>(value: T, redactor: Redactor): T {
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'string') return key === 'comment' ? redactor.comment(v) : redactor.text(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, k);
      return out;
    }
    return v;
  };
  return walk(value, null) as T;
}
