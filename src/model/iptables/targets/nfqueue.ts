/** `-j NFQUEUE` (revision 3), libxt_NFQUEUE.c: hand the packet to a userspace queue. */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';
import { parseUnsigned, type NumberRange } from '../../values/range.js';

const options = [valueDef(['--queue-num']), valueDef(['--queue-balance']), flagDef(['--queue-bypass']), flagDef(['--queue-cpu-fanout'])];

/** `first:last` with first < last (NFQUEUE_tg_parse_v1: "should be less than"). */
function parseBalance(text: string): NumberRange | null {
  const m = /^(.+):(.+)$/.exec(text);
  if (!m) return null;
  const from = parseUnsigned(m[1]!, 0xffff);
  const to = parseUnsigned(m[2]!, 0xffff);
  return from !== null && to !== null && from < to ? { from, to } : null;
}

export const nfqueueTarget: TargetModule<'NFQUEUE'> = {
  kind: 'NFQUEUE',
  name: 'NFQUEUE',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target NFQUEUE', options);
    const num = r.value('--queue-num', (t) => parseUnsigned(t, 0xffff), 'a queue number (0-65535)');
    let balance = r.value('--queue-balance', parseBalance, 'first:last queue numbers, first < last');
    if (num && balance) {
      r.conflict(balance.option, '--queue-num');
      balance = undefined;
    }
    const bypass = r.take('--queue-bypass') !== undefined;
    const fanout = r.take('--queue-cpu-fanout');
    if (fanout && !balance) ctx.report('iptables/missing-option', fanout, '--queue-cpu-fanout', '--queue-balance');
    const queue = num?.value ?? 0;
    return { kind: 'NFQUEUE', ...base, queues: balance?.value ?? { from: queue, to: queue }, bypass, cpuFanout: fanout !== undefined, unread: r.finish() };
  },
  // NFQUEUE_save_v3: --queue-balance A:B or --queue-num N, --queue-bypass, --queue-cpu-fanout.
  print: (t) => {
    const out: PrintedOption[] = [
      t.queues.from === t.queues.to ? opt('--queue-num', t.queues.from) : opt('--queue-balance', `${t.queues.from}:${t.queues.to}`),
    ];
    if (t.bypass) out.push(opt('--queue-bypass'));
    if (t.cpuFanout) out.push(opt('--queue-cpu-fanout'));
    return out;
  },
};
