/** `-m length`, libxt_length.c: the layer-3 payload length, a 16-bit value or range. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { formatNumberRange, parseNumberRange } from '../../values/range.js';

const options = [valueDef(['--length'], true)];

export const lengthModule: MatchModule<'length'> = {
  kind: 'length',
  name: 'length',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module length', options);
    if (!r.has('--length')) ctx.report('iptables/missing-option', base.at, 'Module length', '--length');
    const read = r.value('--length', (t) => parseNumberRange(t, 0xffff), 'a length or first:last range (0-65535)');
    return { kind: 'length', ...base, range: read?.value ?? null, negated: read?.negated ?? false, unread: r.finish() };
  },
  // length_save: [!] --length MIN[:MAX].
  print: (m) => (m.range ? [negOpt(m.negated, '--length', formatNumberRange(m.range))] : []),
};
