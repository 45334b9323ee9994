/**
 * `-m limit`, libxt_limit.c: a token bucket. The rate is kept as the kernel's period (1/10000 s
 * per packet), so `60/min` and `1/sec` are the same value, as iptables-save shows.
 */
import type { MatchModule } from './module.js';
import { opt, type PrintedOption } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { formatRatePeriod, LIMIT_SCALE, parseRatePeriod, periodToPerSecond } from '../../values/rate.js';
import { parseDecimal } from '../../values/range.js';

const options = [valueDef(['--limit']), valueDef(['--limit-burst'])];

/** XT_LIMIT_AVG default 3/hour, XT_LIMIT_BURST 5 (limit_init). */
const DEFAULT_PERIOD = (LIMIT_SCALE * 3600n) / 3n;
const DEFAULT_BURST = 5;

export const limitModule: MatchModule<'limit'> = {
  kind: 'limit',
  name: 'limit',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module limit', options);
    const rate = r.value('--limit', (t) => parseRatePeriod(t, LIMIT_SCALE, 'sec'), 'a rate N[/second|/minute|/hour|/day]');
    const burst = r.value('--limit-burst', (t) => parseDecimal(t, 10000), 'a burst between 0 and 10000');
    const period = rate?.value.period ?? DEFAULT_PERIOD;
    return {
      kind: 'limit',
      ...base,
      period,
      perSecond: periodToPerSecond(period, LIMIT_SCALE),
      burst: burst?.value ?? DEFAULT_BURST,
      unread: r.finish(),
    };
  },
  // limit_save: --limit always, --limit-burst unless 5.
  print: (m) => {
    const out: PrintedOption[] = [opt('--limit', formatRatePeriod(m.period, LIMIT_SCALE))];
    if (m.burst !== DEFAULT_BURST) out.push(opt('--limit-burst', m.burst));
    return out;
  },
};
