/**
 * The JSON grammar (RFC 8259), after Chevrotain's JSON example, with embedded actions that build
 * a {@link JsonValue} tree with offsets:
 *
 *   documents := value*
 *   value     := object | array | StringLiteral | NumberLiteral | true | false | null
 *   object    := '{' ( member ( ',' member )* )? '}'
 *   member    := StringLiteral ':' value
 *   array     := '[' ( value ( ',' value )* )? ']'
 *
 * Error recovery is on, so a document cut short (a truncated paste) still yields what came
 * before the cut: each object and array is built in a draft that the recovery function hands
 * back as far as it got. The drafts are a stack shared by the rules (state shared by closures,
 * house rule 10): it is reset before each parse and only grows and shrinks with rule nesting.
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { toSourceRef, type SourceText, type Span } from '../source.js';
import type { JsonArray, JsonMember, JsonObject, JsonValue } from './syntax.js';
import {
  allTokens,
  Colon,
  Comma,
  False,
  LCurly,
  LSquare,
  Null,
  NumberLiteral,
  RCurly,
  RSquare,
  StringLiteral,
  True,
} from './tokens.js';

interface ObjectDraft {
  kind: 'object';
  start: number;
  members: JsonMember[];
}
interface ArrayDraft {
  kind: 'array';
  start: number;
  items: JsonValue[];
}

/** Resolves the escapes of a string token (the lexer has checked it is a JSON string). */
function stringValue(image: string): string {
  return image.includes('\\') ? (JSON.parse(image) as string) : image.slice(1, -1);
}

/** Tokens inserted by error recovery have no position. */
function isInserted(token: IToken): boolean {
  return !Number.isFinite(token.startOffset) || token.startOffset < 0;
}

export class JsonParser extends EmbeddedActionsParser {
  source: SourceText = { name: '', text: '' };
  /** Added to token offsets: the offset of the lexed slice in its source. */
  base = 0;
  /** Where a value cut short ends: the end of the last token read. */
  private lastEnd = 0;
  private drafts: Array<ObjectDraft | ArrayDraft> = [];

  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  resetDrafts(): void {
    this.drafts = [];
    this.lastEnd = this.base;
  }

  /** A token's span, through {@link toSourceRef} (the one token-to-position conversion). */
  private span(token: IToken): Span {
    const { start, end } = toSourceRef(this.source, token, this.base, { source: this.source, start: this.lastEnd, end: this.lastEnd });
    return { start, end };
  }

  private seen(token: IToken): IToken {
    if (!isInserted(token)) this.lastEnd = this.span(token).end;
    return token;
  }

  /** Closes a draft: at its closing token, or where reading stopped when recovery inserted it. */
  private finish(draft: ObjectDraft, close: IToken): JsonObject;
  private finish(draft: ArrayDraft, close: IToken): JsonArray;
  private finish(draft: ObjectDraft | ArrayDraft, close: IToken): JsonObject | JsonArray {
    this.drafts.pop();
    const truncated = isInserted(close);
    const end = truncated ? this.lastEnd : this.span(close).end;
    return draft.kind === 'object'
      ? { kind: 'object', members: draft.members, start: draft.start, end, truncated }
      : { kind: 'array', items: draft.items, start: draft.start, end, truncated };
  }

  /** The innermost draft of `kind`, closed as far as it was read (for recovery). */
  private closeDraft(kind: 'object' | 'array'): JsonValue | undefined {
    const draft = this.drafts[this.drafts.length - 1];
    if (!draft || draft.kind !== kind) return undefined;
    this.drafts.pop();
    return this.truncatedValue(draft);
  }

  private truncatedValue(draft: ObjectDraft | ArrayDraft): JsonObject | JsonArray {
    return draft.kind === 'object'
      ? { kind: 'object', members: draft.members, start: draft.start, end: this.lastEnd, truncated: true }
      : { kind: 'array', items: draft.items, start: draft.start, end: this.lastEnd, truncated: true };
  }

  /**
   * When recovery gives up (input ends inside a value), the open drafts are closed innermost
   * first, each truncated one becoming the last item of its parent array; the outermost joins
   * the documents read so far. A truncated object's members are those read before the cut.
   */
  private documentsSoFar: JsonValue[] = [];
  private closeAllDrafts(): JsonValue[] {
    let inner: JsonValue | undefined;
    while (this.drafts.length > 0) {
      const draft = this.drafts.pop()!;
      if (inner && draft.kind === 'array') draft.items.push(inner);
      inner = this.truncatedValue(draft);
    }
    if (inner) this.documentsSoFar.push(inner);
    return this.documentsSoFar;
  }

  public documents = this.RULE(
    'documents',
    (): JsonValue[] => {
      const values: JsonValue[] = [];
      this.ACTION(() => (this.documentsSoFar = values));
      this.MANY(() => {
        const value = this.SUBRULE(this.value);
        this.ACTION(() => {
          if (value) values.push(value);
        });
      });
      return values;
    },
    { recoveryValueFunc: () => this.closeAllDrafts() },
  );

  public value = this.RULE(
    'value',
    (): JsonValue | undefined =>
      this.OR([
        { ALT: () => this.SUBRULE(this.object) },
        { ALT: () => this.SUBRULE(this.array) },
        {
          ALT: () => {
            const t = this.seen(this.CONSUME(StringLiteral));
            return this.ACTION(() => ({ kind: 'string', value: stringValue(t.image), ...this.span(t) }) as const);
          },
        },
        {
          ALT: () => {
            const t = this.seen(this.CONSUME(NumberLiteral));
            return this.ACTION(() => ({ kind: 'number', value: Number(t.image), text: t.image, ...this.span(t) }) as const);
          },
        },
        {
          ALT: () => {
            const t = this.seen(this.CONSUME(True));
            return this.ACTION(() => ({ kind: 'boolean', value: true, ...this.span(t) }) as const);
          },
        },
        {
          ALT: () => {
            const t = this.seen(this.CONSUME(False));
            return this.ACTION(() => ({ kind: 'boolean', value: false, ...this.span(t) }) as const);
          },
        },
        {
          ALT: () => {
            const t = this.seen(this.CONSUME(Null));
            return this.ACTION(() => ({ kind: 'null', ...this.span(t) }) as const);
          },
        },
      ]),
    { recoveryValueFunc: () => undefined },
  );

  public object = this.RULE(
    'object',
    (): JsonObject | undefined => {
      const open = this.seen(this.CONSUME(LCurly));
      const draft: ObjectDraft = { kind: 'object', start: this.span(open).start, members: [] };
      this.ACTION(() => this.drafts.push(draft));
      this.OPTION(() => {
        const first = this.SUBRULE(this.member);
        this.ACTION(() => first && draft.members.push(first));
        this.MANY(() => {
          this.seen(this.CONSUME(Comma));
          const next = this.SUBRULE2(this.member);
          this.ACTION(() => next && draft.members.push(next));
        });
      });
      const close = this.seen(this.CONSUME(RCurly));
      return this.ACTION(() => this.finish(draft, close));
    },
    { recoveryValueFunc: () => this.closeDraft('object') as JsonObject | undefined },
  );

  public member = this.RULE(
    'member',
    (): JsonMember | undefined => {
      const key = this.seen(this.CONSUME(StringLiteral));
      this.seen(this.CONSUME(Colon));
      const value = this.SUBRULE(this.value);
      return this.ACTION(() =>
        value
          ? { key: stringValue(key.image), keySpan: this.span(key), value }
          : undefined,
      );
    },
    { recoveryValueFunc: () => undefined },
  );

  public array = this.RULE(
    'array',
    (): JsonArray | undefined => {
      const open = this.seen(this.CONSUME(LSquare));
      const draft: ArrayDraft = { kind: 'array', start: this.span(open).start, items: [] };
      this.ACTION(() => this.drafts.push(draft));
      this.OPTION(() => {
        const first = this.SUBRULE(this.value);
        this.ACTION(() => first && draft.items.push(first));
        this.MANY(() => {
          this.seen(this.CONSUME(Comma));
          const next = this.SUBRULE2(this.value);
          this.ACTION(() => next && draft.items.push(next));
        });
      });
      const close = this.seen(this.CONSUME(RSquare));
      return this.ACTION(() => this.finish(draft, close));
    },
    { recoveryValueFunc: () => this.closeDraft('array') as JsonArray | undefined },
  );
}
