/**
 * Tokens of `ipset save` / `ipset restore` text and of `ipset list` output (`-o plain` and
 * `-o save` alike).
 *
 * The line is the unit of both forms (ipset restore reads line by line, `ipset list` prints one
 * header field or one member per line), so line breaks are tokens; spaces and tabs are skipped.
 * Every word-like token (keywords, labels, plain words) belongs to the `Text` category, so a set
 * or an interface that happens to be called `timeout` or `add` is still a valid name or member.
 *
 * ipset itself splits a line into argv on blanks and honours double quotes (lib/ipset.c
 * build_argv); the comma inside an element (`10.0.0.1,tcp:80`) is ipset's dimension separator
 * (lib/parse.c), so it is a token of its own here.
 */
import { createToken, Lexer, type CustomPatternMatcherFunc, type TokenType } from 'chevrotain';

/** Any word: keywords, labels and plain words. */
export const Text = createToken({ name: 'Text', pattern: Lexer.NA });
/** The commands ipset restore accepts at the start of a line. */
export const Command = createToken({ name: 'Command', pattern: Lexer.NA, categories: [Text] });
/** `Name:`, `Type:`, … of `ipset list`. */
export const Label = createToken({ name: 'Label', pattern: Lexer.NA, categories: [Text] });

export const Newline = createToken({ name: 'Newline', pattern: /\r?\n/, line_breaks: true });
export const Blank = createToken({ name: 'Blank', pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });

/** True when only blanks stand between the start of the line and `offset`. */
function atLineStart(text: string, offset: number): boolean {
  for (let i = offset - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** A matcher for `first` at the start of a line, running to the end of the line. */
function wholeLineFrom(first: string, needsBlankAfter: boolean): CustomPatternMatcherFunc {
  const code = first.charCodeAt(0);
  return (text, offset) => {
    if (text.charCodeAt(offset) !== code || !atLineStart(text, offset)) return null;
    const next = text.charCodeAt(offset + 1);
    if (needsBlankAfter && !(Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13)) return null;
    let end = offset + 1;
    while (end < text.length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
    return [text.slice(offset, end)];
  };
}

/**
 * `$ ipset list …`: a shell prompt pasted with the output (documentation, tickets). Only at the
 * start of a line and followed by a blank, so a `$` inside a name is still a word.
 */
export const Prompt = createToken({
  name: 'Prompt',
  pattern: { exec: wholeLineFrom('$', true) },
  line_breaks: false,
  start_chars_hint: ['$'],
});
/** `# …` at the start of a line: ipset restore skips such lines (lib/ipset.c restore()). */
export const HashComment = createToken({
  name: 'HashComment',
  pattern: { exec: wholeLineFrom('#', false) },
  line_breaks: false,
  start_chars_hint: ['#'],
});

/**
 * `"…"`: a member comment. ipset prints the comment between quotes as stored, without escapes
 * (lib/print.c ipset_print_comment), and the kernel refuses a `"` inside one.
 */
export const Quoted = createToken({ name: 'Quoted', pattern: /"[^"\r\n]*"/ });
export const Comma = createToken({ name: 'Comma', pattern: /,/ });

/**
 * Any other run of printable characters up to a blank, a comma or a quote. Written as ranges
 * (not `[^\s,"]`) so that Chevrotain can use its first-character optimisation.
 */
export const Word = createToken({ name: 'Word', pattern: /[!#-+\--~\u0080-\uffff]+/, categories: [Text] });

function keyword(name: string, pattern: RegExp, categories: TokenType[]): TokenType {
  return createToken({ name, pattern, longer_alt: Word, categories });
}

// Commands, in the spellings ipset accepts (lib/ipset.c ipset_commands[]). ipset save prints only
// `create` and `add`; restore scripts (Calico's, kube-proxy's) also use the others.
export const Create = keyword('Create', /create|--create|-N/, [Command]);
export const Add = keyword('Add', /add|--add|-A/, [Command]);
export const Del = keyword('Del', /del|--del|-D/, [Command]);
export const Flush = keyword('Flush', /flush|--flush|-F/, [Command]);
export const Destroy = keyword('Destroy', /destroy|--destroy|-X/, [Command]);
export const Rename = keyword('Rename', /rename|--rename|-E/, [Command]);
export const Swap = keyword('Swap', /swap|--swap|-W/, [Command]);
/** ipset restore commits the batch so far at `COMMIT` (as iptables-restore does). */
export const Commit = keyword('Commit', /COMMIT/, [Command]);

// `ipset list` labels (lib/print.c / lib/session.c list header).
export const NameLabel = keyword('NameLabel', /Name:/, [Label]);
export const TypeLabel = keyword('TypeLabel', /Type:/, [Label]);
export const RevisionLabel = keyword('RevisionLabel', /Revision:/, [Label]);
export const HeaderLabel = keyword('HeaderLabel', /Header:/, [Label]);
export const SizeLabel = keyword('SizeLabel', /Size in memory:/, [Label]);
export const ReferencesLabel = keyword('ReferencesLabel', /References:/, [Label]);
export const EntriesLabel = keyword('EntriesLabel', /Number of entries:/, [Label]);
export const MembersLabel = keyword('MembersLabel', /Members:/, [Label]);

/**
 * Options followed by a value, of a set (`hashsize 1024`) or of an element (`timeout 30`).
 * Which ones apply where is the model's business; the grammar only needs their arity.
 */
export const ValueOption = keyword(
  'ValueOption',
  /family|hashsize|maxelem|timeout|netmask|bitmask|markmask|range|size|bucketsize|initval|probes|resize|packets|bytes|skbmark|skbprio|skbqueue|before|after/,
  [Text],
);
/** Options that stand alone. `-exist` / `-!` is ipset's global "ignore already-exists" flag. */
export const FlagOption = keyword('FlagOption', /counters|skbinfo|forceadd|nomatch|wildcard|-exist|-!/, [Text]);
/** `comment`: a flag on a set (comments enabled), followed by the text on an element. */
export const CommentOption = keyword('CommentOption', /comment/, [Text]);

/** Lexing order matters where patterns overlap: line-start forms, then keywords, then `Word`. */
export const allTokens: TokenType[] = [
  Newline,
  Blank,
  Prompt,
  HashComment,
  Quoted,
  Comma,
  SizeLabel,
  EntriesLabel,
  NameLabel,
  TypeLabel,
  RevisionLabel,
  HeaderLabel,
  ReferencesLabel,
  MembersLabel,
  Create,
  Add,
  Del,
  Flush,
  Destroy,
  Rename,
  Swap,
  Commit,
  ValueOption,
  FlagOption,
  CommentOption,
  Word,
  Text,
  Command,
  Label,
];

let lexer: Lexer | undefined;

/** The one lexer of the format (built on first use: Chevrotain validates the token set then). */
export function ipsetLexer(): Lexer {
  lexer ??= new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: true });
  return lexer;
}
