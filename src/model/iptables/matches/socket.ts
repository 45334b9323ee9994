/** `-m socket` (revision 3), libxt_socket.c: a local socket exists for the packet. */
import type { MatchModule } from './module.js';
import { opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader } from './read.js';

const options = [flagDef(['--transparent']), flagDef(['--nowildcard']), flagDef(['--restore-skmark'])];

export const socketModule: MatchModule<'socket'> = {
  kind: 'socket',
  name: 'socket',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module socket', options);
    return {
      kind: 'socket',
      ...base,
      transparent: r.take('--transparent') !== undefined,
      nowildcard: r.take('--nowildcard') !== undefined,
      restoreSkmark: r.take('--restore-skmark') !== undefined,
      unread: r.finish(),
    };
  },
  // socket_mt_save_v3: --transparent, --nowildcard, --restore-skmark.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.transparent) out.push(opt('--transparent'));
    if (m.nowildcard) out.push(opt('--nowildcard'));
    if (m.restoreSkmark) out.push(opt('--restore-skmark'));
    return out;
  },
};
