/** `-j CLASSIFY --set-class MAJOR:MINOR` (mangle), libxt_CLASSIFY.c: skb->priority, both halves hexadecimal. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';

const options = [valueDef(['--set-class'])];

/** CLASSIFY_string_to_priority: "%x:%x", each at most 0xffff. */
function parseClass(text: string): { major: number; minor: number } | null {
  const m = /^([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})$/.exec(text.replace(/^0[xX]/, '').replace(/:0[xX]/, ':'));
  return m ? { major: parseInt(m[1]!, 16), minor: parseInt(m[2]!, 16) } : null;
}

export const classifyTarget: TargetModule<'CLASSIFY'> = {
  kind: 'CLASSIFY',
  name: 'CLASSIFY',
  options,
  tables: ['mangle'],
  build(base, ctx) {
    checkTable('Target CLASSIFY', ['mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target CLASSIFY', options);
    if (!r.has('--set-class')) ctx.report('iptables/missing-option', base.at, 'Target CLASSIFY', '--set-class');
    const read = r.value('--set-class', parseClass, 'MAJOR:MINOR in hexadecimal');
    return { kind: 'CLASSIFY', ...base, major: read?.value.major ?? 0, minor: read?.value.minor ?? 0, unread: r.finish() };
  },
  // CLASSIFY_save: --set-class %04x:%04x.
  print: (t) => [opt('--set-class', `${t.major.toString(16).padStart(4, '0')}:${t.minor.toString(16).padStart(4, '0')}`)],
};
