/** `-j MASQUERADE`, libxt_MASQUERADE.c: SNAT to the outgoing interface's address (nat POSTROUTING). */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { formatPortRange } from '../../values/port.js';
import { parseServicePortRange } from '../../values/services.js';
import { PORT_PROTOCOLS } from './nat-range.js';

const options = [valueDef(['--to-ports']), flagDef(['--random']), flagDef(['--random-fully'])];

export const masqueradeTarget: TargetModule<'MASQUERADE'> = {
  kind: 'MASQUERADE',
  name: 'MASQUERADE',
  options,
  tables: ['nat'],
  build(base, ctx) {
    checkTable('Target MASQUERADE', ['nat'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target MASQUERADE', options);
    const ports = r.value('--to-ports', (t) => parseServicePortRange(t, '-'), 'a port or first-last range');
    if (ports && !PORT_PROTOCOLS.includes(ctx.protocol?.number ?? -1)) ctx.report('iptables/missing-option', ports.option, 'MASQUERADE --to-ports', '-p tcp, udp, sctp or dccp');
    return {
      kind: 'MASQUERADE',
      ...base,
      ...(ports && { ports: ports.value }),
      random: r.take('--random') !== undefined,
      randomFully: r.take('--random-fully') !== undefined,
      unread: r.finish(),
    };
  },
  // MASQUERADE_save: --to-ports A[-B], --random, --random-fully.
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.ports) out.push(opt('--to-ports', formatPortRange(t.ports, '-')));
    if (t.random) out.push(opt('--random'));
    if (t.randomFully) out.push(opt('--random-fully'));
    return out;
  },
};
