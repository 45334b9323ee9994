/** `-m esp`, libxt_esp.c: the ESP SPI. */
import type { MatchModule } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { printSpi, readSpi } from './spi.js';

const options = [valueDef(['--espspi'], true)];

export const espModule: MatchModule<'esp'> = {
  kind: 'esp',
  name: 'esp',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module esp', options);
    const spi = readSpi(r, '--espspi');
    return { kind: 'esp', ...base, ...(spi && { spi }), unread: r.finish() };
  },
  // esp_save: [!] --espspi N[:M].
  print: (m) => printSpi('--espspi', m.spi),
};
