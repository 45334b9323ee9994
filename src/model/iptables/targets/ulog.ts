/** `-j ULOG`, libipt_ULOG.c (IPv4; the kernel module is gone since Linux 3.17): netlink multicast logging. */
import type { TargetModule } from './module.js';
import { opt, saveString, type PrintedOption } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { checkFamily } from '../matches/check.js';
import { parseDecimal } from '../../values/range.js';

const options = [valueDef(['--ulog-nlgroup']), valueDef(['--ulog-prefix']), valueDef(['--ulog-cprange']), valueDef(['--ulog-qthreshold'])];

export const ulogTarget: TargetModule<'ULOG'> = {
  kind: 'ULOG',
  name: 'ULOG',
  options,
  families: ['ipv4'],
  build(base, ctx) {
    checkFamily('Target ULOG', ['ipv4'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target ULOG', options);
    const group = r.value('--ulog-nlgroup', (t) => { const n = parseDecimal(t, 32); return n && n >= 1 ? n : null; }, 'a netlink group (1-32)');
    const prefix = r.value('--ulog-prefix', (t) => (t.length <= 31 ? t : null), 'a prefix of at most 31 characters');
    const cprange = r.value('--ulog-cprange', (t) => parseDecimal(t), 'a byte count');
    const qthreshold = r.value('--ulog-qthreshold', (t) => { const n = parseDecimal(t, 50); return n && n >= 1 ? n : null; }, 'a packet count (1-50)');
    return {
      kind: 'ULOG',
      ...base,
      nlgroup: group?.value ?? 1,
      prefix: prefix?.value ?? '',
      cprange: cprange?.value ?? 0,
      qthreshold: qthreshold?.value ?? 1,
      unread: r.finish(),
    };
  },
  // ULOG_save: --ulog-prefix, --ulog-nlgroup (≠1), --ulog-cprange (≠0), --ulog-qthreshold (≠1).
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.prefix) out.push(opt('--ulog-prefix', saveString(t.prefix)));
    if (t.nlgroup !== 1) out.push(opt('--ulog-nlgroup', t.nlgroup));
    if (t.cprange) out.push(opt('--ulog-cprange', t.cprange));
    if (t.qthreshold !== 1) out.push(opt('--ulog-qthreshold', t.qthreshold));
    return out;
  },
};
