/** Packet classes as short text: `10.244.1.5`, `10.0.0.0/8`, `any`, `30000-32767`, `10.0.0.0/8 + 2 more`. */
import { formatAddress, type Family } from '../model/values/address.js';
import type { Interval, IntervalSet } from './interval-set.js';

function bits(family: Family): bigint {
  return family === 'ipv4' ? 32n : 128n;
}

/** Splits an interval into the fewest CIDR blocks. */
function cidrBlocks(family: Family, interval: Interval): string[] {
  const out: string[] = [];
  const width = bits(family);
  let lo = interval.lo;
  while (lo <= interval.hi) {
    let size = 0n;
    while (size < width) {
      const next = size + 1n;
      const block = 1n << next;
      if (lo % block !== 0n || lo + block - 1n > interval.hi) break;
      size = next;
    }
    const prefix = width - size;
    out.push(prefix === width ? formatAddress(family, lo) : `${formatAddress(family, lo)}/${prefix}`);
    lo += 1n << size;
    if (out.length > 64) break;
  }
  return out;
}

export function addressSetText(family: Family, set: IntervalSet): string {
  if (set.isEmpty) return 'none';
  const full = (1n << bits(family)) - 1n;
  const first = set.intervals[0]!;
  if (set.intervals.length === 1 && first.lo === 0n && first.hi === full) return 'any';
  const blocks = set.intervals.flatMap((i) => cidrBlocks(family, i));
  if (blocks.length <= 3) return blocks.join(', ');
  const complement = cidrBlocksOfComplement(family, set);
  if (complement && complement.length <= 2) return `any except ${complement.join(', ')}`;
  return `${blocks.slice(0, 2).join(', ')} + ${blocks.length - 2} more`;
}

function cidrBlocksOfComplement(family: Family, set: IntervalSet): string[] | null {
  const full = (1n << bits(family)) - 1n;
  const gaps: Interval[] = [];
  let next = 0n;
  for (const i of set.intervals) {
    if (i.lo > next) gaps.push({ lo: next, hi: i.lo - 1n });
    next = i.hi + 1n;
  }
  if (next <= full) gaps.push({ lo: next, hi: full });
  const blocks = gaps.flatMap((g) => cidrBlocks(family, g));
  return blocks.length ? blocks : null;
}

export function portSetText(set: IntervalSet): string {
  if (set.isEmpty) return 'none';
  const first = set.intervals[0]!;
  if (set.intervals.length === 1 && first.lo === 0n && first.hi === 65535n) return 'any';
  const parts = set.intervals.map((i) => (i.lo === i.hi ? `${i.lo}` : `${i.lo}-${i.hi}`));
  return parts.length <= 4 ? parts.join(',') : `${parts.slice(0, 3).join(',')} + ${parts.length - 3} more`;
}
