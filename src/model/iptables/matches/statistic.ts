/**
 * `-m statistic`, libxt_statistic.c. A probability is kept as the kernel's 31-bit threshold
 * (lround(p × 2^31)), so `0.5` and `0.50000000000` are the same value and iptables-save's
 * `%.11f` print reads back exactly.
 */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { parseDecimal } from '../../values/range.js';
import type { StatisticMatch } from './types.js';

const options = [valueDef(['--mode']), valueDef(['--probability'], true), valueDef(['--every'], true), valueDef(['--packet'])];

const SCALE = 0x80000000;

/** strtod() of a probability in [0, 1]. */
function parseProbability(text: string): number | null {
  if (!/^\s*[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return null;
  const p = Number(text);
  return p >= 0 && p <= 1 ? p : null;
}

export const statisticModule: MatchModule<'statistic'> = {
  kind: 'statistic',
  name: 'statistic',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module statistic', options);
    const modeGiven = r.has('--mode');
    const mode = r.value('--mode', (t) => (t === 'random' || t === 'nth' ? t : null), 'random or nth');
    const probability = r.value('--probability', parseProbability, 'a probability between 0 and 1');
    const every = r.value('--every', (t) => parseDecimal(t, 0xffffffff), 'a packet count');
    const packet = r.value('--packet', (t) => parseDecimal(t, 0xffffffff), 'a packet number');
    if (!modeGiven) ctx.report('iptables/missing-option', base.at, 'Module statistic', '--mode random|nth');
    let fields: Pick<StatisticMatch, 'mode' | 'negated'> & Record<string, unknown> = { mode: null, negated: false };
    if (mode?.value === 'random') {
      if (!r.has('--probability')) ctx.report('iptables/missing-option', base.at, 'Module statistic --mode random', '--probability');
      const threshold = Math.round(SCALE * (probability?.value ?? 0));
      fields = { mode: 'random', threshold, probability: threshold / SCALE, negated: probability?.negated ?? false };
      if (every) r.conflict(every.option, '--mode random');
      if (packet) r.conflict(packet.option, '--mode random');
    } else if (mode?.value === 'nth') {
      if (!r.has('--every')) ctx.report('iptables/missing-option', base.at, 'Module statistic --mode nth', '--every');
      if (every && !packet) ctx.report('iptables/missing-option', base.at, 'Module statistic --every', '--packet');
      if (every && every.value === 0) r.bad(every.option, 'a packet count of at least 1');
      fields = { mode: 'nth', every: every?.value || 1, packet: packet?.value ?? 0, negated: every?.negated ?? false };
      if (probability) r.conflict(probability.option, '--mode nth');
    }
    return { kind: 'statistic', ...base, ...fields, unread: r.finish() } as StatisticMatch;
  },
  // statistic_save: --mode random [!] --probability %.11f | --mode nth [!] --every N --packet P.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.mode === 'random') out.push(opt('--mode', 'random'), negOpt(m.negated, '--probability', m.probability.toFixed(11)));
    else if (m.mode === 'nth') out.push(opt('--mode', 'nth'), negOpt(m.negated, '--every', m.every), opt('--packet', m.packet));
    return out;
  },
};
