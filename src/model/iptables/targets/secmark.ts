/** `-j SECMARK --selctx CONTEXT` (security or mangle table), libxt_SECMARK.c. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';

const options = [valueDef(['--selctx'])];

export const secmarkTarget: TargetModule<'SECMARK'> = {
  kind: 'SECMARK',
  name: 'SECMARK',
  options,
  tables: ['security', 'mangle'],
  build(base, ctx) {
    checkTable('Target SECMARK', ['security', 'mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target SECMARK', options);
    if (!r.has('--selctx')) ctx.report('iptables/missing-option', base.at, 'Target SECMARK', '--selctx');
    const ctxText = r.value('--selctx', (t) => (t.length > 0 && t.length < 256 ? t : null), 'a security context');
    return { kind: 'SECMARK', ...base, selctx: ctxText?.value ?? '', unread: r.finish() };
  },
  // SECMARK_save: --selctx CONTEXT.
  print: (t) => (t.selctx ? [opt('--selctx', t.selctx)] : []),
};
