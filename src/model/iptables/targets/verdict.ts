/** The standard verdicts (net/netfilter/x_tables.c: XT_STANDARD_TARGET): ACCEPT, DROP, RETURN, QUEUE. */
import type { TargetModule } from './module.js';
import { OptionReader } from '../matches/read.js';

function verdict<K extends 'ACCEPT' | 'DROP' | 'RETURN' | 'QUEUE'>(name: K): TargetModule<K> {
  return {
    kind: name,
    name,
    options: [],
    build(base, ctx) {
      // Options after a verdict were reported by the rule builder; they are kept as written.
      const k: 'ACCEPT' | 'DROP' | 'RETURN' | 'QUEUE' = name;
      return { kind: k, ...base, unread: new OptionReader(base.options, ctx, `target ${name}`, []).finish() };
    },
    print: () => [],
  };
}

export const acceptTarget = verdict('ACCEPT');
export const dropTarget = verdict('DROP');
export const returnTarget = verdict('RETURN');
export const queueTarget = verdict('QUEUE');
