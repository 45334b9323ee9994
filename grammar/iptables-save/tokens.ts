/**
 * Tokens of iptables-save / iptables-restore text.
 *
 * The line is the unit of the format (iptables-restore reads it line by line), so line breaks
 * are tokens; spaces and tabs are skipped. Word-like tokens that can also stand as an option
 * value (`*nat`, `:CHAIN`, `[0:0]`, `COMMIT`, quoted strings) share the `Value` category, so the
 * parser can accept any of them where iptables accepts an argument.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Anything that can follow an option name: its values, and an old-style `!`. */
export const Argument = createToken({ name: 'Argument', pattern: Lexer.NA });
export const Value = createToken({ name: 'Value', pattern: Lexer.NA, categories: [Argument] });
export const Option = createToken({ name: 'Option', pattern: Lexer.NA });

export const Newline = createToken({ name: 'Newline', pattern: /\r?\n/, line_breaks: true });
export const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
/** `#` to the end of the line; iptables-restore treats a line starting with it as a comment. */
export const Comment = createToken({ name: 'Comment', pattern: /#[^\r\n]*/ });
/** A double-quoted string as iptables-save prints it: `\"` and `\\` are escapes. */
export const Quoted = createToken({ name: 'Quoted', pattern: /"(?:[^"\\\r\n]|\\.)*"/, categories: [Value] });
/** Any other run of printable characters. */
export const Word = createToken({ name: 'Word', pattern: /[!#-~\u0080-\uffff]+/, categories: [Value] });
/** `[packets:bytes]`, before a rule (iptables-save -c) or after a chain's policy. */
export const Counters = createToken({ name: 'Counters', pattern: /\[\d+:\d+\]/, longer_alt: Word, categories: [Value] });
/** `*table` */
export const TableName = createToken({ name: 'TableName', pattern: /\*[A-Za-z0-9_-]+/, longer_alt: Word, categories: [Value] });
/** `:CHAIN` */
export const ChainName = createToken({ name: 'ChainName', pattern: /:[!#-~\u0080-\uffff]+/, categories: [Value] });
export const Commit = createToken({ name: 'Commit', pattern: /COMMIT/, longer_alt: Word, categories: [Value] });
/** A lone `!`: negates the option after it (or, in old dumps, the value after it). */
export const Bang = createToken({ name: 'Bang', pattern: /!/, longer_alt: Word, categories: [Argument] });
/** The commands iptables-restore accepts at the start of a line: -A -I -D -R -N -X -F -P -Z -E. */
export const CommandOpt = createToken({ name: 'CommandOpt', pattern: /-[ADEFINPRXZ]/, longer_alt: Word, categories: [Option] });
/** `-s`, `-j`, … */
export const ShortOpt = createToken({ name: 'ShortOpt', pattern: /-[A-Za-z]/, longer_alt: Word, categories: [Option] });
/** `--dport`, `--to-destination`, … */
export const LongOpt = createToken({ name: 'LongOpt', pattern: /--[A-Za-z0-9][A-Za-z0-9_.-]*/, longer_alt: Word, categories: [Option] });

/** Lexing order matters where patterns overlap: specific forms before `Word`. */
export const allTokens: TokenType[] = [
  Newline,
  Blank,
  Comment,
  Quoted,
  Counters,
  TableName,
  ChainName,
  Commit,
  Bang,
  CommandOpt,
  LongOpt,
  ShortOpt,
  Word,
  Argument,
  Value,
  Option,
];
