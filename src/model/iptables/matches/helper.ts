/** `-m helper`, libxt_helper.c: connections set up by a conntrack helper (`ftp`, `ftp-2121`). */
import type { MatchModule } from './module.js';
import { negOpt, saveString } from './module.js';
import { OptionReader, valueDef } from './read.js';

const options = [valueDef(['--helper'], true)];

export const helperModule: MatchModule<'helper'> = {
  kind: 'helper',
  name: 'helper',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module helper', options);
    const option = r.take('--helper');
    if (!r.has('--helper')) ctx.report('iptables/missing-option', base.at, 'Module helper', '--helper');
    return { kind: 'helper', ...base, helper: option ? r.text(option) : '', negated: option?.negated ?? false, unread: r.finish() };
  },
  // helper_save: [!] --helper via xtables_save_string.
  print: (m) => [negOpt(m.negated, '--helper', saveString(m.helper))],
};
