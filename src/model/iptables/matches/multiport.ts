/** `-m multiport` (revision 1), libxt_multiport.c: up to 15 ports or ranges (a range counts twice). */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef, type ReadValue } from './read.js';
import type { PortRange } from '../../values/port.js';
import { parseServicePortRange } from '../../values/services.js';
import type { MultiportMatch } from './types.js';

const options = [
  valueDef(['--sports', '--source-ports'], true),
  valueDef(['--dports', '--destination-ports'], true),
  valueDef(['--ports'], true),
];

/** XT_MULTI_PORTS: 15 slots. */
const MAX_SLOTS = 15;

function parsePortList(text: string): PortRange[] | null {
  const ports: PortRange[] = [];
  let slots = 0;
  for (const part of text.split(',')) {
    const range = parseServicePortRange(part, ':');
    if (!range) return null;
    slots += range.from === range.to ? 1 : 2;
    ports.push(range);
  }
  return slots <= MAX_SLOTS ? ports : null;
}

/** Protocols multiport accepts (check_proto: "multiport needs -p tcp, udp, udplite, sctp or dccp"). */
const PROTOCOLS = [6, 17, 136, 132, 33];

export const multiportModule: MatchModule<'multiport'> = {
  kind: 'multiport',
  name: 'multiport',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module multiport', options);
    const expected = 'comma-separated ports or first:last ranges (at most 15, a range counting as two)';
    const given: [MultiportMatch['direction'], ReadValue<PortRange[]> | undefined][] = [
      ['src', r.value('--sports', parsePortList, expected)],
      ['dst', r.value('--dports', parsePortList, expected)],
      ['any', r.value('--ports', parsePortList, expected)],
    ];
    const present = given.filter(([, v]) => v !== undefined);
    for (const [, extra] of present.slice(1)) r.conflict(extra!.option, present[0]![1]!.option.name);
    if (present.length === 0 && !base.options.length) ctx.report('iptables/missing-option', base.at, 'Module multiport', '--sports, --dports or --ports');
    const protocol = ctx.protocol?.number ?? null;
    if (protocol === null || !PROTOCOLS.includes(protocol)) {
      ctx.report('iptables/missing-option', base.at, 'Module multiport', '-p tcp, udp, udplite, sctp or dccp');
    }
    const [direction, value] = present[0] ?? [null, undefined];
    return { kind: 'multiport', ...base, direction, ports: value?.value ?? [], negated: value?.negated ?? false, unread: r.finish() };
  },
  // multiport_save_v1: [!] --sports|--dports|--ports LIST.
  print: (m) => {
    if (m.direction === null) return [];
    const name = m.direction === 'src' ? '--sports' : m.direction === 'dst' ? '--dports' : '--ports';
    return [negOpt(m.negated, name, m.ports.map((p) => (p.from === p.to ? String(p.from) : `${p.from}:${p.to}`)).join(','))];
  },
};
