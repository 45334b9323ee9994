/** `-m mark` (libxt_mark.c) and `-m connmark` (libxt_connmark.c): `(mark & mask) === value`. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { formatMark, parseMark } from '../../values/mark.js';

const options = [valueDef(['--mark'], true)];

export function markLikeModule<K extends 'mark' | 'connmark'>(kind: K): MatchModule<K> {
  return {
    kind,
    name: kind,
    options,
    build(base, ctx) {
      const r = new OptionReader(base.options, ctx, `module ${kind}`, options);
      if (!r.has('--mark')) ctx.report('iptables/missing-option', base.at, `Module ${kind}`, '--mark');
      const read = r.value('--mark', parseMark, 'value[/mask] (32-bit numbers)');
      const k: 'mark' | 'connmark' = kind;
      return {
        kind: k,
        ...base,
        value: read?.value.value ?? 0,
        mask: read?.value.mask ?? 0xffffffff,
        negated: read?.negated ?? false,
        given: read !== undefined,
        unread: r.finish(),
      };
    },
    // mark_mt_save / connmark_mt_save: 0xVALUE, /0xMASK unless all ones.
    print: (m) => (m.given ? [negOpt(m.negated, '--mark', formatMark({ value: m.value, mask: m.mask }))] : []),
  };
}

export const markModule = markLikeModule('mark');
