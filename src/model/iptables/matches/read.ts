/**
 * Reading a module's or target's options into typed fields: the part of libxtables'
 * xtables_option_parse every spec shares. Each option is looked up by its spellings (getopt_long
 * also accepts an unambiguous prefix, so `--mac` is `--mac-source`), checked for its number of
 * values and for `!`, and handed to the spec; anything that cannot be read is reported once,
 * at its own position, and kept as written in `unread` so that nothing is dropped.
 */
import type { OptionSyntax, WordSyntax } from '../../../../grammar/iptables-save/syntax.js';
import type { MessageArgs, MessageCode } from '../../../../grammar/messages/index.js';
import type { SourceText, Span } from '../../../../grammar/source.js';
import type { BuildContext, OptionSpec } from '../spec.js';
import type { UnreadOption } from './types.js';

/** An option of a module or target, with what xtables knows about it (struct xt_option_entry). */
export interface OptionDef extends OptionSpec {
  /** Number of values it takes; 1 when absent, 0 for a flag. */
  readonly arity?: number;
  /** False when `!` is refused (no XTOPT_INVERT); true when absent. */
  readonly negatable?: boolean;
  /** True when it may appear several times (XTOPT_MULTI, or positional like policy `--next`). */
  readonly repeatable?: boolean;
}

/** Shorthand for a flag (no value). */
export function flagDef(names: readonly string[], negatable = false): OptionDef {
  return { names, arity: 0, negatable };
}

/** Shorthand for a one-value option. */
export function valueDef(names: readonly string[], negatable = false): OptionDef {
  return { names, arity: 1, negatable };
}

/**
 * Resolves an option name as getopt_long does: an exact spelling wins; otherwise a prefix of
 * exactly one option's spelling. Returns the def, or undefined when unknown or ambiguous.
 */
export function resolveOptionDef<D extends OptionSpec>(defs: readonly D[], name: string): D | undefined {
  for (const def of defs) if (def.names.includes(name)) return def;
  if (!name.startsWith('--') || name.length < 3) return undefined;
  let found: D | undefined;
  for (const def of defs) {
    if (def.names.some((n) => n.startsWith(name))) {
      if (found && found !== def) return undefined;
      found = def;
    }
  }
  return found;
}

/**
 * A value as iptables-restore passed it in argv. Inside double quotes a backslash escapes any
 * character (iptables/xshared.c add_param_to_argv), so `"it\'s"` is `it's`; the grammar's
 * `text` resolves only `\"` and `\\`, so quoted words are re-read from the source here.
 */
export function wordValue(word: WordSyntax, source: SourceText): string {
  if (!word.quoted) return word.text;
  const raw = source.text.slice(word.start + 1, word.end - 1);
  return raw.includes('\\') ? raw.replace(/\\([\s\S])/g, '$1') : raw;
}

/** An option as written, for `unread`. */
export function asWritten(option: OptionSyntax, source: SourceText): UnreadOption {
  return { name: option.name, negated: option.negated, values: option.values.map((v) => wordValue(v, source)) };
}

/** A value read from an option, with the option's `!`. */
export interface ReadValue<T> {
  readonly value: T;
  readonly negated: boolean;
  readonly option: OptionSyntax;
}

export class OptionReader {
  private readonly unread: UnreadOption[] = [];
  private readonly found = new Map<OptionDef, OptionSyntax[]>();
  private readonly taken = new Set<OptionDef>();
  /** Every def an option was written for, readable or not (for "missing option" checks). */
  private readonly mentioned = new Set<OptionDef>();
  /** Every accepted option with its def, in the order written (for positional options). */
  readonly sequence: { readonly def: OptionDef; readonly option: OptionSyntax }[] = [];

  constructor(
    options: readonly OptionSyntax[],
    private readonly ctx: BuildContext,
    /** "module tcp", "target DNAT": used in messages. */
    private readonly owner: string,
    private readonly defs: readonly OptionDef[],
  ) {
    for (const option of options) this.accept(option);
  }

  private accept(option: OptionSyntax): void {
    const def = resolveOptionDef(this.defs, option.name);
    if (!def) {
      // Only targets hand over options they do not declare; the rule builder reported them.
      this.keep(option);
      return;
    }
    this.mentioned.add(def);
    const arity = def.arity ?? 1;
    if (option.negated && def.negatable === false) {
      this.report('iptables/not-negatable', option, option.name);
      this.keep(option);
      return;
    }
    if (option.values.length < arity) {
      this.report('iptables/missing-value', option, option.name, arity === 1 ? 'a value' : `${arity} values`);
      this.keep(option);
      return;
    }
    if (option.values.length > arity) {
      // iptables-restore rejects the rule ("Bad argument"): the option is not read, only kept.
      const extra = option.values[arity]!;
      this.report('iptables/extra-value', extra, option.name, wordValue(extra, this.ctx.source));
      this.keep(option);
      return;
    }
    const list = this.found.get(def);
    if (list) list.push(option);
    else this.found.set(def, [option]);
    this.sequence.push({ def, option });
  }

  /** Report at a span of the source. */
  report<C extends MessageCode>(code: C, at: Span, ...args: MessageArgs<C>): void {
    this.ctx.report(code, at, ...args);
  }

  /** Keep an option as written (after reporting it). */
  keep(option: OptionSyntax): void {
    this.unread.push(asWritten(option, this.ctx.source));
  }

  private def(canonical: string): OptionDef {
    const def = this.defs.find((d) => d.names[0] === canonical);
    if (!def) throw new Error(`internal: ${this.owner} has no option ${canonical}`);
    return def;
  }

  /**
   * The occurrence of an option (its first), or undefined. A repeated non-repeatable option is
   * reported and its later occurrences kept as written.
   */
  take(canonical: string): OptionSyntax | undefined {
    const def = this.def(canonical);
    this.taken.add(def);
    const list = this.found.get(def);
    if (!list || list.length === 0) return undefined;
    if (!def.repeatable) {
      for (const extra of list.slice(1)) {
        this.report('iptables/repeated-option', extra, extra.name, this.owner);
        this.keep(extra);
      }
    }
    return list[0];
  }

  /** True when the option was written, even with a value that could not be read (nothing is consumed). */
  has(canonical: string): boolean {
    return this.mentioned.has(this.def(canonical));
  }

  /** The text of an option's value `i`. */
  text(option: OptionSyntax, i = 0): string {
    const word = option.values[i];
    return word ? wordValue(word, this.ctx.source) : '';
  }

  /** Reports a bad value of an option and keeps the option as written. */
  bad(option: OptionSyntax, expected: string, i = 0): void {
    const word = option.values[i];
    this.report('iptables/bad-value', word ?? option, option.name, word ? wordValue(word, this.ctx.source) : '', expected);
    this.keep(option);
  }

  /** Reads a flag (an option without value). */
  flag(canonical: string): { readonly negated: boolean } | undefined {
    const option = this.take(canonical);
    return option ? { negated: option.negated } : undefined;
  }

  /** Reads a one-value option through `parse`; a value it rejects is reported (as `expected`). */
  value<T>(canonical: string, parse: (text: string) => T | null, expected: string): ReadValue<T> | undefined {
    const option = this.take(canonical);
    if (!option) return undefined;
    return this.parseOption(option, parse, expected);
  }

  /** Reads an option already taken. */
  parseOption<T>(option: OptionSyntax, parse: (text: string) => T | null, expected: string, i = 0): ReadValue<T> | undefined {
    const parsed = parse(this.text(option, i));
    if (parsed === null) {
      this.bad(option, expected, i);
      return undefined;
    }
    return { value: parsed, negated: option.negated, option };
  }

  /** Reports that `option` conflicts with `other` and keeps it as written. */
  conflict(option: OptionSyntax, other: string): void {
    this.report('iptables/conflicting-options', option, option.name, other);
    this.keep(option);
  }

  /** Every occurrence of a repeatable option, in order. */
  all(canonical: string): readonly OptionSyntax[] {
    const def = this.def(canonical);
    this.taken.add(def);
    return this.found.get(def) ?? [];
  }

  /** Everything that could not be read, as written (options a spec never asked for included). */
  finish(): readonly UnreadOption[] {
    for (const [def, list] of this.found) if (!this.taken.has(def)) for (const option of list) this.keep(option);
    return this.unread;
  }
}

/** True when a spec takes an option by this name or an unambiguous prefix of one (getopt_long). */
export function takesOption(spec: { readonly options: readonly OptionSpec[] | 'any' }, name: string): boolean {
  return spec.options === 'any' || resolveOptionDef(spec.options, name) !== undefined;
}

/** True when a spec declares this exact option name. */
export function declaresExactly(spec: { readonly options: readonly OptionSpec[] | 'any' }, name: string): boolean {
  return spec.options === 'any' || spec.options.some((o) => o.names.includes(name));
}
