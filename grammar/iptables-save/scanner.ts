/**
 * The iptables-save lexer used for parsing: a hand-written scanner that yields exactly the
 * tokens that the Chevrotain lexer built from `tokens.ts` yields (minus `Newline`, since it hands
 * the parser one line at a time), with the same token types.
 *
 * Why not Chevrotain's own `Lexer` here: on a 10k-Service kube-proxy dump (1.4M tokens) it takes
 * 500–900 ms on this 2-core machine, this scanner 60–70 ms; parse time is a feature (issue #2
 * budgets 1 s for parse, model and graph). `test/grammar/iptables-save/scanner.test.ts` runs
 * both over every sample and real capture and requires identical token streams, so `tokens.ts`
 * stays the definition of the vocabulary.
 */
import type { IToken, TokenType } from 'chevrotain';
import {
  Bang,
  ChainName,
  CommandOpt,
  Comment,
  Commit,
  Counters,
  LongOpt,
  Quoted,
  ShortOpt,
  TableName,
  Word,
} from './tokens.js';

/** A Chevrotain-compatible token whose image is cut from the text only when asked for. */
class ScannedToken implements IToken {
  readonly tokenTypeIdx: number;
  constructor(
    readonly tokenType: TokenType,
    private readonly text: string,
    readonly startOffset: number,
    /** Inclusive, as Chevrotain's. */
    readonly endOffset: number,
  ) {
    this.tokenTypeIdx = tokenType.tokenTypeIdx!;
  }
  get image(): string {
    return this.text.slice(this.startOffset, this.endOffset + 1);
  }
}

/** A run of characters no token accepts. */
export interface ScanError {
  readonly offset: number;
  readonly length: number;
}

/** One line's tokens; `end` is the offset of its line break (or of the end of the text). */
export interface ScannedLine {
  readonly tokens: IToken[];
  readonly start: number;
  readonly end: number;
  readonly errors: ScanError[];
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const FF = 12;
const VT = 11;
const LF = 10;
const QUOTE = 34;
const BACKSLASH = 92;

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === FF || c === VT;
}

/** `[!#-~\u0080-\uffff]`: the characters of `Word`. */
function isWordChar(c: number): boolean {
  return c === 33 || (c >= 35 && c <= 126) || c >= 128;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The token type of a whole word, as Chevrotain's first-match + longer_alt rules decide it. */
function classify(text: string, s: number, e: number): TokenType {
  const c = text.charCodeAt(s);
  const len = e - s;
  switch (c) {
    case 45: {
      // '-'
      const d = text.charCodeAt(s + 1);
      if (len === 2) {
        if (d === 65 || d === 68 || d === 69 || d === 70 || d === 73 || d === 78 || d === 80 || d === 82 || d === 88 || d === 90) {
          return CommandOpt;
        }
        return isAlpha(d) ? ShortOpt : Word;
      }
      if (d === 45 && len > 2) {
        const f = text.charCodeAt(s + 2);
        if (!isAlpha(f) && !isDigit(f)) return Word;
        for (let i = s + 3; i < e; i++) {
          const g = text.charCodeAt(i);
          if (!(isAlpha(g) || isDigit(g) || g === 95 || g === 46 || g === 45)) return Word;
        }
        return LongOpt;
      }
      return Word;
    }
    case 33:
      return len === 1 ? Bang : Word;
    case 42: {
      // '*' table
      if (len < 2) return Word;
      for (let i = s + 1; i < e; i++) {
        const g = text.charCodeAt(i);
        if (!(isAlpha(g) || isDigit(g) || g === 95 || g === 45)) return Word;
      }
      return TableName;
    }
    case 58:
      return len >= 2 ? ChainName : Word;
    case 91: {
      // '[' counters
      let i = s + 1;
      const d0 = i;
      while (i < e && isDigit(text.charCodeAt(i))) i++;
      if (i === d0 || i >= e || text.charCodeAt(i) !== 58) return Word;
      i++;
      const d1 = i;
      while (i < e && isDigit(text.charCodeAt(i))) i++;
      if (i === d1 || i !== e - 1 || text.charCodeAt(i) !== 93) return Word;
      return Counters;
    }
    case 67:
      return len === 6 && text.startsWith('COMMIT', s) ? Commit : Word;
    default:
      return Word;
  }
}

/**
 * Scans `text[start, end)` line by line and calls `onLine` for every line, empty ones included.
 * The `tokens` and `errors` arrays are reused between calls: copy what you keep.
 */
export function scanLines(text: string, start: number, end: number, onLine: (line: ScannedLine) => void): void {
  const tokens: IToken[] = [];
  const errors: ScanError[] = [];
  let lineStart = start;
  while (lineStart <= end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    tokens.length = 0;
    errors.length = 0;
    let i = lineStart;
    while (i < lineEnd) {
      const c = text.charCodeAt(i);
      if (isBlank(c)) {
        i++;
        continue;
      }
      const s = i;
      if (c === QUOTE) {
        i++;
        let closed = false;
        while (i < lineEnd) {
          const d = text.charCodeAt(i);
          if (d === BACKSLASH && i + 1 < lineEnd && text.charCodeAt(i + 1) !== CR) {
            i += 2;
            continue;
          }
          if (d === QUOTE) {
            closed = true;
            break;
          }
          if (d === CR) break;
          i++;
        }
        if (closed) {
          i++;
          tokens.push(new ScannedToken(Quoted, text, s, i - 1));
        } else {
          // Chevrotain drops the lone quote as an error and lexes on from the next character.
          i = s + 1;
          const last = errors[errors.length - 1];
          if (last && last.offset + last.length === s) errors[errors.length - 1] = { offset: last.offset, length: last.length + 1 };
          else errors.push({ offset: s, length: 1 });
        }
        continue;
      }
      if (c === 35) {
        // '#': a comment runs to the end of the line (CR excluded, as in `/#[^\r\n]*/`).
        let e = lineEnd;
        while (e > s && text.charCodeAt(e - 1) === CR) e--;
        let k = s;
        while (k < e && text.charCodeAt(k) !== CR) k++;
        tokens.push(new ScannedToken(Comment, text, s, k - 1));
        i = k;
        continue;
      }
      if (!isWordChar(c)) {
        while (i < lineEnd && !isWordChar(text.charCodeAt(i)) && !isBlank(text.charCodeAt(i)) && text.charCodeAt(i) !== QUOTE) i++;
        const last = errors[errors.length - 1];
        if (last && last.offset + last.length === s) errors[errors.length - 1] = { offset: last.offset, length: last.length + (i - s) };
        else errors.push({ offset: s, length: i - s });
        continue;
      }
      while (i < lineEnd && isWordChar(text.charCodeAt(i))) i++;
      tokens.push(new ScannedToken(classify(text, s, i), text, s, i - 1));
    }
    onLine({ tokens, start: lineStart, end: lineEnd, errors });
    if (lineEnd >= end) break;
    lineStart = lineEnd + 1;
  }
}
