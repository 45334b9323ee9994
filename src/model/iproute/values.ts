/**
 * iproute2's printed values: scopes, table ids, numbers, lifetimes, and addresses with their
 * exact host part kept (an interface address `10.0.0.3/24` is the host 10.0.0.3 on the network
 * 10.0.0.0/24; `parseCidr` alone would keep only the network).
 */
import { parseAddress, parseCidr, type Cidr, type Family } from '../values/address.js';
import type { Scope, TableId } from './types.js';

/** `A/len` (or `A`) as the exact host and its network; null when not an address of `family`. */
export function parseHostPrefix(text: string, family?: Family): { host: Cidr; prefix: Cidr } | null {
  const slash = text.indexOf('/');
  const host = parseAddress(slash < 0 ? text : text.slice(0, slash), family);
  if (!host) return null;
  if (slash >= 0 && !/^\d{1,3}$/.test(text.slice(slash + 1))) return null;
  const prefix = parseCidr(text, host.family);
  return prefix ? { host, prefix } : null;
}

/** Scope names of /etc/iproute2/rt_scopes (lib/rt_names.c rtnl_rtscope_n2a). */
const SCOPES: Readonly<Record<string, Scope>> = {
  global: 'global',
  universe: 'global',
  site: 'site',
  link: 'link',
  host: 'host',
  nowhere: 'nowhere',
};
const SCOPE_NUMBERS: Readonly<Record<number, Scope>> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };

export function parseScope(text: string): Scope | null {
  const named = SCOPES[text];
  if (named !== undefined) return named;
  if (!/^\d{1,3}$/.test(text)) return null;
  const n = Number(text);
  if (n > 255) return null;
  return SCOPE_NUMBERS[n] ?? n;
}

/**
 * A table as printed: a name from rt_tables, or a number. The reserved ids are named as iproute2
 * names them (include/uapi/linux/rtnetlink.h RT_TABLE_DEFAULT 253, MAIN 254, LOCAL 255), so
 * that `table 254` and `table main` are the same table.
 */
export function parseTable(text: string): TableId {
  if (!/^\d+$/.test(text)) return text;
  const n = Number(text);
  switch (n) {
    case 253:
      return 'default';
    case 254:
      return 'main';
    case 255:
      return 'local';
    default:
      return n;
  }
}

/** An unsigned decimal that fits in 32 bits. */
export function parseUnsigned(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n <= 0xffffffff ? n : null;
}

/** `forever` or `86398sec` (ip/ipaddress.c print_lifetime). */
export function parseLifetime(text: string): number | 'forever' | null {
  if (text === 'forever') return 'forever';
  const m = /^(\d+)sec$/.exec(text);
  return m ? Number(m[1]) : null;
}
