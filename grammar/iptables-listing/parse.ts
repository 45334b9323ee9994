/**
 * Non-throwing entry point for `iptables -L` / `ip6tables -L` listings. The listing is read so
 * that iptlens can recognise it and say what it lacks; a line that does not parse gives one
 * located error and the next is read.
 */
import type { IToken } from 'chevrotain';
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { errorSite } from '../iproute/line-parser.js';
import { lexLines, type ParseRange } from '../iproute/lines.js';
import { promptCommand } from '../iproute/prompt.js';
import { toSourceRef, type SourceText } from '../source.js';
import { IptablesListingParser } from './parser.js';
import type { IptablesListingSyntax, ListingChainSyntax, ListingLayout, ListingRowSyntax } from './syntax.js';
import { listingLexer, Newline, Opt, Prompt, Said } from './tokens.js';

let parser: IptablesListingParser | undefined;

const expectations: Record<string, string> = {
  line: 'a "Chain NAME (…)" line, a column header or a rule row',
  chain: 'a chain header "Chain NAME (policy ACCEPT …)" or "Chain NAME (N references)"',
  header: 'a column header "target prot opt source destination"',
  row: 'a rule row (target, prot, opt, source, destination)',
};

interface ChainDraft {
  readonly chain: Omit<ListingChainSyntax, 'rows' | 'layout'>;
  layout: ListingLayout | null;
  readonly rows: ListingRowSyntax[];
}

/**
 * The layout a row implies when its chain's column header is missing, from the columns before
 * the opt column: [num] [pkts bytes] [target] prot. A guess where a blank target makes counts
 * overlap; the column header, when there, decides.
 */
function guessLayout(tokens: readonly IToken[]): ListingLayout {
  const beforeOpt = tokens.findIndex((t) => t.tokenType === Opt);
  return { lineNumbers: beforeOpt === 3 || beforeOpt === 5, verbose: beforeOpt >= 4 };
}

export function parseIptablesListingText(source: SourceText, range: ParseRange = {}): IptablesListingSyntax {
  parser ??= new IptablesListingParser();
  const p = parser;
  const lexed = lexLines(listingLexer, Newline, source, range);
  const diagnostics: Diagnostic[] = [];
  const chains: ChainDraft[] = [];
  const said: string[] = [];
  let command: string | null = null;
  let current: ChainDraft | null = null;
  for (const line of lexed.lines) {
    const error = line.errors[0];
    if (error) {
      diagnostics.push(diagnose('iptables-listing/unexpected-character', { source, start: error.offset, end: error.offset + error.length }, source.text.slice(error.offset, error.offset + Math.min(error.length, 20))));
      continue;
    }
    const first = line.tokens[0] as IToken;
    const firstAt = toSourceRef(source, first, lexed.base);
    if (first.tokenType === Said) {
      const text = first.image.trim();
      said.push(text);
      diagnostics.push(diagnose('iptables-listing/iptables-said', firstAt, text));
      continue;
    }
    if (first.tokenType === Prompt) {
      const cmd = promptCommand(first.image);
      command = cmd || command;
      diagnostics.push(diagnose('iptables-listing/prompt-line', firstAt, cmd));
      continue;
    }
    p.source = source;
    p.base = lexed.base;
    p.lineStart = line.start;
    p.lineEnd = line.end;
    p.layout = current?.layout ?? guessLayout(line.tokens);
    p.input = line.tokens as IToken[];
    const parsed = p.line();
    const failure = p.errors[0];
    if (failure) {
      const site = errorSite(source, failure, lexed.base, line.end);
      const rule = failure.context.ruleStack[failure.context.ruleStack.length - 1] ?? 'line';
      diagnostics.push(diagnose('iptables-listing/syntax', site.at, expectations[rule] ?? 'a listing line', site.found));
      continue;
    }
    const at = { source, start: line.start, end: line.end };
    switch (parsed.kind) {
      case 'chain':
        current = {
          chain: { name: parsed.name, policy: parsed.policy, policyPackets: parsed.packets, policyBytes: parsed.bytes, references: parsed.references, at },
          layout: null,
          rows: [],
        };
        chains.push(current);
        break;
      case 'header':
        if (current) current.layout = parsed.layout;
        break;
      case 'row':
        if (!current) diagnostics.push(diagnose('iptables-listing/row-outside-chain', at));
        else current.rows.push(parsed.row);
        break;
    }
  }
  return {
    source,
    chains: chains.map((c) => ({ ...c.chain, layout: c.layout, rows: c.rows })),
    command,
    said,
    diagnostics,
  };
}
