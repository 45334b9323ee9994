/** `-j NOTRACK` (raw table): libxt_NOTRACK.c, an alias of `CT --notrack` that iptables-save prints as NOTRACK. */
import type { TargetModule } from './module.js';
import { OptionReader } from '../matches/read.js';
import { checkTable } from '../matches/check.js';

export const notrackTarget: TargetModule<'NOTRACK'> = {
  kind: 'NOTRACK',
  name: 'NOTRACK',
  options: [],
  tables: ['raw'],
  build(base, ctx) {
    checkTable('Target NOTRACK', ['raw'], ctx, base.at);
    return { kind: 'NOTRACK', ...base, unread: new OptionReader(base.options, ctx, 'target NOTRACK', []).finish() };
  },
  print: () => [],
};
