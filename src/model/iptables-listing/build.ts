/**
 * From `iptables -L` syntax to an {@link IptablesListing}, with a warning that says it is a
 * listing and which command to run instead.
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { IptablesListingSyntax, ListingRowSyntax, WordSyntax } from '../../../grammar/iptables-listing/syntax.js';
import { parseCidr, type Family } from '../values/address.js';
import { instead } from './losses.js';
import type { IptablesListing, ListingChain, ListingFlags, ListingOperand, ListingRow } from './types.js';

function operand(word: WordSyntax): ListingOperand {
  // print_firewall prints a negation as `!` glued to the column (iptables/iptables.c).
  return word.text.startsWith('!') && word.text.length > 1 ? { text: word.text.slice(1), negated: true } : { text: word.text, negated: false };
}

function fragment(opt: WordSyntax | null): ListingRow['fragment'] {
  // Two characters: `!` or `-` for IPT_INV_FRAG, then `f` or `-` for IPT_F_FRAG.
  if (!opt || opt.text[1] !== 'f') return 'any';
  return opt.text[0] === '!' ? 'not-fragments' : 'fragments';
}

function buildRow(row: ListingRowSyntax): ListingRow {
  return {
    target: row.target?.text ?? null,
    protocol: operand(row.protocol),
    fragment: fragment(row.opt),
    ...(row.in ? { in: operand(row.in) } : {}),
    ...(row.out ? { out: operand(row.out) } : {}),
    source: operand(row.source),
    destination: operand(row.destination),
    ...(row.packets ? { packets: row.packets.text } : {}),
    ...(row.bytes ? { bytes: row.bytes.text } : {}),
    details: row.details?.text ?? '',
    comments: row.comments.map((c) => c.text),
    at: row.at,
  };
}

/** What the prompt's command says: family, `-t TABLE`, and a chain named after -L. */
function commandHints(command: string | null): { family: Family | null; table: string | null; chain: string | null } {
  const hints = { family: null as Family | null, table: null as string | null, chain: null as string | null };
  if (!command) return hints;
  const words = command.split(/\s+/).filter((w) => w.length > 0);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (/(^|\/)ip6tables(-legacy|-nft)?$/.test(w)) hints.family = 'ipv6';
    else if (/(^|\/)iptables(-legacy|-nft)?$/.test(w)) hints.family ??= 'ipv4';
    if (w === '-t' || w === '--table') hints.table = words[i + 1] ?? null;
    else if (/^-[a-zA-Z]*t[a-z]+$/.test(w) && !w.includes('L')) hints.table = w.slice(w.indexOf('t') + 1);
    if (w === '--list' || /^-[a-zA-Z]*L[a-zA-Z]*$/.test(w)) {
      const next = words[i + 1];
      if (next && !next.startsWith('-')) hints.chain = next;
    }
  }
  return hints;
}

/** The table whose built-in chains these are (net/ipv4/netfilter/iptable_*.c valid_hooks). */
function tableOfChains(names: ReadonlySet<string>): string | null {
  const has = (...chains: string[]): boolean => chains.every((c) => names.has(c));
  if (has('PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING')) return 'mangle';
  if (has('PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING')) return 'nat';
  if (has('PREROUTING', 'OUTPUT') && !names.has('INPUT')) return 'raw';
  if (has('INPUT', 'FORWARD', 'OUTPUT')) return 'filter';
  return null;
}

const NUMERIC_ANY = new Set(['0.0.0.0/0', '::/0']);

function flagsOf(syntax: IptablesListingSyntax, rows: readonly ListingRowSyntax[]): ListingFlags {
  const layouts = syntax.chains.map((c) => c.layout).filter((l) => l !== null);
  const verbose = layouts.some((l) => l.verbose) || syntax.chains.some((c) => c.policyPackets !== null);
  const lineNumbers = layouts.some((l) => l.lineNumbers);
  let numeric: boolean | null = null;
  let exact: boolean | null = null;
  for (const row of rows) {
    for (const column of [row.source, row.destination]) {
      const text = operand(column).text;
      // Without -n, iptables prints the any-address as `anywhere` and resolves the others.
      if (NUMERIC_ANY.has(text)) numeric ??= true;
      else if (!parseCidr(text)) numeric = false;
    }
    for (const counter of [row.packets, row.bytes]) {
      if (!counter) continue;
      // print_num: without -x, values above 99999 are printed divided, with K, M, G or T.
      if (/[KMGT]$/.test(counter.text)) exact = false;
      else if (Number(counter.text) > 99999) exact ??= true;
    }
  }
  return { verbose, numeric, lineNumbers, exact };
}

export function buildIptablesListing(syntax: IptablesListingSyntax): IptablesListing {
  const diagnostics: Diagnostic[] = [...syntax.diagnostics];
  const hints = commandHints(syntax.command);
  const chains: ListingChain[] = syntax.chains.map((c) => {
    const references = c.references && /^\d+$/.test(c.references.text) ? Number(c.references.text) : null;
    return {
      name: c.name.text,
      policy: c.policy?.text ?? null,
      references,
      ruleCount: c.rows.length,
      rows: c.rows.map(buildRow),
      at: c.at,
    };
  });
  const rows = syntax.chains.flatMap((c) => c.rows);
  let family = hints.family;
  if (!family) {
    for (const row of rows) {
      const parsed = parseCidr(operand(row.source).text) ?? parseCidr(operand(row.destination).text);
      if (parsed) {
        family = parsed.family;
        break;
      }
    }
  }
  const guessed = tableOfChains(new Set(chains.filter((c) => c.policy !== null).map((c) => c.name)));
  const table = hints.table ?? guessed;
  const listing: IptablesListing = {
    family,
    table,
    tableFrom: hints.table ? 'command' : guessed ? 'chains' : null,
    flags: flagsOf(syntax, rows),
    chains,
    command: syntax.command,
    listedChain: hints.chain,
    legacyTablesPresent: syntax.said.some((s) => s.includes('iptables-legacy tables present')),
    diagnostics,
  };
  if (chains.length > 0) {
    const command = syntax.command ?? `${family === 'ipv6' ? 'ip6tables' : 'iptables'}${table ? ` -t ${table}` : ''} -L${listing.flags.numeric ? ' -n' : ''}${listing.flags.verbose ? ' -v' : ''}`;
    diagnostics.push(diagnose('iptables-listing/not-a-ruleset', chains[0]!.at, command, instead(listing)));
  }
  return listing;
}
