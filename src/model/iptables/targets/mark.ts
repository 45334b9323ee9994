/** `-j MARK` (revision 2), libxt_MARK.c: set the packet mark; every spelling is stored as --set-xmark. */
import type { TargetModule } from './module.js';
import { OptionReader } from '../matches/read.js';
import { printXmark, readXmark, xmarkDefs } from './xmark.js';

export const markTarget: TargetModule<'MARK'> = {
  kind: 'MARK',
  name: 'MARK',
  options: xmarkDefs,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target MARK', xmarkDefs);
    const read = readXmark(r);
    if (!read && base.options.length === 0) ctx.report('iptables/missing-option', base.at, 'Target MARK', '--set-xmark, --set-mark, --and-mark, --or-mark or --xor-mark');
    return { kind: 'MARK', ...base, value: read?.mark.value ?? 0, mask: read?.mark.mask ?? 0, unread: r.finish() };
  },
  // mark_tg_save: --set-xmark 0xV/0xM.
  print: (t) => [printXmark(t)],
};
