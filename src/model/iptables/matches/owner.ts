/** `-m owner` (revision 1), libxt_owner.c: the socket owner of locally generated packets. */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { parseNumberRange, type NumberRange } from '../../values/range.js';
import type { Negatable } from './types.js';

const options = [
  valueDef(['--uid-owner'], true),
  valueDef(['--gid-owner'], true),
  flagDef(['--socket-exists'], true),
  flagDef(['--suppl-groups']),
];

/** Names every system has; others need /etc/passwd of the node, which a dump does not carry. */
const WELL_KNOWN: Readonly<Record<string, number>> = { root: 0 };

/** `N`, `N-M` or a name (owner_parse_range / getpwnam). */
function parseOwner(text: string): { range: NumberRange | null; name?: string } | null {
  const range = parseNumberRange(text, 0xfffffffe, '-');
  if (range) return { range };
  if (WELL_KNOWN[text] !== undefined) return { range: { from: WELL_KNOWN[text]!, to: WELL_KNOWN[text]! } };
  return /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(text) ? { range: null, name: text } : null;
}

function ownerText(v: { range: NumberRange | null; name?: string }): string {
  if (!v.range) return v.name ?? '';
  return v.range.from === v.range.to ? String(v.range.from) : `${v.range.from}-${v.range.to}`;
}

export const ownerModule: MatchModule<'owner'> = {
  kind: 'owner',
  name: 'owner',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module owner', options);
    const uid = r.value('--uid-owner', parseOwner, 'a user id, id-id range or user name');
    const gid = r.value('--gid-owner', parseOwner, 'a group id, id-id range or group name');
    const socketExists = r.flag('--socket-exists');
    const field = (v: typeof uid): Negatable<{ range: NumberRange | null; name?: string }> | undefined => v && { ...v.value, negated: v.negated };
    const uidField = field(uid);
    const gidField = field(gid);
    return {
      kind: 'owner',
      ...base,
      ...(socketExists && { socketExists }),
      ...(uidField && { uid: uidField }),
      ...(gidField && { gid: gidField }),
      supplGroups: r.take('--suppl-groups') !== undefined,
      unread: r.finish(),
    };
  },
  // owner_mt_save: --socket-exists, --uid-owner, --gid-owner, --suppl-groups.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.socketExists) out.push(negOpt(m.socketExists.negated, '--socket-exists'));
    if (m.uid) out.push(negOpt(m.uid.negated, '--uid-owner', ownerText(m.uid)));
    if (m.gid) out.push(negOpt(m.gid.negated, '--gid-owner', ownerText(m.gid)));
    if (m.supplGroups) out.push(opt('--suppl-groups'));
    return out;
  },
};
