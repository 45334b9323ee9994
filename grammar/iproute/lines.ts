/**
 * Line-at-a-time lexing shared by the line-oriented grammars iptlens owns besides iptables-save
 * (`ip addr`, `ip route`, `ip rule`, `sysctl`, `iptables -L`).
 *
 * The text is lexed once with a Chevrotain lexer whose vocabulary has a `Newline` token; the
 * tokens are then grouped into lines, and every lexer error is attached to the line that holds
 * it, so that a parser can skip exactly the lines that did not lex (one diagnostic each) and read
 * all the others. Offsets stay offsets into the whole source (`base` is added).
 */
import type { ILexingError, IToken, Lexer, TokenType } from 'chevrotain';
import type { SourceText } from '../source.js';

/** A run of characters the lexer accepted as no token. */
export interface LexError {
  /** Offset into the whole source. */
  readonly offset: number;
  readonly length: number;
}

/** One line: its tokens (no `Newline`), its extent and what did not lex. */
export interface LexedLine {
  /** Offset of the first character of the line in the whole source. */
  readonly start: number;
  /** Offset of its line break (a CR before the LF is left out), or of the end of the range. */
  readonly end: number;
  /** Tokens with offsets relative to the lexed slice: add {@link LexedText.base}. */
  readonly tokens: readonly IToken[];
  readonly errors: readonly LexError[];
}

export interface LexedText {
  /** Offset of the lexed slice in the source: add it to token offsets. */
  readonly base: number;
  readonly lines: readonly LexedLine[];
}

/** Parse only `source.text.slice(start, end)`; positions still point into the whole source. */
export interface ParseRange {
  readonly start?: number;
  readonly end?: number;
}

/**
 * Lexes `source.text[range]` with `lexer` and returns its non-empty lines (a line of blanks only
 * is left out). `newline` is the vocabulary's line-break token (or a category of line-break tokens,
 * when lexer modes each have their own).
 */
export function lexLines(lexer: Lexer, newline: TokenType, source: SourceText, range: ParseRange = {}): LexedText {
  const base = Math.max(0, range.start ?? 0);
  const stop = Math.min(source.text.length, range.end ?? source.text.length);
  const text = source.text.slice(base, stop);
  const result = lexer.tokenize(text);
  const lineStarts: number[] = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const tokensByLine: IToken[][] = lineStarts.map(() => []);
  const errorsByLine: LexError[][] = lineStarts.map(() => []);
  const lineOf = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const isNewline = (type: TokenType): boolean => type === newline || (type.CATEGORIES?.includes(newline) ?? false);
  let line = 0;
  for (const token of result.tokens) {
    if (isNewline(token.tokenType)) {
      line = lineOf(token.startOffset) + 1;
      continue;
    }
    // A token never spans a line break (only `Newline` matches one), so the running count holds
    // unless an error swallowed a line break: re-anchor cheaply when the token lies past it.
    const next = lineStarts[line + 1];
    if (next !== undefined && token.startOffset >= next) line = lineOf(token.startOffset);
    tokensByLine[line]?.push(token);
  }
  for (const error of result.errors as ILexingError[]) {
    addError(errorsByLine, lineStarts, lineOf, text, error.offset, error.length, base);
  }
  const lines: LexedLine[] = [];
  for (let i = 0; i < lineStarts.length; i++) {
    const tokens = tokensByLine[i] ?? [];
    const errors = errorsByLine[i] ?? [];
    if (tokens.length === 0 && errors.length === 0) continue;
    const start = lineStarts[i] ?? 0;
    let end = i + 1 < lineStarts.length ? (lineStarts[i + 1] ?? text.length) - 1 : text.length;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    lines.push({ start: start + base, end: end + base, tokens, errors });
  }
  return { base, lines };
}

/** Splits an error that runs over line breaks so each line gets its own part. */
function addError(
  errorsByLine: LexError[][],
  lineStarts: readonly number[],
  lineOf: (offset: number) => number,
  text: string,
  offset: number,
  length: number,
  base: number,
): void {
  let from = offset;
  const to = offset + length;
  while (from < to) {
    const line = lineOf(from);
    const next = lineStarts[line + 1] ?? text.length + 1;
    const upTo = Math.min(to, next - 1);
    if (upTo > from) errorsByLine[line]?.push({ offset: from + base, length: upTo - from });
    from = next;
  }
}
