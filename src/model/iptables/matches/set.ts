/** `-m set` (revision 4), libxt_set.c: membership of packet addresses/ports in an ipset. */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef, type OptionDef } from './read.js';
import type { SetCounterCondition } from './types.js';

const COUNTERS = ['--packets-eq', '--packets-lt', '--packets-gt', '--bytes-eq', '--bytes-lt', '--bytes-gt'] as const;

const options: readonly OptionDef[] = [
  // `--set` is the pre-1.4.4 spelling (libxt_set.c keeps it as an alias).
  { names: ['--match-set', '--set'], arity: 2, negatable: true },
  flagDef(['--return-nomatch']),
  flagDef(['--update-counters'], true),
  flagDef(['--update-subcounters'], true),
  ...COUNTERS.map((n) => valueDef([n], n.endsWith('-eq'))),
];

/** `src,dst,…`: up to six directions (IPSET_DIM_MAX). */
export function parseSetFlags(text: string): ('src' | 'dst')[] | null {
  const parts = text.split(',');
  if (parts.length > 6) return null;
  const flags: ('src' | 'dst')[] = [];
  for (const part of parts) {
    if (part !== 'src' && part !== 'dst') return null;
    flags.push(part);
  }
  return flags;
}

export const setModule: MatchModule<'set'> = {
  kind: 'set',
  name: 'set',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module set', options);
    const option = r.take('--match-set');
    let name = '';
    let flags: ('src' | 'dst')[] = [];
    if (!r.has('--match-set')) ctx.report('iptables/missing-option', base.at, 'Module set', '--match-set NAME FLAGS');
    if (option) {
      const parsed = parseSetFlags(r.text(option, 1));
      if (!parsed) r.bad(option, 'comma-separated src/dst flags (at most six)', 1);
      else {
        name = r.text(option, 0);
        flags = parsed;
      }
    }
    const counter = (kind: 'packets' | 'bytes'): SetCounterCondition | undefined => {
      const reads = COUNTERS.filter((c) => c.startsWith(`--${kind}`))
        .map((name) => ({ name, read: r.value(name, (t) => (/^\d+$/.test(t) ? BigInt(t) : null), 'a number') }))
        .filter((x) => x.read !== undefined)
        .sort((a, b) => a.read!.option.start - b.read!.option.start);
      // "only one of the --packets-[eq|lt|gt] is allowed": the first written is read.
      for (const extra of reads.slice(1)) r.conflict(extra.read!.option, `another --${kind}-* option`);
      const first = reads[0];
      return first && { op: first.name.slice(-2) as SetCounterCondition['op'], value: first.read!.value, negated: first.read!.negated };
    };
    const update = r.flag('--update-counters');
    const updateSub = r.flag('--update-subcounters');
    const packets = counter('packets');
    const bytes = counter('bytes');
    return {
      kind: 'set',
      ...base,
      name,
      flags,
      negated: option?.negated ?? false,
      returnNomatch: r.take('--return-nomatch') !== undefined,
      // Only the negated form changes anything: counters are updated by default.
      updateCounters: !(update?.negated ?? false),
      updateSubcounters: !(updateSub?.negated ?? false),
      ...(packets && { packets }),
      ...(bytes && { bytes }),
      unread: r.finish(),
    };
  },
  // set_save_v4: --match-set, --return-nomatch, ! --update-counters, ! --update-subcounters, packets, bytes.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.name) out.push(negOpt(m.negated, '--match-set', m.name, m.flags.join(',')));
    if (m.returnNomatch) out.push(opt('--return-nomatch'));
    if (!m.updateCounters) out.push(negOpt(true, '--update-counters'));
    if (!m.updateSubcounters) out.push(negOpt(true, '--update-subcounters'));
    if (m.packets) out.push(negOpt(m.packets.negated, `--packets-${m.packets.op}`, m.packets.value.toString()));
    if (m.bytes) out.push(negOpt(m.bytes.negated, `--bytes-${m.bytes.op}`, m.bytes.value.toString()));
    return out;
  },
};
