/** `-m icmp` (IPv4, libipt_icmp.c) and `-m icmp6` (IPv6, libip6t_icmp6.c): the ICMP type and code. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { checkFamily } from './check.js';
import { ICMP_NAMES, parseIcmpType, type IcmpName } from '../../values/icmp.js';
import type { Family } from '../../values/address.js';
import type { IcmpType } from './types.js';

export function icmpLikeModule<K extends 'icmp' | 'icmp6'>(kind: K, option: string, names: readonly IcmpName[], family: Family, aliases: readonly string[]): MatchModule<K> {
  const options = [valueDef([option], true)];
  return {
    kind,
    name: kind,
    aliases,
    options,
    implicitFor: family === 'ipv4' ? ['icmp'] : ['ipv6-icmp', 'icmpv6'],
    families: [family],
    build(base, ctx) {
      checkFamily(`Module ${kind}`, [family], ctx, base.at);
      const r = new OptionReader(base.options, ctx, `module ${kind}`, options);
      const read = r.value(option, (t) => parseIcmpType(t, names), `an ICMP${family === 'ipv6' ? 'v6' : ''} type name, number or type/code`);
      if (!r.has(option) && !base.implicit) ctx.report('iptables/missing-option', base.at, `Module ${kind}`, option);
      const icmpType: IcmpType & { negated: boolean } | undefined = read && { ...read.value, negated: read.negated };
      const k: 'icmp' | 'icmp6' = kind;
      return { kind: k, ...base, ...(icmpType && { icmpType }), unread: r.finish() };
    },
    // icmp_save / icmp6_save: "any" for type 255 (IPv4), else TYPE[/CODE] when the codes are not all.
    print: (m) => {
      const t = m.icmpType;
      if (!t) return [];
      const allCodes = t.codeMin === 0 && t.codeMax === 0xff;
      const text = family === 'ipv4' && t.type === 0xff ? 'any' : allCodes ? String(t.type) : `${t.type}/${t.codeMin}`;
      return [negOpt(t.negated, option, text)];
    },
  };
}

export const icmpMatchModule = icmpLikeModule('icmp', '--icmp-type', ICMP_NAMES, 'ipv4', []);
