/** `-m nfacct`, libxt_nfacct.c: count the packet in an nfacct object; always matches. */
import type { MatchModule } from './module.js';
import { opt } from './module.js';
import { OptionReader, valueDef } from './read.js';

const options = [valueDef(['--nfacct-name'])];

export const nfacctModule: MatchModule<'nfacct'> = {
  kind: 'nfacct',
  name: 'nfacct',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module nfacct', options);
    const name = r.value('--nfacct-name', (t) => (t.length > 0 && t.length < 32 ? t : null), 'an accounting object name (1-31 characters)');
    if (!r.has('--nfacct-name') && !name) ctx.report('iptables/missing-option', base.at, 'Module nfacct', '--nfacct-name');
    return { kind: 'nfacct', ...base, name: name?.value ?? '', unread: r.finish() };
  },
  // nfacct_save: --nfacct-name NAME.
  print: (m) => (m.name ? [opt('--nfacct-name', m.name)] : []),
};
