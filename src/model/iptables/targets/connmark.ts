/** `-j CONNMARK` (revision 1), libxt_CONNMARK.c: set, save or restore the connection mark. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';
import { formatHex, parseUint32 } from '../../values/mark.js';
import { printXmark, readXmark, xmarkDefs } from './xmark.js';
import type { ConnmarkTarget } from './types.js';

const options = [...xmarkDefs, flagDef(['--save-mark']), flagDef(['--restore-mark']), valueDef(['--nfmask']), valueDef(['--ctmask']), valueDef(['--mask'])];

export const connmarkTarget: TargetModule<'CONNMARK'> = {
  kind: 'CONNMARK',
  name: 'CONNMARK',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target CONNMARK', options);
    const set = readXmark(r);
    let save = r.take('--save-mark');
    let restore = r.take('--restore-mark');
    if (set && save) {
      r.conflict(save, set.option);
      save = undefined;
    }
    if ((set || save) && restore) {
      r.conflict(restore, set ? set.option : '--save-mark');
      restore = undefined;
    }
    const expected = 'a 32-bit number';
    const nfmask = r.value('--nfmask', parseUint32, expected);
    const ctmask = r.value('--ctmask', parseUint32, expected);
    const mask = r.value('--mask', parseUint32, expected);
    let fields: Record<string, unknown> = { mode: null };
    if (set) fields = { mode: 'set', ...set.mark };
    else if (save || restore) {
      // --mask M is --nfmask M --ctmask M.
      fields = { mode: save ? 'save' : 'restore', nfmask: nfmask?.value ?? mask?.value ?? 0xffffffff, ctmask: ctmask?.value ?? mask?.value ?? 0xffffffff };
    } else ctx.report('iptables/missing-option', base.at, 'Target CONNMARK', '--set-xmark, --save-mark or --restore-mark');
    return { kind: 'CONNMARK', ...base, ...fields, unread: r.finish() } as ConnmarkTarget;
  },
  // connmark_tg_save: --set-xmark V/M | --save-mark --nfmask N --ctmask C | --restore-mark --nfmask N --ctmask C.
  print: (t) => {
    if (t.mode === 'set') return [printXmark(t)];
    if (t.mode === 'save' || t.mode === 'restore') return [opt(`--${t.mode}-mark`), opt('--nfmask', formatHex(t.nfmask)), opt('--ctmask', formatHex(t.ctmask))];
    return [];
  },
};
