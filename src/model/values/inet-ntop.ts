/**
 * Addresses as iptables-save prints them: glibc inet_ntop(3) text. IPv6 compresses the longest
 * (leftmost on a tie) run of two or more zero groups, and prints IPv4-mapped/compatible
 * addresses (`::ffff:a.b.c.d`) with a dotted tail, as glibc's inet_ntop6 does.
 */
import { formatIPv4, type Family } from './address.js';

/** inet_ntop(AF_INET6) text of a 128-bit address. */
export function formatIPv6Ntop(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestLength < 2) bestStart = -1;
  // glibc: "::ffff:a.b.c.d" (mapped) and "::a.b.c.d" (compatible, not ::1 or ::) keep a dotted tail.
  const dotted =
    bestStart === 0 &&
    ((bestLength === 6 && (groups[6] ?? 0) !== 0) || (bestLength === 5 && groups[5] === 0xffff));
  const parts: string[] = [];
  for (let i = 0; i < 8; i++) {
    if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength) {
      if (i === bestStart) parts.push(i === 0 ? ':' : '');
      continue;
    }
    if (dotted && i === 6) {
      parts.push(formatIPv4(value & 0xffffffffn));
      break;
    }
    parts.push((groups[i] ?? 0).toString(16));
  }
  let text = parts.join(':');
  if (bestStart >= 0 && bestStart + bestLength === 8) text += ':';
  return text;
}

/** inet_ntop text of an address of either family. */
export function formatAddressNtop(family: Family, value: bigint): string {
  return family === 'ipv4' ? formatIPv4(value) : formatIPv6Ntop(value);
}

/** A prefix as iptables prints a match operand: `10.0.0.0/8`, and a host without `/32` (xtables_ipmask_to_numeric). */
export function formatCidrNtop(cidr: { readonly family: Family; readonly first: bigint; readonly prefix: number }): string {
  const full = cidr.prefix === (cidr.family === 'ipv4' ? 32 : 128);
  const address = formatAddressNtop(cidr.family, cidr.first);
  return full ? address : `${address}/${cidr.prefix}`;
}

/** A prefix with its length always written (`-s 1.2.3.4/32`, as iptables-save prints -s and -d). */
export function formatCidrWithLength(cidr: { readonly family: Family; readonly first: bigint; readonly prefix: number }): string {
  return `${formatAddressNtop(cidr.family, cidr.first)}/${cidr.prefix}`;
}
