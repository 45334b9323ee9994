/** `-m conntrack` (revision 3), libxt_conntrack.c: state, addresses and ports of the connection. */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { CT_STATES, parseNameList, parseStatuses } from './ctstate.js';
import { parseProtocol } from '../protocol.js';
import { parseCidr, type Cidr } from '../../values/address.js';
import { formatCidrNtop } from '../../values/inet-ntop.js';
import type { PortRange } from '../../values/port.js';
import { parseServicePortRange } from '../../values/services.js';
import { formatNumberRange, parseNumberRange } from '../../values/range.js';
import type { BuildContext } from '../spec.js';
import type { ConntrackMatch, Negatable } from './types.js';

const ADDRESS_OPTIONS = ['--ctorigsrc', '--ctorigdst', '--ctreplsrc', '--ctrepldst'] as const;
const PORT_OPTIONS = ['--ctorigsrcport', '--ctorigdstport', '--ctreplsrcport', '--ctrepldstport'] as const;

const options = [
  valueDef(['--ctstate'], true),
  valueDef(['--ctproto'], true),
  ...ADDRESS_OPTIONS.map((n) => valueDef([n], true)),
  ...PORT_OPTIONS.map((n) => valueDef([n], true)),
  valueDef(['--ctstatus'], true),
  valueDef(['--ctexpire'], true),
  valueDef(['--ctdir']),
];

function readCidr(r: OptionReader, name: string, ctx: BuildContext): Negatable<{ cidr: Cidr }> | undefined {
  const read = r.value(name, (t) => parseCidr(t, ctx.family), `an ${ctx.family} address[/mask]`);
  return read && { cidr: read.value, negated: read.negated };
}

function readPortRange(r: OptionReader, name: string): Negatable<{ range: PortRange }> | undefined {
  const read = r.value(name, (t) => parseServicePortRange(t, ':'), 'a port or first:last range');
  return read && { range: read.value, negated: read.negated };
}

const KEYS = {
  '--ctorigsrc': 'ctorigsrc', '--ctorigdst': 'ctorigdst', '--ctreplsrc': 'ctreplsrc', '--ctrepldst': 'ctrepldst',
  '--ctorigsrcport': 'ctorigsrcport', '--ctorigdstport': 'ctorigdstport', '--ctreplsrcport': 'ctreplsrcport',
  '--ctrepldstport': 'ctrepldstport',
} as const;

export const conntrackModule: MatchModule<'conntrack'> = {
  kind: 'conntrack',
  name: 'conntrack',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module conntrack', options);
    const fields: Record<string, unknown> = {};
    const state = r.value('--ctstate', (t) => parseNameList(t, CT_STATES), `comma-separated states (${CT_STATES.join(', ')})`);
    if (state) fields.ctstate = { states: state.value, negated: state.negated };
    const proto = r.value('--ctproto', parseProtocol, 'a protocol name or number');
    if (proto) fields.ctproto = { protocol: proto.value.number ?? 0, negated: proto.negated };
    for (const name of ADDRESS_OPTIONS) {
      const value = readCidr(r, name, ctx);
      if (value) fields[KEYS[name]] = value;
    }
    for (const name of PORT_OPTIONS) {
      const value = readPortRange(r, name);
      if (value) fields[KEYS[name]] = value;
    }
    const status = r.value('--ctstatus', parseStatuses, 'comma-separated statuses (NONE, EXPECTED, SEEN_REPLY, ASSURED, CONFIRMED)');
    if (status) fields.ctstatus = { statuses: status.value, negated: status.negated };
    const expire = r.value('--ctexpire', (t) => parseNumberRange(t, 0xffffffff), 'seconds or first:last seconds');
    if (expire) fields.ctexpire = { range: expire.value, negated: expire.negated };
    const dir = r.value('--ctdir', (t) => (t.toUpperCase() === 'ORIGINAL' ? 'ORIGINAL' : t.toUpperCase() === 'REPLY' ? 'REPLY' : null), 'ORIGINAL or REPLY');
    if (dir) fields.ctdir = dir.value;
    return { kind: 'conntrack', ...base, ...(fields as Partial<ConntrackMatch>), unread: r.finish() };
  },
  // conntrack_dump (save): ctstate, ctproto, addresses, ports, ctstatus, ctexpire, ctdir.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.ctstate) out.push(negOpt(m.ctstate.negated, '--ctstate', m.ctstate.states.join(',')));
    if (m.ctproto) out.push(negOpt(m.ctproto.negated, '--ctproto', m.ctproto.protocol));
    for (const name of ADDRESS_OPTIONS) {
      const value = m[KEYS[name]];
      if (value) out.push(negOpt(value.negated, name, formatCidrNtop(value.cidr)));
    }
    for (const name of PORT_OPTIONS) {
      const value = m[KEYS[name]];
      if (value) out.push(negOpt(value.negated, name, formatNumberRange(value.range)));
    }
    if (m.ctstatus) out.push(negOpt(m.ctstatus.negated, '--ctstatus', m.ctstatus.statuses.join(',')));
    if (m.ctexpire) out.push(negOpt(m.ctexpire.negated, '--ctexpire', formatNumberRange(m.ctexpire.range)));
    if (m.ctdir) out.push(opt('--ctdir', m.ctdir));
    return out;
  },
};
