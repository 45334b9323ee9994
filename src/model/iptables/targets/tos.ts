/**
 * `-j TOS` (revision 1, mangle), libxt_TOS.c: `tos = (tos & ~mask) ^ value`. A symbol implies
 * mask 0x3f and a bare number 0xff; `--and-tos X` is 0/~X, `--or-tos X` X/X, `--xor-tos X` X/0.
 */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { formatHexPadded, parseUnsigned } from '../../values/range.js';
import { parseTos } from '../matches/tos.js';
import type { Masked } from '../matches/types.js';

const NAMES = ['--set-tos', '--and-tos', '--or-tos', '--xor-tos'] as const;
const options = NAMES.map((n) => valueDef([n]));

export const tosTarget: TargetModule<'TOS'> = {
  kind: 'TOS',
  name: 'TOS',
  options,
  tables: ['mangle'],
  build(base, ctx) {
    checkTable('Target TOS', ['mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target TOS', options);
    let found: { tos: Masked; name: string } | undefined;
    for (const name of NAMES) {
      const read = name === '--set-tos' ? r.value(name, (t) => parseTos(t), 'value[/mask] or a TOS name') : r.value(name, (t) => parseUnsigned(t, 0xff), 'an 8-bit value');
      if (!read) continue;
      if (found) {
        r.conflict(read.option, found.name);
        continue;
      }
      const v = read.value;
      const tos: Masked =
        typeof v !== 'number' ? v : name === '--and-tos' ? { value: 0, mask: ~v & 0xff } : name === '--or-tos' ? { value: v, mask: v } : { value: v, mask: 0 };
      found = { tos, name };
    }
    if (!found && base.options.length === 0) ctx.report('iptables/missing-option', base.at, 'Target TOS', '--set-tos, --and-tos, --or-tos or --xor-tos');
    return { kind: 'TOS', ...base, value: found?.tos.value ?? 0, mask: found?.tos.mask ?? 0, unread: r.finish() };
  },
  // tos_tg_save: --set-tos 0xVV/0xMM.
  print: (t) => [opt('--set-tos', `${formatHexPadded(t.value, 2)}/${formatHexPadded(t.mask, 2)}`)],
};
