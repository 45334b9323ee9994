/** `-m tos` (revision 1), libxt_tos.c: `(tos & mask) === value`; a symbol implies mask 0x3f, a bare number 0xff. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { formatHexPadded, parseUnsigned } from '../../values/range.js';
import { TOS_NAMES, TOS_SYMBOL_MASK } from '../../values/tos.js';
import type { Masked } from './types.js';

const options = [valueDef(['--tos'], true)];

/** tos_parse_symbolic: `value[/mask]` (8-bit) or a symbol. */
export function parseTos(text: string, defaultMask = 0xff): Masked | null {
  const symbol = TOS_NAMES[text.toLowerCase()];
  if (symbol !== undefined) return { value: symbol, mask: TOS_SYMBOL_MASK };
  const slash = text.indexOf('/');
  const value = parseUnsigned(slash < 0 ? text : text.slice(0, slash), 0xff);
  const mask = slash < 0 ? defaultMask : parseUnsigned(text.slice(slash + 1), 0xff);
  return value === null || mask === null ? null : { value, mask };
}

export const tosModule: MatchModule<'tos'> = {
  kind: 'tos',
  name: 'tos',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module tos', options);
    if (!r.has('--tos')) ctx.report('iptables/missing-option', base.at, 'Module tos', '--tos');
    const read = r.value('--tos', (t) => parseTos(t), 'value[/mask] (8-bit) or a TOS name (Minimize-Delay, …)');
    return { kind: 'tos', ...base, value: read?.value.value ?? 0, mask: read?.value.mask ?? 0, negated: read?.negated ?? false, unread: r.finish() };
  },
  // tos_mt_save: [!] --tos 0xVV/0xMM.
  print: (m) => (m.mask === 0 && m.value === 0 && !m.negated ? [] : [negOpt(m.negated, '--tos', `${formatHexPadded(m.value, 2)}/${formatHexPadded(m.mask, 2)}`)]),
};
