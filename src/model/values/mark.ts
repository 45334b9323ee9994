/** Packet and connection marks: `0x4000/0x4000`, `0x1`, `16384`. */

/** A 32-bit value with a mask; a match tests `(mark & mask) === value`. */
export interface MarkValue {
  readonly value: number;
  readonly mask: number;
}

/** Parses an unsigned 32-bit number written in decimal, hex (0x) or octal (0). */
export function parseUint32(text: string): number | null {
  let n: number;
  if (/^0[xX][0-9a-fA-F]{1,8}$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (/^0[0-7]+$/.test(text)) n = parseInt(text.slice(1), 8);
  else if (/^\d{1,10}$/.test(text)) n = Number(text);
  else return null;
  return n <= 0xffffffff ? n >>> 0 : null;
}

/** Parses `value[/mask]`; the mask defaults to 0xffffffff. */
export function parseMark(text: string): MarkValue | null {
  const slash = text.indexOf('/');
  const value = parseUint32(slash < 0 ? text : text.slice(0, slash));
  const mask = slash < 0 ? 0xffffffff : parseUint32(text.slice(slash + 1));
  if (value === null || mask === null) return null;
  return { value, mask };
}

export function formatHex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

export function formatMark(mark: MarkValue): string {
  return mark.mask === 0xffffffff ? formatHex(mark.value) : `${formatHex(mark.value)}/${formatHex(mark.mask)}`;
}
