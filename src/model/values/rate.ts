/**
 * Packet rates as the limit and hashlimit matches store and print them. The kernel keeps a
 * period (time between packets) in fixed-point units, and iptables-save prints it back as the
 * largest unit that divides well, so `60/min` reads back as `1/sec`.
 * Mirrors extensions/libxt_limit.c (parse_rate, print_rate) and libxt_hashlimit.c.
 */

/** A rate unit and its length in seconds. */
export type RateUnit = 'sec' | 'min' | 'hour' | 'day';

export const RATE_UNIT_SECONDS: Readonly<Record<RateUnit, number>> = { sec: 1, min: 60, hour: 3600, day: 86400 };

/** The fixed-point scale of a period: xt_limit uses 10000 (XT_LIMIT_SCALE), hashlimit v2+ 1000000. */
export const LIMIT_SCALE = 10000n;
export const HASHLIMIT_SCALE = 1000000n;

/**
 * Parses `N[/unit]` (unit any prefix of second|minute|hour|day, case-insensitive; default
 * `defaultUnit`) into the kernel period `scale × unit / N` (integer division). Null when not a
 * rate or when it is too fast to represent (period 0) — iptables rejects both.
 */
export function parseRatePeriod(text: string, scale: bigint, defaultUnit: RateUnit): { period: bigint; unit: RateUnit } | null {
  const slash = text.indexOf('/');
  let unit: RateUnit = defaultUnit;
  if (slash >= 0) {
    const suffix = text.slice(slash + 1).toLowerCase();
    if (suffix.length === 0) return null;
    const found = (['second', 'minute', 'hour', 'day'] as const).find((u) => u.startsWith(suffix));
    if (!found) return null;
    unit = found === 'second' ? 'sec' : found === 'minute' ? 'min' : found;
  }
  const countText = slash >= 0 ? text.slice(0, slash) : text;
  // atoi(): leading digits only; iptables rejects 0.
  const digits = /^\s*\+?(\d+)/.exec(countText);
  if (!digits) return null;
  const count = BigInt(digits[1]!);
  if (count === 0n) return null;
  const period = (scale * BigInt(RATE_UNIT_SECONDS[unit])) / count;
  if (period === 0n) return null;
  return { period, unit };
}

/**
 * The text iptables-save prints for a period (print_rate): the largest unit in which the count
 * is exact enough, e.g. `1/sec`, `3/hour`.
 */
export function formatRatePeriod(period: bigint, scale: bigint): string {
  if (period === 0n) return 'inf';
  const units: readonly [RateUnit, bigint][] = [
    ['day', scale * 86400n],
    ['hour', scale * 3600n],
    ['min', scale * 60n],
    ['sec', scale],
  ];
  let i = 1;
  for (; i < units.length; i++) {
    const mult = units[i]![1];
    if (period > mult || mult / period < mult % period) break;
  }
  const [name, mult] = units[i - 1]!;
  return `${mult / period}/${name}`;
}

/** Packets per second of a period, for evaluators. */
export function periodToPerSecond(period: bigint, scale: bigint): number {
  return period === 0n ? Infinity : Number(scale) / Number(period);
}
