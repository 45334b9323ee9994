/** `-m state --state LIST`, libxt_state.c: the conntrack states INVALID, NEW, RELATED, ESTABLISHED, UNTRACKED. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { CT_STATES, parseNameList } from './ctstate.js';

const options = [valueDef(['--state'], true)];
const STATE_NAMES = CT_STATES.slice(0, 5);

export const stateModule: MatchModule<'state'> = {
  kind: 'state',
  name: 'state',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module state', options);
    if (!r.has('--state')) ctx.report('iptables/missing-option', base.at, 'Module state', '--state');
    const read = r.value('--state', (t) => parseNameList(t, STATE_NAMES), `comma-separated states (${STATE_NAMES.join(', ')})`);
    return { kind: 'state', ...base, states: read?.value ?? [], negated: read?.negated ?? false, unread: r.finish() };
  },
  // state_save: [!] --state LIST in INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED order.
  print: (m) => (m.states.length ? [negOpt(m.negated, '--state', m.states.join(','))] : []),
};
