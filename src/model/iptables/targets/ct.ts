/** `-j CT` (revision 2, raw table), libxt_CT.c: the conntrack template (notrack, helper, zone, events). */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { parseUnsigned } from '../../values/range.js';
import type { CtTarget } from './types.js';

const options = [
  flagDef(['--notrack']),
  valueDef(['--helper']),
  valueDef(['--timeout']),
  valueDef(['--ctevents']),
  valueDef(['--expevents']),
  { names: ['--zone-orig'], arity: 1, negatable: false, repeatable: true },
  { names: ['--zone-reply'], arity: 1, negatable: false, repeatable: true },
  { names: ['--zone'], arity: 1, negatable: false, repeatable: true },
];

/** ct_event_tbl and exp_event_tbl, in bit order. */
const CT_EVENTS = ['new', 'related', 'destroy', 'reply', 'assured', 'protoinfo', 'helper', 'mark', 'natseqinfo', 'secmark'];
const EXP_EVENTS = ['new'];

function parseEvents(text: string, table: readonly string[]): string[] | null {
  const set = new Set<string>();
  for (const part of text.split(',')) {
    if (!table.includes(part)) return null;
    set.add(part);
  }
  return table.filter((e) => set.has(e));
}

export const ctTarget: TargetModule<'CT'> = {
  kind: 'CT',
  name: 'CT',
  options,
  tables: ['raw'],
  build(base, ctx) {
    checkTable('Target CT', ['raw'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target CT', options);
    const helper = r.value('--helper', (t) => (t.length > 0 && t.length < 16 ? t : null), 'a helper name');
    const timeout = r.value('--timeout', (t) => (t.length > 0 && t.length < 32 ? t : null), 'a timeout policy name');
    const ctevents = r.value('--ctevents', (t) => parseEvents(t, CT_EVENTS), `comma-separated events (${CT_EVENTS.join(', ')})`);
    const expevents = r.value('--expevents', (t) => parseEvents(t, EXP_EVENTS), 'new');
    // ct_parse_zone_id: each zone option sets its direction flag and replaces the id, so
    // `--zone-orig 3 --zone-reply 4` is zone 4 in both directions, as iptables-save shows.
    for (const name of ['--zone-orig', '--zone-reply', '--zone']) r.all(name);
    let zoneId: number | 'mark' = 0;
    let orig = false;
    let reply = false;
    for (const { def, option } of r.sequence) {
      const name = def.names[0]!;
      if (!name.startsWith('--zone')) continue;
      const text = r.text(option);
      const id = text === 'mark' ? 'mark' : parseUnsigned(text, 0xffff);
      if (id === null) {
        r.bad(option, 'a zone id (0-65535) or mark');
        continue;
      }
      zoneId = id;
      if (name === '--zone-orig') orig = true;
      else if (name === '--zone-reply') reply = true;
      else orig = reply = false;
    }
    const zone: CtTarget['zone'] = zoneId === 0 ? undefined : { id: zoneId, dir: orig === reply ? 'both' : orig ? 'orig' : 'reply' };
    return {
      kind: 'CT',
      ...base,
      notrack: r.take('--notrack') !== undefined,
      ...(helper && { helper: helper.value }),
      ...(timeout && { timeout: timeout.value }),
      ...(ctevents && { ctevents: ctevents.value }),
      ...(expevents && { expevents: expevents.value }),
      ...(zone && { zone }),
      unread: r.finish(),
    };
  },
  // ct_save_v1: --notrack, --helper, --timeout, --ctevents, --expevents, --zone[-orig|-reply] ID|mark.
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.notrack) out.push(opt('--notrack'));
    if (t.helper !== undefined) out.push(opt('--helper', t.helper));
    if (t.timeout !== undefined) out.push(opt('--timeout', t.timeout));
    if (t.ctevents?.length) out.push(opt('--ctevents', t.ctevents.join(',')));
    if (t.expevents?.length) out.push(opt('--expevents', t.expevents.join(',')));
    if (t.zone) out.push(opt(t.zone.dir === 'both' ? '--zone' : `--zone-${t.zone.dir}`, t.zone.id));
    return out;
  },
};
