/**
 * Tokens of sysctl text: `sysctl -a` output (`key = value`), sysctl.conf(5) lines (`key=value`,
 * `# comment`, `; comment`, `-key = value`), and `grep . /proc/sys/net/ipv4/conf/*\/rp_filter`
 * output (`/proc/sys/…/rp_filter:1`).
 *
 * A value runs to the end of the line and may hold blanks (`fs.file-nr = 513	0	2466177`), so
 * `=` (or the `:` after a /proc path) enters a `value` lexer mode that the line break leaves.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { Newline as LineBreak, Prompt } from '../iproute/prompt.js';

export { Prompt };

export const Newline: TokenType = LineBreak;
/** A line break that also leaves the value mode. */
export const ValueNewline = createToken({ name: 'ValueNewline', pattern: /\n/, line_breaks: true, pop_mode: true, categories: [Newline] });
export const Blank = createToken({ name: 'SysctlBlank', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
/** sysctl.conf(5): lines starting with `#` or `;` are comments. */
export const Comment = createToken({ name: 'SysctlComment', pattern: /[#;][^\n]*/ });
/** sysctl's own complaints, printed to stderr and often pasted with the rest. */
export const SysctlSaid = createToken({ name: 'SysctlSaid', pattern: /sysctl: [^\n]*/ });
/** `/proc/sys/net/ipv4/ip_forward` (the path form that `grep . /proc/sys/…` prints before `:`). */
export const ProcPath = createToken({ name: 'ProcPath', pattern: /\/proc\/sys\/[^\s:=]+/ });
/** A key in dotted (`net.ipv4.ip_forward`) or slash (`net/ipv4/ip_forward`) form; `-` = ignore failure. */
export const Key = createToken({ name: 'Key', pattern: /-?[A-Za-z0-9_*][^\s=:]*/ });
export const Equals = createToken({ name: 'Equals', pattern: /=/, push_mode: 'value' });
export const Colon = createToken({ name: 'Colon', pattern: /:/, push_mode: 'value' });
/** The rest of the line; trailing blanks are trimmed by the parser. */
export const Value = createToken({ name: 'Value', pattern: /[^\s][^\r\n]*/ });

export const sysctlLexer = new Lexer(
  {
    defaultMode: 'line',
    modes: {
      line: [Newline, Comment, Prompt, Blank, SysctlSaid, ProcPath, Key, Equals, Colon],
      value: [ValueNewline, Blank, Value],
    },
  },
  { positionTracking: 'onlyOffset', ensureOptimizations: false },
);

export const allTokens: TokenType[] = [Newline, ValueNewline, Comment, Prompt, Blank, SysctlSaid, ProcPath, Key, Equals, Colon, Value];
