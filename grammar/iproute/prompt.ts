/**
 * Tokens that only match at the start of a line, shared by the line-oriented grammars: a shell
 * prompt line pasted with the output (`$ ip route`, `# ip -4 a s`, `root@node:~# sysctl -a`) and
 * the indentation that marks a continuation line of `ip addr`.
 */
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';

/** A custom matcher for `re` (which must be sticky) that only tries at the start of a line. */
export function atLineStart(re: RegExp): CustomPatternMatcherFunc {
  return (text, offset) => {
    if (offset > 0 && text.charCodeAt(offset - 1) !== 10) return null;
    re.lastIndex = offset;
    return re.exec(text);
  };
}

/**
 * `[$#] command` at the start of a line, optionally after `user@host:dir`, `[user@host dir]` or
 * `host:dir`; the whole line is the token. A lone `$`/`#` line is a prompt too.
 */
const promptPattern =
  /(?:\[[^\]\r\n]*\][ \t]*|[\w.-]+@[\w.-]+(?::[^\s$#]*)?(?:[ \t]+[^\s$#]+)?[ \t]*|[\w.-]+:[~/][^\s$#]*[ \t]*)?[$#](?:[ \t][^\r\n]*)?(?=\r?\n|$)/y;

export const Prompt: TokenType = createToken({
  name: 'Prompt',
  pattern: { exec: atLineStart(promptPattern) },
  line_breaks: false,
  start_chars_hint: [...'$#[abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-'],
});

/** Leading blanks of a line: `ip addr` indents every line that belongs to the interface above. */
export const Indent: TokenType = createToken({
  name: 'Indent',
  pattern: { exec: atLineStart(/[ \t]+(?=[^\s])/y) },
  line_breaks: false,
  start_chars_hint: [' ', '\t'],
});

/** Blanks anywhere else. */
export const Blank: TokenType = createToken({ name: 'Blank', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });

export const Newline: TokenType = createToken({ name: 'Newline', pattern: /\n/, line_breaks: true });

/** The command of a prompt line, as typed: `ip -4 a s` for `# ip -4 a s`. */
export function promptCommand(image: string): string {
  const at = image.search(/[$#](?:[ \t]|$)/);
  return at < 0 ? image.trim() : image.slice(at + 1).trim();
}
