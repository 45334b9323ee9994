/** `-m addrtype` (revision 1), libxt_addrtype.c: the routing type of the source/destination address. */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { parseNameList } from './ctstate.js';
import type { AddrType } from './types.js';

/** rtn_names in bit order (RTN_UNSPEC … RTN_XRESOLVE). */
const TYPES: readonly AddrType[] = [
  'UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE',
];

const options = [
  valueDef(['--src-type'], true),
  valueDef(['--dst-type'], true),
  flagDef(['--limit-iface-in']),
  flagDef(['--limit-iface-out']),
];

export const addrtypeModule: MatchModule<'addrtype'> = {
  kind: 'addrtype',
  name: 'addrtype',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module addrtype', options);
    const expected = `comma-separated address types (${TYPES.join(', ')})`;
    const src = r.value('--src-type', (t) => parseNameList(t, TYPES), expected);
    const dst = r.value('--dst-type', (t) => parseNameList(t, TYPES), expected);
    const limitIn = r.take('--limit-iface-in');
    let limitOut = r.take('--limit-iface-out');
    if (limitIn && limitOut) {
      r.conflict(limitOut, '--limit-iface-in');
      limitOut = undefined;
    }
    return {
      kind: 'addrtype',
      ...base,
      ...(src && { srcType: { types: src.value, negated: src.negated } }),
      ...(dst && { dstType: { types: dst.value, negated: dst.negated } }),
      limitIfaceIn: limitIn !== undefined,
      limitIfaceOut: limitOut !== undefined,
      unread: r.finish(),
    };
  },
  // addrtype_save_v1: --src-type, --dst-type, --limit-iface-in, --limit-iface-out.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.srcType) out.push(negOpt(m.srcType.negated, '--src-type', m.srcType.types.join(',')));
    if (m.dstType) out.push(negOpt(m.dstType.negated, '--dst-type', m.dstType.types.join(',')));
    if (m.limitIfaceIn) out.push(opt('--limit-iface-in'));
    if (m.limitIfaceOut) out.push(opt('--limit-iface-out'));
    return out;
  },
};
