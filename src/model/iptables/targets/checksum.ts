/** `-j CHECKSUM --checksum-fill` (mangle), libxt_CHECKSUM.c: fill in a missing checksum. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { flagDef, OptionReader } from '../matches/read.js';
import { checkTable } from '../matches/check.js';

const options = [flagDef(['--checksum-fill'])];

export const checksumTarget: TargetModule<'CHECKSUM'> = {
  kind: 'CHECKSUM',
  name: 'CHECKSUM',
  options,
  tables: ['mangle'],
  build(base, ctx) {
    checkTable('Target CHECKSUM', ['mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target CHECKSUM', options);
    const fill = r.take('--checksum-fill') !== undefined;
    if (!fill) ctx.report('iptables/missing-option', base.at, 'Target CHECKSUM', '--checksum-fill');
    return { kind: 'CHECKSUM', ...base, fill, unread: r.finish() };
  },
  // CHECKSUM_save: --checksum-fill.
  print: (t) => (t.fill ? [opt('--checksum-fill')] : []),
};
