/** `-m udp` (implicit with `-p udp`), libxt_udp.c: source and destination ports. */
import type { MatchModule } from './module.js';
import { printPort, readPort } from './ports.js';
import { OptionReader, valueDef } from './read.js';

const options = [valueDef(['--sport', '--source-port'], true), valueDef(['--dport', '--destination-port'], true)];

export const udpModule: MatchModule<'udp'> = {
  kind: 'udp',
  name: 'udp',
  options,
  implicitFor: ['udp'],
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module udp', options);
    const sport = readPort(r, '--sport');
    const dport = readPort(r, '--dport');
    return { kind: 'udp', ...base, ...(sport && { sport }), ...(dport && { dport }), unread: r.finish() };
  },
  // udp_save: --sport, --dport.
  print: (m) => [...printPort('--sport', m.sport), ...printPort('--dport', m.dport)],
};
