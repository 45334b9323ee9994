/**
 * A JSON document as a tree whose every value knows its offsets, so that a model built from it
 * (e.g. from `ip -j addr`) can point at the exact string or number it read.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SourceText, Span } from '../source.js';

export type JsonValue = JsonObject | JsonArray | JsonString | JsonNumber | JsonBoolean | JsonNull;

export interface JsonObject extends Span {
  readonly kind: 'object';
  /** In document order; a repeated key appears twice (RFC 8259 leaves it to the reader: see {@link member}). */
  readonly members: readonly JsonMember[];
  /** True when an error cut the object short: the members read before it are all there is. */
  readonly truncated: boolean;
}

export interface JsonMember {
  readonly key: string;
  /** The key's string token, quotes included. */
  readonly keySpan: Span;
  readonly value: JsonValue;
}

export interface JsonArray extends Span {
  readonly kind: 'array';
  readonly items: readonly JsonValue[];
  /** True when an error cut the array short. */
  readonly truncated: boolean;
}

export interface JsonString extends Span {
  readonly kind: 'string';
  /** Escapes resolved. */
  readonly value: string;
}

export interface JsonNumber extends Span {
  readonly kind: 'number';
  readonly value: number;
  /** As written: `4294967295`, `1e3`. */
  readonly text: string;
}

export interface JsonBoolean extends Span {
  readonly kind: 'boolean';
  readonly value: boolean;
}

export interface JsonNull extends Span {
  readonly kind: 'null';
}

export interface JsonSyntax {
  readonly source: SourceText;
  /**
   * The top-level values in order: one for a JSON document, more when several were pasted one
   * after another (`ip -j addr; ip -j route`). Values cut short by an error are kept up to it.
   */
  readonly values: readonly JsonValue[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The value of the last member called `key` (as JavaScript's JSON.parse keeps the last one). */
export function member(object: JsonObject, key: string): JsonValue | undefined {
  for (let i = object.members.length - 1; i >= 0; i--) {
    const m = object.members[i];
    if (m && m.key === key) return m.value;
  }
  return undefined;
}
