/**
 * Tokens of `iptables -L` / `ip6tables -L` listings (`-n`, `-v`, `-x`, `--line-numbers`), as
 * iptables/iptables.c print_header and print_firewall print them.
 *
 * A `Chain NAME (…)` line is lexed in a mode of its own, where `(`, `)` and `,` are tokens; on
 * rule rows they are ordinary characters of the match summary (`ctstate RELATED,ESTABLISHED`).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { atLineStart, Newline, Prompt } from '../iproute/prompt.js';

export { Newline, Prompt };

/** Anything a rule row may hold in its columns or its match summary. */
export const Text = createToken({ name: 'ListingText', pattern: Lexer.NA });
export const Word = createToken({ name: 'ListingWord', pattern: /[^\s]+/, categories: [Text] });
export const Blank = createToken({ name: 'ListingBlank', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
export const HeaderNewline = createToken({ name: 'HeaderNewline', pattern: /\n/, line_breaks: true, pop_mode: true, categories: [Newline] });

/**
 * What iptables says besides the listing: iptables-nft's `# Warning: iptables-legacy tables
 * present, use iptables-legacy to see them`, and errors such as `iptables: No chain/target/match
 * by that name.` or `iptables v1.8.7 (nf_tables): …`.
 */
export const Said = createToken({
  name: 'ListingSaid',
  pattern: { exec: atLineStart(/(?:# Warning:|ip6?tables(?:-legacy|-nft)?(?: v[\d.]+(?: \([\w_]+\))?)?:)[^\r\n]*/y) },
  line_breaks: false,
  start_chars_hint: ['#', 'i'],
});
/** `Chain` at the start of a line: the rest of the line is a chain header. */
export const ChainKw = createToken({
  name: 'ChainKw',
  pattern: { exec: atLineStart(/Chain(?=[ \t])/y) },
  line_breaks: false,
  start_chars_hint: ['C'],
  push_mode: 'chain',
});
/** `/* comment *\/` as the comment match prints it. */
export const Comment = createToken({ name: 'ListingComment', pattern: /\/\*.*?\*\//, categories: [Text] });
/** The opt column: `--`, `-f`, `!f` (fragment flag and its negation). */
export const Opt = createToken({ name: 'Opt', pattern: /[-!][-f]/, longer_alt: Word, categories: [Text] });

function column(name: string): TokenType {
  return createToken({ name: `Col_${name}`, pattern: new RegExp(name), longer_alt: Word, categories: [Text] });
}
export const NumCol = column('num');
export const PktsCol = column('pkts');
export const BytesCol = column('bytes');
export const TargetCol = column('target');
export const ProtCol = column('prot');
export const OptCol = column('opt');
export const InCol = column('in');
export const OutCol = column('out');
export const SourceCol = column('source');
export const DestinationCol = column('destination');

// The chain header mode: `Chain NAME (policy ACCEPT 0 packets, 0 bytes)` / `(2 references)`.
export const HeaderBlank = createToken({ name: 'HeaderBlank', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
export const LParen = createToken({ name: 'LParen', pattern: /\(/ });
export const RParen = createToken({ name: 'RParen', pattern: /\)/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });
export const HeaderWord = createToken({ name: 'HeaderWord', pattern: /[^\s(),]+/ });
export const PolicyKw = createToken({ name: 'PolicyKw', pattern: /policy/, longer_alt: HeaderWord });
export const PacketsKw = createToken({ name: 'PacketsKw', pattern: /packets/, longer_alt: HeaderWord });
export const BytesKw = createToken({ name: 'BytesKw', pattern: /bytes/, longer_alt: HeaderWord });
export const ReferencesKw = createToken({ name: 'ReferencesKw', pattern: /references/, longer_alt: HeaderWord });

const columns = [NumCol, PktsCol, BytesCol, TargetCol, ProtCol, OptCol, InCol, OutCol, SourceCol, DestinationCol];

export const listingLexer = new Lexer(
  {
    defaultMode: 'row',
    modes: {
      row: [Newline, Said, Prompt, ChainKw, Blank, Comment, Opt, ...columns, Word],
      chain: [HeaderNewline, HeaderBlank, LParen, RParen, Comma, PolicyKw, PacketsKw, BytesKw, ReferencesKw, HeaderWord],
    },
  },
  { positionTracking: 'onlyOffset', ensureOptimizations: false },
);

export const allTokens: TokenType[] = [
  Newline, HeaderNewline, Said, Prompt, ChainKw, Blank, Comment, Opt, ...columns, Word, Text,
  HeaderBlank, LParen, RParen, Comma, PolicyKw, PacketsKw, BytesKw, ReferencesKw, HeaderWord,
];
