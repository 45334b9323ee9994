/**
 * Reading iproute2's `-j` objects: the members iptlens uses, as {@link WordSyntax} pointing at
 * the JSON token they came from, so that the model can locate what it read exactly as it does
 * for the text forms.
 */
import { member, type JsonObject, type JsonValue } from '../json/syntax.js';
import type { AttributeSyntax, WordSyntax } from './syntax.js';

/** A string or number member as a word (numbers as written); undefined when absent or of another kind. */
export function wordMember(object: JsonObject, key: string): WordSyntax | undefined {
  const value = member(object, key);
  return value ? wordOf(value) : undefined;
}

export function wordOf(value: JsonValue): WordSyntax | undefined {
  switch (value.kind) {
    case 'string':
      return { text: value.value, start: value.start, end: value.end };
    case 'number':
      return { text: value.text, start: value.start, end: value.end };
    case 'boolean':
    case 'null':
    case 'object':
    case 'array':
      return undefined;
  }
}

/** `key: value` as the text form's `name value` attribute, when the member is there. */
export function attributeMember(object: JsonObject, key: string, name: string): AttributeSyntax | undefined {
  const word = wordMember(object, key);
  return word ? { name, values: [word], known: true, start: word.start, end: word.end } : undefined;
}

/** The string items of an array member (`"flags": ["UP", …]`). */
export function wordsMember(object: JsonObject, key: string): WordSyntax[] | undefined {
  const value = member(object, key);
  if (!value || value.kind !== 'array') return undefined;
  const words: WordSyntax[] = [];
  for (const item of value.items) {
    const word = wordOf(item);
    if (word) words.push(word);
  }
  return words;
}

/** Members whose value is `true` (iproute2 prints address and route flags that way), as words. */
export function trueMembers(object: JsonObject, except: ReadonlySet<string> = new Set()): WordSyntax[] {
  const words: WordSyntax[] = [];
  for (const m of object.members) {
    if (m.value.kind === 'boolean' && m.value.value && !except.has(m.key)) {
      words.push({ text: m.key, start: m.keySpan.start, end: m.keySpan.end });
    }
  }
  return words;
}

/** A word made from a member's value with new text (a prefix length joined to its address). */
export function retext(word: WordSyntax, text: string): WordSyntax {
  return { text, start: word.start, end: word.end };
}

/** A short description of a JSON value, for "expected … but found …". */
export function describeJson(value: JsonValue): string {
  switch (value.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return `the string ${JSON.stringify(value.value.length > 30 ? `${value.value.slice(0, 30)}…` : value.value)}`;
    case 'number':
      return `the number ${value.text}`;
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
  }
}
