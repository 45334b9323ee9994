/**
 * Non-throwing entry point of the ipset grammar: text in, statements and located diagnostics out.
 *
 * The text is lexed once, then handed to the parser a line at a time, so one bad line yields one
 * error and the next line is read as if nothing happened. `ipset list` output is stateful — after
 * `Members:` every line is a member until a blank line (ipset prints one between sets) — so this
 * driver tracks the open listing and gathers its lines into one {@link ListingSyntax}.
 */
import type { ILexingError, IToken } from 'chevrotain';
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { toSourceRef, type SourceRef, type SourceText } from '../source.js';
import { IpsetParser } from './parser.js';
import { Command, HashComment, ipsetLexer, Label, Newline, Prompt } from './tokens.js';
import type {
  IpsetLineSyntax,
  IpsetStatementSyntax,
  IpsetSyntax,
  ListFieldName,
  ListFieldSyntax,
  ListHeaderSyntax,
  ListingSyntax,
  MemberSyntax,
  WordSyntax,
} from './syntax.js';

/** Parse only `source.text.slice(start, end)`; positions still point into the whole source. */
export interface ParseRange {
  readonly start?: number;
  readonly end?: number;
}

let parser: IpsetParser | undefined;

/** What each grammar rule expects, for "expected … but found …". */
const expectations: Record<string, string> = {
  statement:
    'an ipset command (create, add, del, flush, destroy, rename, swap, COMMIT) or an `ipset list` line (Name:, Type:, Header:, Members:, …)',
  createCommand: 'a set name and a set type after create (create NAME TYPE [options])',
  entryCommand: 'a set name and an element (add NAME ELEMENT [options])',
  setCommand: 'at most one set name',
  pairCommand: 'two set names',
  listField: 'one value after the label',
  setWord: 'a set name or type',
  headerLine: 'set options (family inet hashsize 1024 …)',
  member: 'one element and its options (10.0.0.1,tcp:80 timeout 30)',
  element: 'an element part after ","',
  setOption: 'a set option',
  entryOption: 'an element option (timeout, packets, bytes, comment, nomatch, …)',
};

const labelText: Record<ListFieldName, string> = {
  name: 'Name:',
  type: 'Type:',
  revision: 'Revision:',
  'size-in-memory': 'Size in memory:',
  references: 'References:',
  entries: 'Number of entries:',
};

function describe(token: IToken): string {
  if (token.tokenType.name === 'EOF') return 'the end of the line';
  const image = token.image.length > 40 ? `${token.image.slice(0, 40)}…` : token.image;
  return JSON.stringify(image);
}

/** A listing being read: header fields as they come, then members. */
interface OpenListing {
  readonly index: number;
  readonly name: WordSyntax;
  readonly at: SourceRef;
  fields: Partial<Record<Exclude<ListFieldName, 'name'>, ListFieldSyntax>>;
  header: ListHeaderSyntax | null;
  members: MemberSyntax[] | null;
  membersAt: SourceRef | null;
}

function isA(token: IToken | undefined, category: { tokenTypeIdx?: number }): boolean {
  if (!token) return false;
  const type = token.tokenType;
  return type === category || (type.CATEGORIES?.some((c) => c === category) ?? false);
}

export function parseIpsetText(source: SourceText, range: ParseRange = {}): IpsetSyntax {
  parser ??= new IpsetParser();
  const p = parser;
  const start = range.start ?? 0;
  const end = range.end ?? source.text.length;
  const diagnostics: Diagnostic[] = [];
  const statements: (IpsetStatementSyntax | null)[] = [];
  const lexed = ipsetLexer().tokenize(source.text.slice(start, end));
  p.source = source;
  p.base = start;

  let open: OpenListing | null = null;

  const close = (): void => {
    if (!open) return;
    const f = open.fields;
    const listing: ListingSyntax = {
      kind: 'listing',
      name: open.name,
      type: f.type ?? null,
      revision: f.revision ?? null,
      header: open.header,
      sizeInMemory: f['size-in-memory'] ?? null,
      references: f.references ?? null,
      entries: f.entries ?? null,
      members: open.members,
      membersAt: open.membersAt,
      at: open.at,
    };
    statements[open.index] = listing;
    open = null;
  };

  const parseLine = (tokens: IToken[], lineStart: number, lineEnd: number): void => {
    p.lineStart = lineStart;
    p.lineEnd = lineEnd;
    p.input = tokens;
    const first = tokens[0];
    // After "Members:", every line is a member, except what clearly starts something else:
    // a new listing, a listing label, a prompt, a comment or a restore command (so a list:set
    // member named like a command, `add`, must be followed by a blank line, as ipset prints it).
    const inMembers = open?.members != null;
    const asMember =
      inMembers && !isA(first, Label) && !isA(first, Command) && first?.tokenType !== Prompt && first?.tokenType !== HashComment;
    const result = asMember ? p.member() : p.statement();
    const error = p.errors[0];
    if (error) {
      const where = error.token;
      // The end of the line stands in for Chevrotain's EOF token, which has no position.
      const at = toSourceRef(source, where, start, { source, start: lineEnd, end: lineEnd });
      const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? (asMember ? 'member' : 'statement');
      diagnostics.push(diagnose('ipset/syntax', at, expectations[rule] ?? 'an ipset line', describe(where)));
      return;
    }
    if (asMember) {
      open!.members!.push(result as MemberSyntax);
      return;
    }
    accept(result as IpsetLineSyntax);
  };

  const accept = (line: IpsetLineSyntax): void => {
    switch (line.kind) {
      case 'field': {
        if (line.field === 'name') {
          close();
          open = { index: statements.length, name: line.value, at: line.at, fields: {}, header: null, members: null, membersAt: null };
          statements.push(null);
          return;
        }
        if (!open) {
          diagnostics.push(diagnose('ipset/field-outside-listing', line.at, labelText[line.field]));
          return;
        }
        if (open.fields[line.field]) diagnostics.push(diagnose('ipset/duplicate-field', line.at, labelText[line.field], open.name.text));
        open.fields[line.field] = { value: line.value, at: line.at };
        return;
      }
      case 'header':
        if (!open) {
          diagnostics.push(diagnose('ipset/field-outside-listing', line.at, 'Header:'));
          return;
        }
        if (open.header) diagnostics.push(diagnose('ipset/duplicate-field', line.at, 'Header:', open.name.text));
        open.header = { options: line.options, at: line.at };
        return;
      case 'members-label':
        if (!open) {
          diagnostics.push(diagnose('ipset/field-outside-listing', line.at, 'Members:'));
          return;
        }
        if (open.members) diagnostics.push(diagnose('ipset/duplicate-field', line.at, 'Members:', open.name.text));
        open.members ??= [];
        open.membersAt = line.at;
        return;
      case 'prompt':
        // A prompt starts the output of another command: whatever listing was open is complete.
        close();
        diagnostics.push(diagnose('ipset/prompt-line', line.at, line.text));
        statements.push(line);
        return;
      case 'comment':
        statements.push(line);
        return;
      case 'create':
      case 'add':
      case 'del':
      case 'flush':
      case 'destroy':
      case 'rename':
      case 'swap':
      case 'commit':
        close();
        statements.push(line);
        return;
    }
  };

  const errors: readonly ILexingError[] = lexed.errors;
  let errorIndex = 0;
  let lineTokens: IToken[] = [];
  let lineStart = start;

  const endLine = (lineBreak: number): void => {
    // `lineBreak` is the source offset of the line's `\n` (or the end of the range).
    const lineEnd = lineBreak > lineStart && source.text.charCodeAt(lineBreak - 1) === 13 ? lineBreak - 1 : lineBreak;
    let bad = false;
    while (errorIndex < errors.length && errors[errorIndex]!.offset + start < lineBreak) {
      const err = errors[errorIndex++]!;
      const at = { source, start: err.offset + start, end: err.offset + start + err.length };
      diagnostics.push(diagnose('ipset/unexpected-character', at, source.text.slice(at.start, Math.min(at.end, at.start + 20))));
      bad = true;
    }
    // A member or command must never be read with a part of it silently missing: skip the line.
    if (!bad) {
      // A blank line ends a listing: ipset list prints one between sets.
      if (lineTokens.length === 0) close();
      else parseLine(lineTokens, lineStart, lineEnd);
    }
    lineTokens = [];
    lineStart = lineBreak + 1;
  };

  for (const token of lexed.tokens) {
    if (token.tokenType === Newline) {
      endLine(token.startOffset + start + token.image.length - 1);
      continue;
    }
    lineTokens.push(token);
  }
  if (lineStart <= end) endLine(end);
  close();

  return { source, statements: statements.filter((s): s is IpsetStatementSyntax => s !== null), diagnostics };
}
