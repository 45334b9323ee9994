/**
 * The mark arithmetic MARK and CONNMARK share (libxt_MARK.c mark_tg_parse, libxt_CONNMARK.c):
 * every form becomes an xset value/mask, `mark = (mark & ~mask) ^ value`.
 */
import { formatHex, parseMark, parseUint32 } from '../../values/mark.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { valueDef, type OptionReader } from '../matches/read.js';
import type { Masked } from '../matches/types.js';

export const XMARK_OPTIONS = ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'] as const;

export const xmarkDefs = XMARK_OPTIONS.map((n) => valueDef([n]));

/** Reads whichever one mark option is given; reports the others as conflicting. */
export function readXmark(r: OptionReader): { readonly mark: Masked; readonly option: string } | undefined {
  let found: { mark: Masked; option: string } | undefined;
  for (const name of XMARK_OPTIONS) {
    const bitsOnly = name === '--and-mark' || name === '--or-mark' || name === '--xor-mark';
    const read = bitsOnly
      ? r.value(name, parseUint32, 'a 32-bit number')
      : r.value(name, parseMark, 'value[/mask] (32-bit numbers)');
    if (!read) continue;
    if (found) {
      r.conflict(read.option, found.option);
      continue;
    }
    const v = read.value;
    let mark: Masked;
    if (typeof v === 'number') {
      if (name === '--and-mark') mark = { value: 0, mask: ~v >>> 0 };
      else if (name === '--or-mark') mark = { value: v, mask: v };
      else mark = { value: v, mask: 0 };
    } else if (name === '--set-mark') mark = { value: v.value, mask: (v.mask | v.value) >>> 0 };
    else mark = v;
    found = { mark, option: name };
  }
  return found;
}

export function printXmark(mark: Masked): PrintedOption {
  return opt('--set-xmark', `${formatHex(mark.value)}/${formatHex(mark.mask)}`);
}
