/**
 * Unsigned numbers and inclusive ranges as iptables options write them: `5`, `5:10`, `:10`
 * (from 0), `5:` (to the maximum). Mirrors libxtables xtables_strtoui / xtables_parse_range
 * semantics: decimal, `0x` hex or leading-zero octal.
 */

/** An inclusive range; a single value has from === to. */
export interface NumberRange {
  readonly from: number;
  readonly to: number;
}

/** Parses an unsigned integer (decimal, 0x hex, 0 octal) no larger than `max`; null otherwise. */
export function parseUnsigned(text: string, max = 0xffffffff): number | null {
  let n: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else if (/^\d+$/.test(text)) n = Number(text);
  else return null;
  return Number.isSafeInteger(n) && n <= max ? n : null;
}

/** Parses a decimal-only unsigned integer (xtables_strtoui with base 10). */
export function parseDecimal(text: string, max = 0xffffffff): number | null {
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n <= max ? n : null;
}

/**
 * Parses `a`, `a:b`, `:b` or `a:` (separator configurable) with both ends ≤ max and a ≤ b.
 * Returns null on anything else.
 */
export function parseNumberRange(text: string, max: number, separator = ':'): NumberRange | null {
  const i = text.indexOf(separator);
  if (i < 0) {
    const n = parseUnsigned(text, max);
    return n === null ? null : { from: n, to: n };
  }
  const from = i === 0 ? 0 : parseUnsigned(text.slice(0, i), max);
  const to = i === text.length - 1 ? max : parseUnsigned(text.slice(i + 1), max);
  if (from === null || to === null || from > to) return null;
  return { from, to };
}

/** `a` when the range is one value, else `a:b`. */
export function formatNumberRange(range: NumberRange, separator = ':'): string {
  return range.from === range.to ? String(range.from) : `${range.from}${separator}${range.to}`;
}

/** `0x1f`-style lower-case hex, zero-padded to `width` digits (printf "0x%0Nx"). */
export function formatHexPadded(n: number, width: number): string {
  return `0x${(n >>> 0).toString(16).padStart(width, '0')}`;
}
