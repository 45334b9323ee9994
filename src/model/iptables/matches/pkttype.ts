/** `-m pkttype`, libxt_pkttype.c: the link-layer packet type. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import type { PkttypeMatch } from './types.js';

const options = [valueDef(['--pkt-type'], true)];

type PacketType = Exclude<PkttypeMatch['type'], null>;

/** supported_types: `host` is another name of unicast (PACKET_HOST). */
const NAMES: Readonly<Record<string, PacketType>> = {
  unicast: 'unicast', broadcast: 'broadcast', multicast: 'multicast', otherhost: 'otherhost',
  outgoing: 'outgoing', host: 'unicast', loopback: 'loopback',
};

export const pkttypeModule: MatchModule<'pkttype'> = {
  kind: 'pkttype',
  name: 'pkttype',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module pkttype', options);
    if (!r.has('--pkt-type')) ctx.report('iptables/missing-option', base.at, 'Module pkttype', '--pkt-type');
    const read = r.value('--pkt-type', (t) => NAMES[t.toLowerCase()] ?? null, 'unicast, broadcast, multicast, otherhost, outgoing or loopback');
    return { kind: 'pkttype', ...base, type: read?.value ?? null, negated: read?.negated ?? false, unread: r.finish() };
  },
  // pkttype_save: the first name of the type.
  print: (m) => (m.type ? [negOpt(m.negated, '--pkt-type', m.type)] : []),
};
