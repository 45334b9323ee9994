/**
 * What comes before the output proper: prompt lines (reported, skipped) and the choice between
 * iproute2's text and its `-j` JSON, which starts with `[` (or `{` for a single object).
 */
import type { IToken } from 'chevrotain';
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { toSourceRef, type SourceText } from '../source.js';
import type { LexedLine, LexedText } from './lines.js';
import { Prompt, promptCommand } from './prompt.js';

/** True when the line is a prompt line (its only token is the prompt). */
export function isPromptLine(line: LexedLine): boolean {
  return line.tokens[0]?.tokenType === Prompt;
}

/** The prompt's command, and an info diagnostic for it. */
export function promptLine(source: SourceText, line: LexedLine, base: number): { command: string; diagnostic: Diagnostic } {
  const token = line.tokens[0] as IToken;
  const command = promptCommand(token.image);
  return { command, diagnostic: diagnose('iproute/prompt-line', toSourceRef(source, token, base), command) };
}

/** Offset where JSON output starts (its first line after any prompt lines), or null for text. */
export function jsonStart(lexed: LexedText): number | null {
  for (const line of lexed.lines) {
    if (isPromptLine(line)) continue;
    const first = line.tokens[0];
    if (!first) return null;
    return first.image.startsWith('[') || first.image.startsWith('{') ? first.startOffset + lexed.base : null;
  }
  return null;
}
