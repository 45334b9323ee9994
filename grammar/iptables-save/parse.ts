/**
 * Non-throwing entry point of the iptables-save grammar: text in, statements and located
 * diagnostics out. Each line is parsed on its own, so a line that does not parse yields one
 * error and the next line is read as if nothing happened — the way iptables-restore reports
 * "line N failed", except that we go on and list them all.
 */
import type { IToken } from 'chevrotain';
import { diagnose, type Diagnostic } from '../diagnostics.js';
import type { SourceText } from '../source.js';
import { IptablesSaveParser } from './parser.js';
import { scanLines } from './scanner.js';
import type { IptablesSaveSyntax, StatementSyntax } from './syntax.js';

let parser: IptablesSaveParser | undefined;

/** Parse only `source.text.slice(start, end)`; positions still point into the whole source. */
export interface ParseRange {
  readonly start?: number;
  readonly end?: number;
}

function describe(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the line';
  const image = token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image;
  return JSON.stringify(image);
}

/** What each grammar rule expects, for "expected … but found …". */
const expectations: Record<string, string> = {
  statement: 'a rule (-A CHAIN …), a chain (:CHAIN POLICY), a table (*nat) or COMMIT',
  command: 'a command such as -A, -I, -N, -X, -F or -P',
  optionClause: 'an option such as -s, -p, -m or -j',
  chainDecl: 'a policy and counters after the chain name',
};

export function parseIptablesSaveText(source: SourceText, range: ParseRange = {}): IptablesSaveSyntax {
  parser ??= new IptablesSaveParser();
  const p = parser;
  const start = range.start ?? 0;
  const end = range.end ?? source.text.length;
  const diagnostics: Diagnostic[] = [];
  const statements: StatementSyntax[] = [];
  p.source = source;
  p.base = 0;
  scanLines(source.text, start, end, (line) => {
    if (line.errors.length > 0) {
      // A rule must never be read with a part of it silently missing: report and skip the line.
      for (const err of line.errors) {
        const at = { source, start: err.offset, end: err.offset + err.length };
        diagnostics.push(diagnose('iptables/unexpected-character', at, source.text.slice(err.offset, err.offset + Math.min(err.length, 20))));
      }
      return;
    }
    if (line.tokens.length === 0) return;
    p.lineStart = line.start;
    p.lineEnd = line.end > line.start && source.text.charCodeAt(line.end - 1) === 13 ? line.end - 1 : line.end;
    p.input = line.tokens;
    const statement = p.statement();
    const error = p.errors[0];
    if (error) {
      const where = error.token;
      const at = Number.isFinite(where.startOffset) && where.startOffset >= 0
        ? { source, start: where.startOffset, end: where.startOffset + where.image.length }
        : { source, start: p.lineEnd, end: p.lineEnd };
      const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? 'statement';
      diagnostics.push(diagnose('iptables/syntax', at, expectations[rule] ?? 'a rule', describe(where)));
      return;
    }
    statements.push(statement);
    if (statement.kind === 'command' && statement.trailingComment) {
      diagnostics.push(diagnose('iptables/trailing-comment', { source, ...statement.trailingComment }));
    }
  });
  return { source, statements, diagnostics };
}
