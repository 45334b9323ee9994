/** Diagnostics for people (`file:line:col: error[code]: message` + the line) and for machines. */
import type { Diagnostic } from '../../grammar/diagnostics.js';
import { lineTextAt } from '../../grammar/source.js';
import { locate } from './location.js';
import type { Style } from './style.js';

export interface DiagnosticJson {
  readonly severity: Diagnostic['severity'];
  readonly code: string;
  readonly message: string;
  /** null when the problem is about no particular place. */
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
}

export function diagnosticToJson(d: Diagnostic): DiagnosticJson {
  if (!d.at) return { severity: d.severity, code: d.code, message: d.message, file: null, line: null, column: null };
  const l = locate(d.at);
  return { severity: d.severity, code: d.code, message: d.message, file: l.file, line: l.line, column: l.column };
}

export function renderDiagnostic(d: Diagnostic, style: Style): string {
  const label = d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : style.cyan('info');
  if (!d.at) return `${label}[${d.code}]: ${d.message}`;
  const l = locate(d.at);
  const head = `${style.bold(`${l.file}:${l.line}:${l.column}`)}: ${label}[${d.code}]: ${d.message}`;
  const text = lineTextAt(d.at.source, d.at.start);
  const shown = text.length > 160 ? `${text.slice(0, 160)}…` : text;
  const caretAt = Math.min(l.column - 1, 160);
  const width = Math.max(1, Math.min(d.at.end - d.at.start, 160 - caretAt));
  return `${head}\n  ${style.dim(shown)}\n  ${' '.repeat(Math.max(0, caretAt))}${style.red('^'.repeat(width))}`;
}

/** Counts for a summary line: "2 errors, 1 warning". */
export function countLine(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
