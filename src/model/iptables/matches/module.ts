/**
 * A catalogue entry: the rule builder's {@link MatchSpec} (option names + `build`) plus `print`,
 * which writes a typed match back as the options `iptables-save` prints for it, in its order
 * (the module's `save` function in iptables' extensions/libxt_*.c).
 */
import type { Family } from '../../values/address.js';
import type { MatchSpec } from '../spec.js';
import type { MatchOfKind, TypedMatchKind } from './types.js';

/**
 * How a value is written. `plain`: as is (iptables prints these without quotes);
 * `save-string`: libxtables xtables_save_string (quoted unless only `[A-Za-z0-9_-]`, escaping
 * `"`, `\` and `'`); `quoted`: always quoted, escaping `"` and `\` (libxt_string/u32/bpf).
 */
export type Quoting = 'plain' | 'save-string' | 'quoted';

export interface PrintedValue {
  readonly text: string;
  readonly quoting: Quoting;
}

/** One option as iptables-save prints it. */
export interface PrintedOption {
  readonly name: string;
  readonly values: readonly (string | PrintedValue)[];
  readonly negated?: boolean;
}

/** What a printer may need to know about the rule around the match. */
export interface PrintContext {
  readonly family: Family;
}

export interface MatchModule<K extends TypedMatchKind> extends MatchSpec {
  readonly kind: K;
  readonly print: (match: MatchOfKind<K>, ctx: PrintContext) => readonly PrintedOption[];
}

/** Shorthands for building printed options. */
export function opt(name: string, ...values: (string | number | PrintedValue)[]): PrintedOption {
  return { name, values: values.map((v) => (typeof v === 'number' ? String(v) : v)) };
}

export function negOpt(negated: boolean, name: string, ...values: (string | number | PrintedValue)[]): PrintedOption {
  return { ...opt(name, ...values), negated };
}

export function saveString(text: string): PrintedValue {
  return { text, quoting: 'save-string' };
}

export function quoted(text: string): PrintedValue {
  return { text, quoting: 'quoted' };
}
