/** `-j LOG`, libxt_LOG.c: a kernel log line per packet; rule traversal continues. */
import type { TargetModule } from './module.js';
import { opt, saveString, type PrintedOption } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';

const FLAGS = [
  ['--log-tcp-sequence', 'tcpSequence'],
  ['--log-tcp-options', 'tcpOptions'],
  ['--log-ip-options', 'ipOptions'],
  ['--log-uid', 'uid'],
  ['--log-macdecode', 'macdecode'],
] as const;

const options = [valueDef(['--log-level']), valueDef(['--log-prefix']), ...FLAGS.map(([n]) => flagDef([n]))];

/** log_names; numbers 0–7 are accepted too. */
const LEVELS: Readonly<Record<string, number>> = {
  emerg: 0, panic: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7,
};
/** LOG_DEFAULT_LEVEL (warning): not printed. */
const DEFAULT_LEVEL = 4;
/** sizeof(prefix) - 1 */
const MAX_PREFIX = 29;

function parseLevel(text: string): number | null {
  if (/^[0-7]$/.test(text)) return Number(text);
  return LEVELS[text] ?? null;
}

export const logTarget: TargetModule<'LOG'> = {
  kind: 'LOG',
  name: 'LOG',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target LOG', options);
    const level = r.value('--log-level', parseLevel, 'a syslog level 0-7 or emerg, alert, crit, error, warning, notice, info, debug');
    const prefix = r.value('--log-prefix', (t) => (t.length <= MAX_PREFIX ? t : null), `a prefix of at most ${MAX_PREFIX} characters`);
    const flag = (name: string): boolean => r.take(name) !== undefined;
    return {
      kind: 'LOG',
      ...base,
      level: level?.value ?? DEFAULT_LEVEL,
      prefix: prefix?.value ?? '',
      tcpSequence: flag('--log-tcp-sequence'),
      tcpOptions: flag('--log-tcp-options'),
      ipOptions: flag('--log-ip-options'),
      uid: flag('--log-uid'),
      macdecode: flag('--log-macdecode'),
      unread: r.finish(),
    };
  },
  // LOG_save: --log-prefix (xtables_save_string), --log-level unless 4, then the flags.
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.prefix) out.push(opt('--log-prefix', saveString(t.prefix)));
    if (t.level !== DEFAULT_LEVEL) out.push(opt('--log-level', t.level));
    for (const [name, key] of FLAGS) if (t[key]) out.push(opt(name));
    return out;
  },
};
