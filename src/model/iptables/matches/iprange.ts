/** `-m iprange` (revision 1), libxt_iprange.c: addresses in an inclusive range. */
import type { MatchModule } from './module.js';
import { negOpt, type PrintedOption } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { parseAddressRange, type AddressRange } from '../../values/address.js';
import { formatAddressNtop } from '../../values/inet-ntop.js';

const options = [valueDef(['--src-range'], true), valueDef(['--dst-range'], true)];

function rangeText(range: AddressRange): string {
  return `${formatAddressNtop(range.family, range.first)}-${formatAddressNtop(range.family, range.last)}`;
}

export const iprangeModule: MatchModule<'iprange'> = {
  kind: 'iprange',
  name: 'iprange',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module iprange', options);
    const expected = `an ${ctx.family} address or first-last range`;
    const src = r.value('--src-range', (t) => parseAddressRange(t, ctx.family), expected);
    const dst = r.value('--dst-range', (t) => parseAddressRange(t, ctx.family), expected);
    return {
      kind: 'iprange',
      ...base,
      ...(src && { src: { range: src.value, negated: src.negated } }),
      ...(dst && { dst: { range: dst.value, negated: dst.negated } }),
      unread: r.finish(),
    };
  },
  // iprange_mt4_save: [!] --src-range A-B, [!] --dst-range A-B (both ends always).
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.src) out.push(negOpt(m.src.negated, '--src-range', rangeText(m.src.range)));
    if (m.dst) out.push(negOpt(m.dst.negated, '--dst-range', rangeText(m.dst.range)));
    return out;
  },
};
