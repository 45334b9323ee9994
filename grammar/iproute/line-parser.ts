/**
 * What the three iproute2 parsers share: one line of tokens at a time, words with offsets, and the
 * turning of a Chevrotain recognition error into one located diagnostic for the line.
 */
import { EmbeddedActionsParser, NoViableAltException, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { toSourceRef, type SourceRef, type SourceText, type Span } from '../source.js';
import type { AttributeSyntax, WordSyntax } from './syntax.js';

export abstract class LineParser extends EmbeddedActionsParser {
  /** The text the current tokens were lexed from. */
  source: SourceText = { name: '', text: '' };
  /** Offset of the lexed slice in the source. */
  base = 0;
  /** The current line, from its first character to its line break (exclusive), in source offsets. */
  lineStart = 0;
  lineEnd = 0;

  constructor(tokens: TokenType[], maxLookahead: number) {
    super(tokens, { recoveryEnabled: false, maxLookahead });
  }

  /** Sets the tokens of one line. */
  setLine(source: SourceText, base: number, start: number, end: number, tokens: readonly IToken[]): void {
    this.source = source;
    this.base = base;
    this.lineStart = start;
    this.lineEnd = end;
    this.input = tokens as IToken[];
  }

  /** See {@link raiseNoViableAlternative}; shadows the engine's method of the same name. */
  raiseNoAltException(): never {
    return raiseNoViableAlternative(this);
  }

  /** A token's span: through {@link toSourceRef}, the one token-to-position conversion. */
  protected span(token: IToken): SourceRef {
    return toSourceRef(this.source, token, this.base, { source: this.source, start: this.lineEnd, end: this.lineEnd });
  }

  protected word(token: IToken): WordSyntax {
    const { start, end } = this.span(token);
    return { text: token.image, start, end };
  }

  protected attribute(name: IToken, values: readonly IToken[], known = true): AttributeSyntax {
    const last = values[values.length - 1] ?? name;
    return {
      name: name.image,
      values: values.map((v) => this.word(v)),
      known,
      start: this.span(name).start,
      end: this.span(last).end,
    };
  }

  /** From `first` to `last`, or to the end of the line. */
  protected refFrom(first: IToken, last?: IToken): SourceRef {
    return { source: this.source, start: this.span(first).start, end: last ? this.span(last).end : this.lineEnd };
  }

  protected lineRef(): SourceRef {
    return { source: this.source, start: this.lineStart, end: this.lineEnd };
  }
}

/** Where a recognition error is, and what was found there. */
export function errorSite(source: SourceText, error: IRecognitionException, base: number, lineEnd: number): { at: SourceRef; found: string } {
  const token = error.token;
  if (token.tokenType.name === 'EOF' || !Number.isFinite(token.startOffset) || token.startOffset < 0) {
    return { at: { source, start: lineEnd, end: lineEnd }, found: 'the end of the line' };
  }
  const image = token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image;
  return { at: toSourceRef(source, token, base), found: JSON.stringify(image) };
}

/** The innermost rule of a recognition error. */
export function failedRule(error: IRecognitionException, fallback: string): string {
  return error.context.ruleStack[error.context.ruleStack.length - 1] ?? fallback;
}

/** A span covering a list of words (empty list: the given fallback). */
export function spanOfWords(words: readonly WordSyntax[], fallback: Span): Span {
  const first = words[0];
  const last = words[words.length - 1];
  return first && last ? { start: first.start, end: last.end } : fallback;
}

/**
 * Raises a "no viable alternative" error without describing the alternatives. Chevrotain's own
 * raiseNoAltException lists every lookahead path of every alternative (error_handler.ts, which
 * carries a TODO about its cost); with keyword categories that is thousands of paths, about 2 ms
 * per line that is not of the expected format — 9 s for a pasted 5000-line iptables-save. The
 * message is not used: iptlens words its own from the failed rule and the token.
 */
export function raiseNoViableAlternative(parser: EmbeddedActionsParser): never {
  const engine = parser as unknown as { LA(i: number): IToken; SAVE_ERROR(error: Error): Error };
  throw engine.SAVE_ERROR(new NoViableAltException('no viable alternative', engine.LA(1), engine.LA(0)));
}
