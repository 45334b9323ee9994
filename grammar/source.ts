/**
 * Source texts and positions shared by every grammar and every later stage.
 *
 * Positions are stored as 0-based offsets into a {@link SourceText}, end exclusive (house rule 5).
 * Lines and columns are derived on demand from the text's line index, so lexers can run with
 * Chevrotain's cheaper `positionTracking: "onlyOffset"`; only `src/report` prints them, 1-based.
 */
import type { IToken } from 'chevrotain';

/** One input as the user gave it: a file, stdin, or a member of a bundle. */
export interface SourceText {
  /** Display name: a path, `-` for stdin, or `bundle.tar.gz:node/iptables-save`. */
  readonly name: string;
  /** The whole text, exactly as read (CRLF kept). */
  readonly text: string;
}

/** Offsets into a source text known from context (the rule or statement that holds it). */
export interface Span {
  /** 0-based offset of the first character. */
  readonly start: number;
  /** 0-based offset one past the last character. */
  readonly end: number;
}

/** A span of a named source text. */
export interface SourceRef extends Span {
  readonly source: SourceText;
}

/** A span of a source, as a self-contained reference. */
export function refOf(source: SourceText, span: Span): SourceRef {
  return { source, start: span.start, end: span.end };
}

/** A 1-based line and column, for people. */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

const lineStartCache = new WeakMap<SourceText, Uint32Array>();

function lineStarts(source: SourceText): Uint32Array {
  let starts = lineStartCache.get(source);
  if (starts) return starts;
  const text = source.text;
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) count++;
  starts = new Uint32Array(count);
  let k = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts[k++] = i + 1;
  lineStartCache.set(source, starts);
  return starts;
}

/** 1-based line and column of an offset (columns count UTF-16 code units, as editors do). */
export function lineColumnOf(source: SourceText, offset: number): LineColumn {
  const starts = lineStarts(source);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}

/** The text of the (1-based) line that holds an offset, without its line break. */
export function lineTextAt(source: SourceText, offset: number): string {
  const starts = lineStarts(source);
  const { line } = lineColumnOf(source, offset);
  const start = starts[line - 1] ?? 0;
  const next = line < starts.length ? (starts[line] ?? source.text.length) - 1 : source.text.length;
  return source.text.slice(start, next).replace(/\r$/, '');
}

/** Number of lines of a source (a final line break does not start a new line). */
export function lineCount(source: SourceText): number {
  const starts = lineStarts(source);
  const text = source.text;
  return text.endsWith('\n') ? starts.length - 1 : starts.length;
}

/**
 * The one conversion from a Chevrotain token to a position. Chevrotain's `endOffset` is
 * inclusive and recovered (inserted) tokens carry NaN/-1 offsets: those map to `fallback`.
 * `base` is added when the lexer ran over a slice of the source (a section of a pasted session).
 */
export function toSourceRef(source: SourceText, token: IToken, base = 0, fallback?: SourceRef): SourceRef {
  const start = token.startOffset;
  if (!Number.isFinite(start) || start < 0) {
    return fallback ?? { source, start: base, end: base };
  }
  const endInclusive = token.endOffset ?? start + token.image.length - 1;
  const end = Number.isFinite(endInclusive) && endInclusive >= start ? endInclusive + 1 : start + token.image.length;
  return { source, start: start + base, end: end + base };
}

/** A span covering two spans of the same source. */
export function spanOf(first: SourceRef, last: SourceRef): SourceRef {
  return { source: first.source, start: first.start, end: Math.max(first.end, last.end) };
}

/** The original text a span covers. */
export function textOf(ref: SourceRef): string {
  return ref.source.text.slice(ref.start, ref.end);
}
