/** `-j DSCP` (mangle), libxt_DSCP.c: rewrite the DSCP field; a class is stored as its code point. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { formatHexPadded, parseUnsigned } from '../../values/range.js';
import { parseDscpClass } from '../../values/tos.js';

const options = [valueDef(['--set-dscp']), valueDef(['--set-dscp-class'])];

export const dscpTarget: TargetModule<'DSCP'> = {
  kind: 'DSCP',
  name: 'DSCP',
  options,
  tables: ['mangle'],
  build(base, ctx) {
    checkTable('Target DSCP', ['mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target DSCP', options);
    let read = r.value('--set-dscp', (t) => parseUnsigned(t, 63), 'a DSCP value between 0 and 63');
    const cls = r.value('--set-dscp-class', parseDscpClass, 'a DiffServ class (BE, EF, AFxx, CSx)');
    if (read && cls) r.conflict(cls.option, '--set-dscp');
    else if (cls) read = cls;
    if (!r.has('--set-dscp') && !r.has('--set-dscp-class')) ctx.report('iptables/missing-option', base.at, 'Target DSCP', '--set-dscp or --set-dscp-class');
    return { kind: 'DSCP', ...base, dscp: read?.value ?? null, unread: r.finish() };
  },
  // DSCP_save: --set-dscp 0xNN.
  print: (t) => (t.dscp === null ? [] : [opt('--set-dscp', formatHexPadded(t.dscp, 2))]),
};
