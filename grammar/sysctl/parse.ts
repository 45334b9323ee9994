/**
 * Non-throwing entry point for sysctl text. Each line is parsed on its own; a line that does not
 * parse gives one located error, comments are skipped, prompt lines noted.
 */
import type { IToken } from 'chevrotain';
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { errorSite } from '../iproute/line-parser.js';
import { lexLines, type ParseRange } from '../iproute/lines.js';
import { promptCommand } from '../iproute/prompt.js';
import { toSourceRef, type SourceText } from '../source.js';
import { SysctlParser } from './parser.js';
import type { SysctlComplaintSyntax, SysctlSettingSyntax, SysctlSyntax } from './syntax.js';
import { Comment, Newline, Prompt, sysctlLexer } from './tokens.js';

let parser: SysctlParser | undefined;

export function parseSysctlText(source: SourceText, range: ParseRange = {}): SysctlSyntax {
  parser ??= new SysctlParser();
  const p = parser;
  const lexed = lexLines(sysctlLexer, Newline, source, range);
  const diagnostics: Diagnostic[] = [];
  const settings: SysctlSettingSyntax[] = [];
  const complaints: SysctlComplaintSyntax[] = [];
  for (const line of lexed.lines) {
    const error = line.errors[0];
    if (error) {
      diagnostics.push(diagnose('sysctl/unexpected-character', { source, start: error.offset, end: error.offset + error.length }, source.text.slice(error.offset, error.offset + Math.min(error.length, 20))));
      continue;
    }
    const first = line.tokens[0] as IToken;
    if (first.tokenType === Comment) continue;
    if (first.tokenType === Prompt) {
      diagnostics.push(diagnose('sysctl/prompt-line', toSourceRef(source, first, lexed.base), promptCommand(first.image)));
      continue;
    }
    p.source = source;
    p.base = lexed.base;
    p.lineStart = line.start;
    p.lineEnd = line.end;
    p.input = line.tokens as IToken[];
    const parsed = p.line();
    const failure = p.errors[0];
    if (failure) {
      const site = errorSite(source, failure, lexed.base, line.end);
      diagnostics.push(diagnose('sysctl/syntax', site.at, '"key = value"', site.found));
      continue;
    }
    if (parsed.kind === 'setting') settings.push(parsed.setting);
    else {
      complaints.push(parsed.complaint);
      diagnostics.push(diagnose('sysctl/sysctl-said', parsed.complaint.at, parsed.complaint.text.slice('sysctl: '.length)));
    }
  }
  return { source, settings, complaints, diagnostics };
}
