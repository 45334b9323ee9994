/** `-j REDIRECT`, libxt_REDIRECT.c: DNAT to the host itself (nat PREROUTING/OUTPUT). */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { formatPortRange } from '../../values/port.js';
import { parseServicePortRange } from '../../values/services.js';
import { PORT_PROTOCOLS } from './nat-range.js';

const options = [valueDef(['--to-ports']), flagDef(['--random'])];

export const redirectTarget: TargetModule<'REDIRECT'> = {
  kind: 'REDIRECT',
  name: 'REDIRECT',
  options,
  tables: ['nat'],
  build(base, ctx) {
    checkTable('Target REDIRECT', ['nat'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target REDIRECT', options);
    const ports = r.value('--to-ports', (t) => parseServicePortRange(t, '-'), 'a port or first-last range');
    if (ports && !PORT_PROTOCOLS.includes(ctx.protocol?.number ?? -1)) ctx.report('iptables/missing-option', ports.option, 'REDIRECT --to-ports', '-p tcp, udp, sctp or dccp');
    return { kind: 'REDIRECT', ...base, ...(ports && { ports: ports.value }), random: r.take('--random') !== undefined, unread: r.finish() };
  },
  // REDIRECT_save: --to-ports A[-B], --random.
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.ports) out.push(opt('--to-ports', formatPortRange(t.ports, '-')));
    if (t.random) out.push(opt('--random'));
    return out;
  },
};
