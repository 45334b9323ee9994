/** `-m ah`: libipt_ah.c (IPv4: SPI) and libip6t_ah.c (IPv6: SPI, length, reserved field). */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { printSpi, readSpi } from './spi.js';
import { checkFamily } from './check.js';
import { parseUnsigned } from '../../values/range.js';

const options = [valueDef(['--ahspi'], true), valueDef(['--ahlen'], true), flagDef(['--ahres'])];

export const ahModule: MatchModule<'ah'> = {
  kind: 'ah',
  name: 'ah',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module ah', options);
    const spi = readSpi(r, '--ahspi');
    const len = r.value('--ahlen', (t) => parseUnsigned(t), 'a header length');
    const res = r.take('--ahres');
    if (len) checkFamily('Option --ahlen', ['ipv6'], ctx, len.option);
    if (res) checkFamily('Option --ahres', ['ipv6'], ctx, res);
    return {
      kind: 'ah',
      ...base,
      ...(spi && { spi }),
      ...(len && { len: { value: len.value, negated: len.negated } }),
      res: res !== undefined,
      unread: r.finish(),
    };
  },
  // ah_save: --ahspi, then (IPv6) --ahlen, --ahres.
  print: (m) => {
    const out: PrintedOption[] = [...printSpi('--ahspi', m.spi)];
    if (m.len) out.push(negOpt(m.len.negated, '--ahlen', m.len.value));
    if (m.res) out.push(opt('--ahres'));
    return out;
  },
};
