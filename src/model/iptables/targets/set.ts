/** `-j SET` (revision 3), libxt_SET.c: add the packet's addresses/ports to, or delete them from, an ipset. */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { flagDef, OptionReader, valueDef, type OptionDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { parseSetFlags } from '../matches/set.js';
import { parseDecimal } from '../../values/range.js';
import type { SetOperation } from './types.js';

const options: readonly OptionDef[] = [
  { names: ['--add-set'], arity: 2, negatable: false },
  { names: ['--del-set'], arity: 2, negatable: false },
  { names: ['--map-set'], arity: 2, negatable: false },
  flagDef(['--exist']),
  valueDef(['--timeout']),
  flagDef(['--map-mark']),
  flagDef(['--map-prio']),
  flagDef(['--map-queue']),
];

export const setTarget: TargetModule<'SET'> = {
  kind: 'SET',
  name: 'SET',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target SET', options);
    const operation = (name: string): SetOperation | undefined => {
      const option = r.take(name);
      if (!option) return undefined;
      const flags = parseSetFlags(r.text(option, 1));
      if (!flags) {
        r.bad(option, 'comma-separated src/dst flags (at most six)', 1);
        return undefined;
      }
      return { name: r.text(option, 0), flags };
    };
    const add = operation('--add-set');
    const del = operation('--del-set');
    const map = operation('--map-set');
    if (map) checkTable('Option --map-set of target SET', ['mangle'], ctx, base.at);
    if (!add && !del && !map && !r.has('--add-set') && !r.has('--del-set') && !r.has('--map-set')) {
      ctx.report('iptables/missing-option', base.at, 'Target SET', '--add-set, --del-set or --map-set');
    }
    const timeout = r.value('--timeout', (t) => parseDecimal(t), 'seconds');
    const flag = (name: string): boolean => r.take(name) !== undefined;
    const mark = flag('--map-mark');
    const prio = flag('--map-prio');
    const queue = flag('--map-queue');
    return {
      kind: 'SET',
      ...base,
      ...(add && { add }),
      ...(del && { del }),
      ...(map && { map: { ...map, mark, prio, queue } }),
      exist: flag('--exist'),
      ...(timeout && { timeout: timeout.value }),
      unread: r.finish(),
    };
  },
  // set_target_save_v3: --add-set, --exist, --timeout, --del-set, --map-set, --map-mark/prio/queue.
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.add) out.push(opt('--add-set', t.add.name, t.add.flags.join(',')));
    if (t.exist) out.push(opt('--exist'));
    if (t.timeout !== undefined) out.push(opt('--timeout', t.timeout));
    if (t.del) out.push(opt('--del-set', t.del.name, t.del.flags.join(',')));
    if (t.map) {
      out.push(opt('--map-set', t.map.name, t.map.flags.join(',')));
      if (t.map.mark) out.push(opt('--map-mark'));
      if (t.map.prio) out.push(opt('--map-prio'));
      if (t.map.queue) out.push(opt('--map-queue'));
    }
    return out;
  },
};
