/** The SPI range option shared by `-m ah` and `-m esp` (libipt_ah.c, libxt_esp.c: print omitted when 0:0xffffffff). */
import { formatNumberRange, parseNumberRange, type NumberRange } from '../../values/range.js';
import { negOpt, type PrintedOption } from './module.js';
import type { OptionReader } from './read.js';
import type { Negatable } from './types.js';

export function readSpi(r: OptionReader, name: string): Negatable<{ readonly range: NumberRange }> | undefined {
  const read = r.value(name, (t) => parseNumberRange(t, 0xffffffff), 'an SPI or first:last range');
  if (!read) return undefined;
  if (read.value.from === 0 && read.value.to === 0xffffffff && !read.negated) return undefined;
  return { range: read.value, negated: read.negated };
}

export function printSpi(name: string, spi: Negatable<{ readonly range: NumberRange }> | undefined): PrintedOption[] {
  return spi ? [negOpt(spi.negated, name, formatNumberRange(spi.range))] : [];
}
