/** The one place where offsets become 1-based `file:line:col` for people (house rule 5). */
import { lineColumnOf, type SourceRef } from '../../grammar/source.js';

export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export function locate(ref: SourceRef): Location {
  const { line, column } = lineColumnOf(ref.source, ref.start);
  return { file: ref.source.name, line, column };
}

export function formatLocation(ref: SourceRef | null): string {
  if (!ref) return '';
  const l = locate(ref);
  return `${l.file}:${l.line}:${l.column}`;
}

/** `file:line`, the form evidence is cited in. */
export function formatFileLine(ref: SourceRef): string {
  const l = locate(ref);
  return `${l.file}:${l.line}`;
}
