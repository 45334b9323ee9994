/** `-j NFLOG`, libxt_NFLOG.c: log through nfnetlink_log; rule traversal continues. */
import type { TargetModule } from './module.js';
import { opt, saveString, type PrintedOption } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { parseDecimal } from '../../values/range.js';

const options = [valueDef(['--nflog-group']), valueDef(['--nflog-prefix']), valueDef(['--nflog-range']), valueDef(['--nflog-size']), valueDef(['--nflog-threshold'])];

/** XT_NFLOG_DEFAULT_THRESHOLD */
const DEFAULT_THRESHOLD = 1;

export const nflogTarget: TargetModule<'NFLOG'> = {
  kind: 'NFLOG',
  name: 'NFLOG',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target NFLOG', options);
    const group = r.value('--nflog-group', (t) => parseDecimal(t, 0xffff), 'a group number (0-65535)');
    const prefix = r.value('--nflog-prefix', (t) => (t.length >= 1 && t.length <= 63 ? t : null), 'a prefix of 1 to 63 characters');
    const range = r.value('--nflog-range', (t) => parseDecimal(t), 'a byte count');
    const size = r.value('--nflog-size', (t) => parseDecimal(t), 'a byte count');
    const threshold = r.value('--nflog-threshold', (t) => parseDecimal(t, 0xffff), 'a packet count (0-65535)');
    return {
      kind: 'NFLOG',
      ...base,
      group: group?.value ?? 0,
      prefix: prefix?.value ?? '',
      ...(range && { range: range.value }),
      ...(size && { size: size.value }),
      threshold: threshold?.value ?? DEFAULT_THRESHOLD,
      unread: r.finish(),
    };
  },
  // NFLOG_save: --nflog-prefix, --nflog-group (≠0), --nflog-size or --nflog-range, --nflog-threshold (≠1).
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.prefix) out.push(opt('--nflog-prefix', saveString(t.prefix)));
    if (t.group) out.push(opt('--nflog-group', t.group));
    if (t.size !== undefined) out.push(opt('--nflog-size', t.size));
    else if (t.range) out.push(opt('--nflog-range', t.range));
    if (t.threshold !== DEFAULT_THRESHOLD) out.push(opt('--nflog-threshold', t.threshold));
    return out;
  },
};
