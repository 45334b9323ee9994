/** `-m frag`, libip6t_frag.c: the IPv6 fragment header. */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { checkFamily } from './check.js';
import { formatNumberRange, parseNumberRange, parseUnsigned } from '../../values/range.js';

const options = [
  valueDef(['--fragid'], true),
  valueDef(['--fraglen'], true),
  flagDef(['--fragres']),
  flagDef(['--fragfirst']),
  flagDef(['--fragmore']),
  flagDef(['--fraglast']),
];

export const fragModule: MatchModule<'frag'> = {
  kind: 'frag',
  name: 'frag',
  options,
  families: ['ipv6'],
  build(base, ctx) {
    checkFamily('Module frag', ['ipv6'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'module frag', options);
    const id = r.value('--fragid', (t) => parseNumberRange(t, 0xffffffff), 'an id or first:last range');
    const len = r.value('--fraglen', (t) => parseUnsigned(t), 'a length');
    const full = id && id.value.from === 0 && id.value.to === 0xffffffff && !id.negated;
    const more = r.take('--fragmore');
    const last = r.take('--fraglast');
    if (more && last) r.conflict(last, '--fragmore');
    return {
      kind: 'frag',
      ...base,
      ...(id && !full && { id: { range: id.value, negated: id.negated } }),
      ...(len && { len: { value: len.value, negated: len.negated } }),
      res: r.take('--fragres') !== undefined,
      first: r.take('--fragfirst') !== undefined,
      more: more !== undefined,
      last: last !== undefined && !more,
      unread: r.finish(),
    };
  },
  // frag_save: --fragid, --fraglen, --fragres, --fragfirst, --fragmore, --fraglast.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.id) out.push(negOpt(m.id.negated, '--fragid', formatNumberRange(m.id.range)));
    if (m.len) out.push(negOpt(m.len.negated, '--fraglen', m.len.value));
    if (m.res) out.push(opt('--fragres'));
    if (m.first) out.push(opt('--fragfirst'));
    if (m.more) out.push(opt('--fragmore'));
    if (m.last) out.push(opt('--fraglast'));
    return out;
  },
};
