/**
 * Non-throwing entry point of the ipvsadm grammar: text in, line statements and located
 * diagnostics out. The text is lexed once; its tokens are then handed to the parser one line at
 * a time, so a line that does not parse yields one error and the next line is read as if nothing
 * happened.
 */
import type { ILexingError, IToken } from 'chevrotain';
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { toSourceRef, type SourceText } from '../source.js';
import { IpvsadmParser } from './parser.js';
import type { IpvsadmSyntax, IpvsLineSyntax } from './syntax.js';
import { ipvsadmLexer } from './tokens.js';

/** Parse only `source.text.slice(start, end)`; positions still point into the whole source. */
export interface ParseRange {
  readonly start?: number;
  readonly end?: number;
}

let parser: IpvsadmParser | undefined;

function describe(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the line';
  const image = token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image;
  return JSON.stringify(image);
}

/** What each grammar rule expects, for "expected … but found …". */
const expectations: Record<string, string> = {
  line: 'an ipvsadm line (a virtual service such as "TCP  10.96.0.1:443 rr", a real server "  -> 10.244.0.3:53 Masq 1 0 0", a title line, or a restore command such as "-A -t 10.96.0.1:443 -s rr")',
  bannerLine: 'a version and "(size=N)" after "IP Virtual Server version"',
  timeoutLine: 'three timeouts in seconds (tcp tcpfin udp)',
  serviceTitle: 'the column titles ipvsadm prints after "Prot LocalAddress:Port" (Scheduler Flags, or the --stats, --rate, --thresholds or --persistent-conn columns)',
  arrowLine: 'a real server address:port or "RemoteAddress:Port" after "->"',
  serverEntry: 'the real server columns (Forward Weight ActiveConn InActConn, or the numbers of --stats, --rate, --thresholds or --persistent-conn)',
  serviceLine: 'a scheduler and its flags, or the five counters of --stats/--rate',
  serviceId: 'a protocol and address:port ("TCP  10.96.0.1:443") or a firewall mark ("FWM  4711")',
  schedulerColumn: 'a scheduler, then optionally (flags), "persistent N", "mask M", "pe NAME" and "ops"',
  commandLine: 'ipvsadm options such as -A -t 10.96.0.1:443 -s rr',
  optionClause: 'an ipvsadm option such as -t, -r, -s, -w or -m',
  optionValue: 'an option argument after the comma',
};

const CR = 13;

export function parseIpvsadmText(source: SourceText, range: ParseRange = {}): IpvsadmSyntax {
  parser ??= new IpvsadmParser();
  const p = parser;
  const text = source.text;
  const start = range.start ?? 0;
  const end = range.end ?? text.length;
  const diagnostics: Diagnostic[] = [];
  const lines: IpvsLineSyntax[] = [];
  p.source = source;

  const lexed = ipvsadmLexer.tokenize(start === 0 && end === text.length ? text : text.slice(start, end));
  const tokens = start === 0 ? lexed.tokens : lexed.tokens.map((t) => shift(t, start));
  const errors: readonly ILexingError[] = lexed.errors;

  let ti = 0;
  let ei = 0;
  let lineStart = start;
  const lineTokens: IToken[] = [];
  while (lineStart <= end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    lineTokens.length = 0;
    while (ti < tokens.length && tokens[ti]!.startOffset < lineEnd) lineTokens.push(tokens[ti++]!);
    let lineError: ILexingError | undefined;
    while (ei < errors.length && errors[ei]!.offset + start < lineEnd) {
      lineError ??= errors[ei];
      ei++;
    }
    const contentEnd = lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === CR ? lineEnd - 1 : lineEnd;
    if (lineError) {
      // A line is never read with a part of it silently missing: report and skip it.
      const offset = lineError.offset + start;
      const at = { source, start: offset, end: offset + Math.max(1, lineError.length) };
      diagnostics.push(diagnose('ipvs/unexpected-character', at, text.slice(offset, offset + Math.min(lineError.length, 20))));
    } else if (lineTokens.length > 0) {
      p.lineStart = lineStart;
      p.lineEnd = contentEnd;
      p.input = lineTokens;
      const statement = p.line();
      const error = p.errors[0];
      if (error) {
        const where = error.token;
        // An EOF token (the line ended too early) has no offset: point at the end of the line.
        const at = toSourceRef(source, where, 0, { source, start: contentEnd, end: contentEnd });
        const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? 'line';
        diagnostics.push(diagnose('ipvs/syntax', at, expectations[rule] ?? expectations.line!, describe(where)));
      } else {
        lines.push(statement);
        if (statement.kind === 'prompt') diagnostics.push(diagnose('ipvs/prompt-line', statement.at, statement.text));
        else if (statement.kind === 'elision') diagnostics.push(diagnose('ipvs/elided-output', statement.at));
      }
    }
    if (lineEnd >= end) break;
    lineStart = lineEnd + 1;
  }
  return { source, lines, diagnostics };
}

/** A token of a lexed slice, moved to its offset in the whole source. */
function shift(token: IToken, by: number): IToken {
  return { ...token, startOffset: token.startOffset + by, endOffset: (token.endOffset ?? token.startOffset + token.image.length - 1) + by };
}
