/** `-j NETMAP`, libipt_NETMAP.c / libip6t_NETMAP.c: map a whole prefix onto another (nat table). */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { parseCidr } from '../../values/address.js';
import { formatCidrWithLength } from '../../values/inet-ntop.js';

const options = [valueDef(['--to'])];

export const netmapTarget: TargetModule<'NETMAP'> = {
  kind: 'NETMAP',
  name: 'NETMAP',
  options,
  tables: ['nat'],
  build(base, ctx) {
    checkTable('Target NETMAP', ['nat'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target NETMAP', options);
    if (!r.has('--to')) ctx.report('iptables/missing-option', base.at, 'Target NETMAP', '--to');
    const to = r.value('--to', (t) => parseCidr(t, ctx.family), `an ${ctx.family} address[/mask]`);
    return { kind: 'NETMAP', ...base, to: to?.value ?? null, unread: r.finish() };
  },
  // NETMAP_save: --to ADDRESS/LENGTH (length always printed).
  print: (t) => (t.to ? [opt('--to', formatCidrWithLength(t.to))] : []),
};
