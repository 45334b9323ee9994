/** `-j TRACE` (raw table), libxt_TRACE.c: log the packet's way through the rules. */
import type { TargetModule } from './module.js';
import { OptionReader } from '../matches/read.js';
import { checkTable } from '../matches/check.js';

export const traceTarget: TargetModule<'TRACE'> = {
  kind: 'TRACE',
  name: 'TRACE',
  options: [],
  tables: ['raw'],
  build(base, ctx) {
    checkTable('Target TRACE', ['raw'], ctx, base.at);
    return { kind: 'TRACE', ...base, unread: new OptionReader(base.options, ctx, 'target TRACE', []).finish() };
  },
  print: () => [],
};
