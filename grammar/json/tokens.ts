/**
 * JSON tokens (RFC 8259), after Chevrotain's own JSON example (examples/grammars/json). Used for
 * `ip -j` output; kept general so other `-j`/`--json` outputs can use it.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

export const LCurly = createToken({ name: 'LCurly', pattern: /{/, label: "'{'" });
export const RCurly = createToken({ name: 'RCurly', pattern: /}/, label: "'}'" });
export const LSquare = createToken({ name: 'LSquare', pattern: /\[/, label: "'['" });
export const RSquare = createToken({ name: 'RSquare', pattern: /]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const True = createToken({ name: 'True', pattern: /true/, label: 'true' });
export const False = createToken({ name: 'False', pattern: /false/, label: 'false' });
export const Null = createToken({ name: 'Null', pattern: /null/, label: 'null' });
/** A string with JSON's escapes; control characters are not allowed inside (RFC 8259 §7). */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: /"(?:[^\\"\u0000-\u001f]|\\(?:[bfnrt"\\/]|u[0-9a-fA-F]{4}))*"/,
  label: 'a string',
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'a number',
});
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\n\r]+/, group: Lexer.SKIPPED });

export const allTokens: TokenType[] = [
  WhiteSpace,
  NumberLiteral,
  StringLiteral,
  LCurly,
  RCurly,
  LSquare,
  RSquare,
  Comma,
  Colon,
  True,
  False,
  Null,
];

export const jsonLexer = new Lexer(allTokens, { positionTracking: 'onlyOffset' });
