/** `-m mac --mac-source`, libxt_mac.c: the Ethernet source address (PREROUTING, INPUT, FORWARD). */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { parseMac } from '../../values/mac.js';

const options = [valueDef(['--mac-source'], true)];

export const macModule: MatchModule<'mac'> = {
  kind: 'mac',
  name: 'mac',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module mac', options);
    if (!r.has('--mac-source')) ctx.report('iptables/missing-option', base.at, 'Module mac', '--mac-source');
    const read = r.value('--mac-source', parseMac, 'an Ethernet address XX:XX:XX:XX:XX:XX');
    return { kind: 'mac', ...base, source: read?.value ?? null, negated: read?.negated ?? false, unread: r.finish() };
  },
  // mac_save: [!] --mac-source in lower case.
  print: (m) => (m.source ? [negOpt(m.negated, '--mac-source', m.source)] : []),
};
