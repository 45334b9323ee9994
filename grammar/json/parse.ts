/**
 * Non-throwing entry point of the JSON grammar: text in, values and located diagnostics out.
 * A syntax error is reported where it was found, and what was read before it is kept.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import { diagnose, type Diagnostic } from '../diagnostics.js';
import type { ParseRange } from '../iproute/lines.js';
import { toSourceRef, type SourceRef, type SourceText } from '../source.js';
import { JsonParser } from './parser.js';
import type { JsonSyntax } from './syntax.js';
import { jsonLexer } from './tokens.js';

let parser: JsonParser | undefined;

function describe(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the input';
  const image = token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image;
  return JSON.stringify(image);
}

/** What the rule that failed expects, for "expected … but found …". */
const expectations: Record<string, string> = {
  documents: 'a JSON value',
  value: 'a JSON value (object, array, string, number, true, false or null)',
  object: "a member (\"key\": value), ',' or '}'",
  member: "a member (\"key\": value)",
  array: "a value, ',' or ']'",
};

export function parseJsonText(source: SourceText, range: ParseRange = {}): JsonSyntax {
  parser ??= new JsonParser();
  const base = Math.max(0, range.start ?? 0);
  const stop = Math.min(source.text.length, range.end ?? source.text.length);
  const lexed = jsonLexer.tokenize(source.text.slice(base, stop));
  const diagnostics: Diagnostic[] = [];
  for (const error of lexed.errors) {
    const start = error.offset + base;
    const chars = source.text.slice(start, start + Math.min(error.length, 20));
    diagnostics.push(diagnose('json/unexpected-character', { source, start, end: start + error.length }, chars));
  }
  parser.source = source;
  parser.base = base;
  parser.resetDrafts();
  parser.input = lexed.tokens;
  const values = parser.documents();
  for (const error of parser.errors as IRecognitionException[]) {
    diagnostics.push(syntaxDiagnostic(source, error, base, stop));
  }
  return { source, values, diagnostics };
}

function syntaxDiagnostic(source: SourceText, error: IRecognitionException, base: number, stop: number): Diagnostic {
  const token = error.token;
  const known = Number.isFinite(token.startOffset) && token.startOffset >= 0;
  const at: SourceRef = toSourceRef(source, token, base, { source, start: stop, end: stop });
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? 'documents';
  // Recovery may have consumed the token it complains about from a later position: describe the
  // token at the error, or the end of input when the parser ran out.
  const found = known ? describe(token) : 'the end of the input';
  return diagnose('json/syntax', at, expectations[rule] ?? 'a JSON value', found);
}
