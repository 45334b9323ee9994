/**
 * A Chevrotain grammar for the lines `conntrack -L` and `conntrack -E` print
 * (conntrack-tools, src/conntrack.c via libnetfilter_conntrack's nfct_snprintf):
 *
 *   entry  := Flag? Word Integer (Word Integer)? Integer? Word? (Field | Flag)*
 *
 *   [NEW] tcp      6 120 SYN_SENT src=10.244.1.5 dst=10.96.0.10 sport=40000 dport=80 [UNREPLIED] src=… mark=0 use=1
 *   ipv4     2 udp      17 29 src=… dst=… sport=… dport=… [UNREPLIED] src=… …        (-o extended)
 *
 * The leading flag is the event kind in `-E` output; the optional `Word Integer` pair is the layer-3
 * protocol in extended output; the timeout is missing from some DESTROY events; the state word is
 * printed for TCP, SCTP and DCCP only. The first `src=` starts the original tuple, the second one
 * the reply tuple. Lines are read one at a time; a line that does not parse is reported, not dropped.
 */
import { createToken, EmbeddedActionsParser, Lexer, type IToken } from 'chevrotain';
import type { ConntrackEntry, ConntrackEventKind, ConntrackTuple, UnreadableLine } from './types.js';

const Blank = createToken({ name: 'Blank', pattern: /[ \t]+/, group: Lexer.SKIPPED });
/** `[UNREPLIED]`, `[ASSURED]`, `[NEW]`, … */
const Flag = createToken({ name: 'Flag', pattern: /\[[A-Z_]+\]/ });
/** `src=10.0.0.1`, `mark=0`, `zone=3`; the value may be empty or anything up to a blank. */
const Field = createToken({ name: 'Field', pattern: /[a-z][a-z0-9_-]*=[^ \t]*/ });
const Integer = createToken({ name: 'Integer', pattern: /\d+/ });
/** Protocol names (`tcp`, `ipv4`, `unknown`) and states (`SYN_SENT`). */
const Word = createToken({ name: 'Word', pattern: /[A-Za-z_][A-Za-z0-9_-]*/ });

const allTokens = [Blank, Flag, Field, Integer, Word];
const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset' });

const eventKinds: Readonly<Record<string, ConntrackEventKind>> = { NEW: 'new', UPDATE: 'update', DESTROY: 'destroy' };
const tupleKeys = new Set(['src', 'dst', 'sport', 'dport', 'type', 'code', 'id']);
const numericKeys = new Set(['sport', 'dport', 'type', 'code', 'id']);

/** The line's parts as the grammar found them, before tuples are assembled. */
interface EntryParts {
  readonly lead: IToken | undefined;
  readonly words: readonly IToken[];
  readonly integers: readonly IToken[];
  readonly l3: readonly [IToken, IToken] | undefined;
  readonly items: readonly IToken[];
}

class ConntrackLineParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  public entry = this.RULE('entry', (): EntryParts => {
    const lead = this.OPTION(() => this.CONSUME(Flag));
    const first = this.CONSUME(Word);
    const firstNumber = this.CONSUME(Integer);
    const second = this.OPTION2(() => {
      const w = this.CONSUME2(Word);
      const n = this.CONSUME2(Integer);
      return [w, n] as const;
    });
    const timeout = this.OPTION3(() => this.CONSUME3(Integer));
    const state = this.OPTION4(() => this.CONSUME3(Word));
    const items: IToken[] = [];
    this.MANY(() => {
      const t = this.OR([{ ALT: () => this.CONSUME(Field) }, { ALT: () => this.CONSUME2(Flag) }]);
      this.ACTION(() => items.push(t));
    });
    // With an l3 pair, the words are [l3, l4]; the protocol is always the last name/number pair.
    return {
      lead,
      l3: second ? [first, firstNumber] : undefined,
      words: second ? [second[0], ...(state ? [state] : [])] : [first, ...(state ? [state] : [])],
      integers: second ? [second[1], ...(timeout ? [timeout] : [])] : [firstNumber, ...(timeout ? [timeout] : [])],
      items,
    };
  });
}

let parser: ConntrackLineParser | undefined;

export interface ConntrackListing {
  readonly entries: readonly ConntrackEntry[];
  readonly unreadable: readonly UnreadableLine[];
}

type MutableTuple = { -readonly [K in keyof ConntrackTuple]: ConntrackTuple[K] };

function assemble(parts: EntryParts): ConntrackEntry | string {
  const [protocolWord, state] = parts.words;
  const [protocolNumber, timeout] = parts.integers;
  if (!protocolWord || !protocolNumber) return 'no protocol name and number';
  const flags: string[] = [];
  let event: ConntrackEventKind | null = null;
  if (parts.lead) {
    const name = parts.lead.image.slice(1, -1);
    event = eventKinds[name] ?? null;
    if (event === null) flags.push(name);
  }
  const original: Partial<MutableTuple> = {};
  const reply: Partial<MutableTuple> = {};
  const extras: Record<string, string> = {};
  let current: Partial<MutableTuple> | null = null;
  for (const item of parts.items) {
    if (item.tokenType === Flag) {
      flags.push(item.image.slice(1, -1));
      continue;
    }
    const eq = item.image.indexOf('=');
    const key = item.image.slice(0, eq);
    const value = item.image.slice(eq + 1);
    if (key === 'src' && current === null) current = original;
    else if (key === 'src' && current === original) current = reply;
    const target = current && tupleKeys.has(key) && !(key in current) ? current : null;
    if (target === null) {
      extras[key] = value;
      continue;
    }
    if (numericKeys.has(key)) {
      const n = Number(value);
      if (!/^\d+$/.test(value)) return `${key}=${value}: expected a number`;
      (target as Record<string, number>)[key] = n;
    } else {
      (target as Record<string, string>)[key] = value;
    }
  }
  if (original.src === undefined || original.dst === undefined) return 'no original tuple (src=… dst=…)';
  if (reply.src === undefined || reply.dst === undefined) return 'no reply tuple (a second src=… dst=…)';
  return {
    event,
    l3: parts.l3 ? parts.l3[0].image : null,
    protocol: protocolWord.image,
    protocolNumber: Number(protocolNumber.image),
    timeout: timeout ? Number(timeout.image) : null,
    state: state ? state.image : null,
    original: original as ConntrackTuple,
    reply: reply as ConntrackTuple,
    flags,
    extras,
  };
}

/** Reads one line; a string is the reason it could not be read. */
export function parseConntrackLine(text: string): ConntrackEntry | string {
  parser ??= new ConntrackLineParser();
  const lexed = lexer.tokenize(text);
  const bad = lexed.errors[0];
  if (bad) return `unexpected character ${JSON.stringify(text.slice(bad.offset, bad.offset + 1))} at column ${bad.offset + 1}`;
  parser.input = lexed.tokens;
  const parts = parser.entry();
  const error = parser.errors[0];
  if (error) {
    const found = error.token.tokenType.name === 'EOF' ? 'the end of the line' : JSON.stringify(error.token.image);
    return `expected a conntrack entry (protocol, number, timeout, src=… dst=…) but found ${found}`;
  }
  return assemble(parts);
}

/** Reads `conntrack -L` / `-E` output; blank lines are skipped, others read or reported. */
export function parseConntrackText(text: string): ConntrackListing {
  const entries: ConntrackEntry[] = [];
  const unreadable: UnreadableLine[] = [];
  text.split('\n').forEach((raw, line) => {
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (lineText.trim() === '') return;
    const result = parseConntrackLine(lineText);
    if (typeof result === 'string') unreadable.push({ line, text: lineText, why: result });
    else entries.push(result);
  });
  return { entries, unreadable };
}
