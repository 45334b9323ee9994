/** `-m connlimit` (revision 1), libxt_connlimit.c: the number of connections per address group. */
import type { MatchModule } from './module.js';
import { opt } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { parseDecimal } from '../../values/range.js';

const options = [
  valueDef(['--connlimit-upto'], true),
  valueDef(['--connlimit-above'], true),
  valueDef(['--connlimit-mask']),
  flagDef(['--connlimit-saddr']),
  flagDef(['--connlimit-daddr']),
];

export const connlimitModule: MatchModule<'connlimit'> = {
  kind: 'connlimit',
  name: 'connlimit',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module connlimit', options);
    const full = ctx.family === 'ipv4' ? 32 : 128;
    const upto = r.value('--connlimit-upto', (t) => parseDecimal(t), 'a connection count');
    let above = r.value('--connlimit-above', (t) => parseDecimal(t), 'a connection count');
    if (upto && above) {
      r.conflict(above.option, '--connlimit-upto');
      above = undefined;
    }
    if (!r.has('--connlimit-upto') && !r.has('--connlimit-above')) ctx.report('iptables/missing-option', base.at, 'Module connlimit', '--connlimit-upto or --connlimit-above');
    const mask = r.value('--connlimit-mask', (t) => parseDecimal(t, full), `a prefix length (0-${full})`);
    const saddr = r.take('--connlimit-saddr');
    const daddr = r.take('--connlimit-daddr');
    if (saddr && daddr) r.conflict(daddr, '--connlimit-saddr');
    return {
      kind: 'connlimit',
      ...base,
      // XT_CONNLIMIT_INVERT is "up to": set by --connlimit-upto, or by a negated --connlimit-above.
      above: upto ? upto.negated : above ? !above.negated : true,
      count: (upto ?? above)?.value ?? 0,
      mask: mask?.value ?? full,
      side: daddr && !saddr ? 'daddr' : 'saddr',
      unread: r.finish(),
    };
  },
  // connlimit_save: --connlimit-upto|--connlimit-above N --connlimit-mask M --connlimit-saddr|--connlimit-daddr.
  print: (m) => [
    opt(m.above ? '--connlimit-above' : '--connlimit-upto', m.count),
    opt('--connlimit-mask', m.mask),
    opt(m.side === 'daddr' ? '--connlimit-daddr' : '--connlimit-saddr'),
  ],
};
