/** `-m rpfilter`, libxt_rpfilter.c: reverse-path check; the kernel allows it in raw and mangle PREROUTING only. */
import type { MatchModule } from './module.js';
import { opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader } from './read.js';
import { checkTable } from './check.js';

const options = [flagDef(['--loose']), flagDef(['--validmark']), flagDef(['--accept-local']), flagDef(['--invert'])];

export const rpfilterModule: MatchModule<'rpfilter'> = {
  kind: 'rpfilter',
  name: 'rpfilter',
  options,
  build(base, ctx) {
    // net/ipv4/netfilter/ipt_rpfilter.c: .table = "raw" / "mangle", .hooks = PREROUTING.
    checkTable('Module rpfilter', ['raw', 'mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'module rpfilter', options);
    return {
      kind: 'rpfilter',
      ...base,
      loose: r.take('--loose') !== undefined,
      validmark: r.take('--validmark') !== undefined,
      acceptLocal: r.take('--accept-local') !== undefined,
      invert: r.take('--invert') !== undefined,
      unread: r.finish(),
    };
  },
  // rpfilter_save: --loose, --validmark, --accept-local, --invert.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.loose) out.push(opt('--loose'));
    if (m.validmark) out.push(opt('--validmark'));
    if (m.acceptLocal) out.push(opt('--accept-local'));
    if (m.invert) out.push(opt('--invert'));
    return out;
  },
};
