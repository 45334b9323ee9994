/** `-m recent` (revision 1), libxt_recent.c: a list of recently seen addresses. */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { parseAddress } from '../../values/address.js';
import { formatAddressNtop } from '../../values/inet-ntop.js';
import { parseDecimal } from '../../values/range.js';
import type { RecentMatch } from './types.js';

const MODES = ['set', 'rcheck', 'update', 'remove'] as const;

const options = [
  ...MODES.map((m) => flagDef([`--${m}`], true)),
  valueDef(['--seconds']),
  flagDef(['--reap']),
  valueDef(['--hitcount']),
  flagDef(['--rttl']),
  valueDef(['--name']),
  flagDef(['--rsource']),
  flagDef(['--rdest']),
  valueDef(['--mask']),
];

export const recentModule: MatchModule<'recent'> = {
  kind: 'recent',
  name: 'recent',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module recent', options);
    let mode: RecentMatch['mode'] = null;
    let negated = false;
    for (const m of MODES) {
      const option = r.take(`--${m}`);
      if (!option) continue;
      if (mode) r.conflict(option, `--${mode}`);
      else {
        mode = m;
        negated = option.negated;
      }
    }
    if (!mode) ctx.report('iptables/missing-option', base.at, 'Module recent', '--set, --rcheck, --update or --remove');
    const seconds = r.value('--seconds', (t) => parseDecimal(t), 'a number of seconds');
    const hitcount = r.value('--hitcount', (t) => parseDecimal(t), 'a hit count');
    const name = r.value('--name', (t) => (t.length > 0 && t.length < 200 ? t : null), 'a list name');
    const full = ctx.family === 'ipv4' ? 0xffffffffn : (1n << 128n) - 1n;
    const mask = r.value('--mask', (t) => parseAddress(t, ctx.family)?.first ?? null, `an ${ctx.family} netmask`);
    const source = r.take('--rsource');
    const dest = r.take('--rdest');
    if (source && dest) r.conflict(dest, '--rsource');
    const reap = r.take('--reap') !== undefined;
    if (reap && !seconds) ctx.report('iptables/missing-option', base.at, 'Module recent --reap', '--seconds');
    return {
      kind: 'recent',
      ...base,
      mode,
      negated,
      name: name?.value ?? 'DEFAULT',
      seconds: seconds?.value ?? 0,
      reap,
      hitcount: hitcount?.value ?? 0,
      rttl: r.take('--rttl') !== undefined,
      side: dest && !source ? 'dest' : 'source',
      mask: mask?.value ?? full,
      unread: r.finish(),
    };
  },
  // recent_save: mode, --seconds, --reap, --hitcount, --rttl, --name, --mask, --rsource|--rdest.
  print: (m, ctx) => {
    const out: PrintedOption[] = [];
    if (m.mode) out.push(negOpt(m.negated, `--${m.mode}`));
    if (m.seconds) out.push(opt('--seconds', m.seconds));
    if (m.reap) out.push(opt('--reap'));
    if (m.hitcount) out.push(opt('--hitcount', m.hitcount));
    if (m.rttl) out.push(opt('--rttl'));
    out.push(opt('--name', m.name));
    out.push(opt('--mask', recentMaskText(ctx.family, m.mask)));
    out.push(opt(m.side === 'source' ? '--rsource' : '--rdest'));
    return out;
  },
};

/** recent_save prints the mask with xtables_ip(6)addr_to_numeric: inet_ntop text. */
function recentMaskText(family: 'ipv4' | 'ipv6', mask: bigint): string {
  return formatAddressNtop(family, mask);
}
