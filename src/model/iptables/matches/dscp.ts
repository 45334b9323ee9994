/** `-m dscp`, libxt_dscp.c: the 6-bit DSCP field; a class name is stored as its code point. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { formatHexPadded, parseUnsigned } from '../../values/range.js';
import { parseDscpClass } from '../../values/tos.js';

const options = [valueDef(['--dscp'], true), valueDef(['--dscp-class'], true)];

export const dscpModule: MatchModule<'dscp'> = {
  kind: 'dscp',
  name: 'dscp',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module dscp', options);
    let read = r.value('--dscp', (t) => parseUnsigned(t, 63), 'a DSCP value between 0 and 63');
    const cls = r.value('--dscp-class', parseDscpClass, 'a DiffServ class (BE, EF, AFxx, CSx)');
    if (read && cls) r.conflict(cls.option, '--dscp');
    else if (cls) read = cls;
    if (!r.has('--dscp') && !r.has('--dscp-class')) ctx.report('iptables/missing-option', base.at, 'Module dscp', '--dscp or --dscp-class');
    return { kind: 'dscp', ...base, dscp: read?.value ?? null, negated: read?.negated ?? false, unread: r.finish() };
  },
  // dscp_save: [!] --dscp 0xNN.
  print: (m) => (m.dscp === null ? [] : [negOpt(m.negated, '--dscp', formatHexPadded(m.dscp, 2))]),
};
