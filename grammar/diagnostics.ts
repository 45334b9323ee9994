/**
 * Diagnostics: what every stage reports about its input instead of throwing (house rule 4).
 * Wording lives in the one message catalogue (`grammar/messages`), referenced by code (rule 6).
 */
import type { SourceRef } from './source.js';
import { catalogue, type MessageCode, type MessageArgs } from './messages/index.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable id from the catalogue, e.g. `iptables/unexpected-token`. */
  readonly code: MessageCode;
  readonly severity: Severity;
  /** The rendered message, one sentence or two, no trailing location. */
  readonly message: string;
  /** Where; null when the problem is about the input as a whole and it has no text (empty input). */
  readonly at: SourceRef | null;
}

/** Build a diagnostic from the catalogue. */
export function diagnose<C extends MessageCode>(code: C, at: SourceRef | null, ...args: MessageArgs<C>): Diagnostic {
  const entry = catalogue[code];
  const render = entry.message as (...a: MessageArgs<C>) => string;
  return { code, severity: entry.severity, message: render(...args), at };
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
