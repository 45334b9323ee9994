/** `-m physdev`, libxt_physdev.c: the bridge ports a bridged packet came in on / goes out of. */
import type { MatchModule } from './module.js';
import { negOpt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';

const options = [
  valueDef(['--physdev-in'], true),
  valueDef(['--physdev-out'], true),
  flagDef(['--physdev-is-in'], true),
  flagDef(['--physdev-is-out'], true),
  flagDef(['--physdev-is-bridged'], true),
];

/** IFNAMSIZ - 1 characters; a trailing `+` is a prefix wildcard. */
function parseIface(text: string): { name: string; wildcard: boolean } | null {
  if (text.length === 0 || text.length > 15 || /[\s/]/.test(text)) return null;
  return text.endsWith('+') ? { name: text.slice(0, -1), wildcard: true } : { name: text, wildcard: false };
}

export const physdevModule: MatchModule<'physdev'> = {
  kind: 'physdev',
  name: 'physdev',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module physdev', options);
    const inRead = r.value('--physdev-in', parseIface, 'an interface name (at most 15 characters, + for a prefix)');
    const outRead = r.value('--physdev-out', parseIface, 'an interface name (at most 15 characters, + for a prefix)');
    const isIn = r.flag('--physdev-is-in');
    const isOut = r.flag('--physdev-is-out');
    const isBridged = r.flag('--physdev-is-bridged');
    if (base.options.length === 0) ctx.report('iptables/missing-option', base.at, 'Module physdev', 'a --physdev-* option');
    return {
      kind: 'physdev',
      ...base,
      ...(isIn && { isIn }),
      ...(inRead && { in: { ...inRead.value, negated: inRead.negated } }),
      ...(isOut && { isOut }),
      ...(outRead && { out: { ...outRead.value, negated: outRead.negated } }),
      ...(isBridged && { isBridged }),
      unread: r.finish(),
    };
  },
  // physdev_save: --physdev-is-in, --physdev-in, --physdev-is-out, --physdev-out, --physdev-is-bridged.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.isIn) out.push(negOpt(m.isIn.negated, '--physdev-is-in'));
    if (m.in) out.push(negOpt(m.in.negated, '--physdev-in', m.in.name + (m.in.wildcard ? '+' : '')));
    if (m.isOut) out.push(negOpt(m.isOut.negated, '--physdev-is-out'));
    if (m.out) out.push(negOpt(m.out.negated, '--physdev-out', m.out.name + (m.out.wildcard ? '+' : '')));
    if (m.isBridged) out.push(negOpt(m.isBridged.negated, '--physdev-is-bridged'));
    return out;
  },
};
