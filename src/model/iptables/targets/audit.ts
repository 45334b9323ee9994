/** `-j AUDIT --type accept|drop|reject`, libxt_AUDIT.c: an audit record (the type is ignored since Linux 4.12). */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';

const options = [valueDef(['--type'])];

export const auditTarget: TargetModule<'AUDIT'> = {
  kind: 'AUDIT',
  name: 'AUDIT',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target AUDIT', options);
    const type = r.value('--type', (t) => (t === 'accept' || t === 'drop' || t === 'reject' ? t : null), 'accept, drop or reject');
    if (!r.has('--type')) ctx.report('iptables/missing-option', base.at, 'Target AUDIT', '--type');
    return { kind: 'AUDIT', ...base, type: type?.value ?? null, unread: r.finish() };
  },
  // audit_save: --type NAME.
  print: (t) => (t.type ? [opt('--type', t.type)] : []),
};
