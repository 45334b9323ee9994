/** `-m realm`, libipt_realm.c: the routing realm, value[/mask] (IPv4 only). */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { checkFamily } from './check.js';
import { formatMark, parseMark } from '../../values/mark.js';

const options = [valueDef(['--realm'], true)];

export const realmModule: MatchModule<'realm'> = {
  kind: 'realm',
  name: 'realm',
  options,
  families: ['ipv4'],
  build(base, ctx) {
    checkFamily('Module realm', ['ipv4'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'module realm', options);
    const option = r.take('--realm');
    if (!r.has('--realm')) ctx.report('iptables/missing-option', base.at, 'Module realm', '--realm');
    const text = option ? r.text(option) : '';
    const mark = option ? parseMark(text) : null;
    // A name comes from /etc/iproute2/rt_realms of the node, which a dump does not carry.
    const name = option && !mark && /^[A-Za-z_][\w.-]*$/.test(text) ? text : undefined;
    if (option && !mark && !name) r.bad(option, 'a realm number[/mask] or name');
    return {
      kind: 'realm',
      ...base,
      value: mark?.value ?? 0,
      mask: mark?.mask ?? 0xffffffff,
      negated: option?.negated ?? false,
      ...(name !== undefined && { name }),
      unread: r.finish(),
    };
  },
  // realm_save: [!] --realm 0xV[/0xM].
  print: (m) => [negOpt(m.negated, '--realm', m.name ?? formatMark(m))],
};
