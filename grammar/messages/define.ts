/** The shape of one catalogue entry; each format's messages file is a record of these. */
import type { Severity } from '../diagnostics.js';

export interface MessageEntry<A extends readonly unknown[] = readonly any[]> {
  readonly severity: Severity;
  /** Renders the message from its arguments. */
  readonly message: (...args: A) => string;
  /** One line on what it means and what to do, for `docs/` and `--explain`. */
  readonly help?: string;
}

/** Identity function that keeps each entry's argument types. */
export function defineMessages<T extends Record<string, MessageEntry<any>>>(entries: T): T {
  return entries;
}
