/** `-m rt`, libip6t_rt.c: the IPv6 routing header (type, segments left, length, type-0 addresses). */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { checkFamily } from './check.js';
import { parseAddress, type Cidr } from '../../values/address.js';
import { formatAddressNtop } from '../../values/inet-ntop.js';
import { formatNumberRange, parseNumberRange, parseUnsigned } from '../../values/range.js';

const options = [
  valueDef(['--rt-type'], true),
  valueDef(['--rt-segsleft'], true),
  valueDef(['--rt-len'], true),
  flagDef(['--rt-0-res']),
  valueDef(['--rt-0-addrs']),
  flagDef(['--rt-0-not-strict']),
];

/** IP6T_RT_HOPS: at most 16 addresses. */
function parseAddrs(text: string): Cidr[] | null {
  const list = text.split(',').map((a) => parseAddress(a, 'ipv6'));
  return list.length <= 16 && list.every((a) => a !== null) ? (list as Cidr[]) : null;
}

export const rtModule: MatchModule<'rt'> = {
  kind: 'rt',
  name: 'rt',
  options,
  families: ['ipv6'],
  build(base, ctx) {
    checkFamily('Module rt', ['ipv6'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'module rt', options);
    const type = r.value('--rt-type', (t) => parseUnsigned(t), 'a routing header type');
    const segsleft = r.value('--rt-segsleft', (t) => parseNumberRange(t, 0xffffffff), 'a number or first:last range');
    const len = r.value('--rt-len', (t) => parseUnsigned(t), 'a header length');
    const addrs = r.value('--rt-0-addrs', parseAddrs, 'comma-separated IPv6 addresses (at most 16)');
    const full = segsleft && segsleft.value.from === 0 && segsleft.value.to === 0xffffffff && !segsleft.negated;
    return {
      kind: 'rt',
      ...base,
      ...(type && { rtType: { value: type.value, negated: type.negated } }),
      ...(segsleft && !full && { segsleft: { range: segsleft.value, negated: segsleft.negated } }),
      ...(len && { len: { value: len.value, negated: len.negated } }),
      res: r.take('--rt-0-res') !== undefined,
      addrs: addrs?.value ?? [],
      notStrict: r.take('--rt-0-not-strict') !== undefined,
      unread: r.finish(),
    };
  },
  // rt_save: --rt-type, --rt-segsleft, --rt-len, --rt-0-res, --rt-0-addrs, --rt-0-not-strict.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.rtType) out.push(negOpt(m.rtType.negated, '--rt-type', m.rtType.value));
    if (m.segsleft) out.push(negOpt(m.segsleft.negated, '--rt-segsleft', formatNumberRange(m.segsleft.range)));
    if (m.len) out.push(negOpt(m.len.negated, '--rt-len', m.len.value));
    if (m.res) out.push(opt('--rt-0-res'));
    if (m.addrs.length) out.push(opt('--rt-0-addrs', m.addrs.map((a) => formatAddressNtop('ipv6', a.first)).join(',')));
    if (m.notStrict) out.push(opt('--rt-0-not-strict'));
    return out;
  },
};
