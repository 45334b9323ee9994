/** `-m dccp` (implicit with `-p dccp`), libxt_dccp.c: ports, packet types, options. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { printPort, readPort } from './ports.js';
import { OptionReader, valueDef } from './read.js';
import { parseUnsigned } from '../../values/range.js';

const options = [
  valueDef(['--sport', '--source-port'], true),
  valueDef(['--dport', '--destination-port'], true),
  valueDef(['--dccp-types'], true),
  valueDef(['--dccp-option'], true),
];

/** dccp_pkt_types, in bit order. */
const TYPES = ['REQUEST', 'RESPONSE', 'DATA', 'ACK', 'DATAACK', 'CLOSEREQ', 'CLOSE', 'RESET', 'SYNC', 'SYNCACK', 'INVALID'];

function parseTypes(text: string): string[] | null {
  const set = new Set<string>();
  for (const part of text.split(',')) {
    const name = part.toUpperCase();
    if (!TYPES.includes(name)) return null;
    set.add(name);
  }
  return TYPES.filter((t) => set.has(t));
}

export const dccpModule: MatchModule<'dccp'> = {
  kind: 'dccp',
  name: 'dccp',
  options,
  implicitFor: ['dccp'],
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module dccp', options);
    const sport = readPort(r, '--sport');
    const dport = readPort(r, '--dport');
    const types = r.value('--dccp-types', parseTypes, `comma-separated DCCP packet types (${TYPES.join(', ')})`);
    const option = r.value('--dccp-option', (t) => parseUnsigned(t, 255), 'a DCCP option number (0-255)');
    return {
      kind: 'dccp',
      ...base,
      ...(sport && { sport }),
      ...(dport && { dport }),
      ...(types && { types: { types: types.value, negated: types.negated } }),
      ...(option && { option: { number: option.value, negated: option.negated } }),
      unread: r.finish(),
    };
  },
  // dccp_save: --sport, --dport, --dccp-types, --dccp-option.
  print: (m) => [
    ...printPort('--sport', m.sport),
    ...printPort('--dport', m.dport),
    ...(m.types ? [negOpt(m.types.negated, '--dccp-types', m.types.types.join(','))] : []),
    ...(m.option ? [negOpt(m.option.negated, '--dccp-option', m.option.number)] : []),
  ],
};
