/** `-j CONNSECMARK --save|--restore` (security or mangle table), libxt_CONNSECMARK.c. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { flagDef, OptionReader } from '../matches/read.js';
import { checkTable } from '../matches/check.js';

const options = [flagDef(['--save']), flagDef(['--restore'])];

export const connsecmarkTarget: TargetModule<'CONNSECMARK'> = {
  kind: 'CONNSECMARK',
  name: 'CONNSECMARK',
  options,
  tables: ['security', 'mangle'],
  build(base, ctx) {
    checkTable('Target CONNSECMARK', ['security', 'mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target CONNSECMARK', options);
    const save = r.take('--save');
    let restore = r.take('--restore');
    if (save && restore) {
      r.conflict(restore, '--save');
      restore = undefined;
    }
    if (!save && !restore) ctx.report('iptables/missing-option', base.at, 'Target CONNSECMARK', '--save or --restore');
    return { kind: 'CONNSECMARK', ...base, mode: save ? 'save' : restore ? 'restore' : null, unread: r.finish() };
  },
  // CONNSECMARK_save: --save | --restore.
  print: (t) => (t.mode ? [opt(`--${t.mode}`)] : []),
};
