import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../../grammar/json/parse.js';
import type { JsonValue } from '../../../grammar/json/syntax.js';
import { member } from '../../../grammar/json/syntax.js';

function parse(text: string) {
  return parseJsonText({ name: 'doc.json', text });
}

/** The plain JavaScript value of a tree, to compare with JSON.parse. */
function plain(value: JsonValue): unknown {
  switch (value.kind) {
    case 'object': {
      const out: Record<string, unknown> = {};
      // defineProperty, not assignment: a member named "__proto__" must stay a member (as JSON.parse keeps it).
      for (const m of value.members) Object.defineProperty(out, m.key, { value: plain(m.value), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'array':
      return value.items.map(plain);
    case 'string':
    case 'number':
    case 'boolean':
      return value.value;
    case 'null':
      return null;
  }
}

describe('JSON grammar', () => {
  it('reads what JSON.parse reads, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 1);
        const result = parse(text);
        expect(result.diagnostics).toEqual([]);
        expect(result.values).toHaveLength(1);
        expect(plain(result.values[0]!)).toEqual(JSON.parse(text));
      }),
      { numRuns: 200 },
    );
  });

  it('gives every value and key its exact offsets', () => {
    const text = ' {"a": [1, "x\\u0041", true, null], "b": {"c": -2.5e3}} ';
    const [root] = parse(text).values;
    expect(root?.kind).toBe('object');
    if (root?.kind !== 'object') return;
    expect(text.slice(root.start, root.end)).toBe(text.trim());
    const a = member(root, 'a');
    expect(a && text.slice(a.start, a.end)).toBe('[1, "x\\u0041", true, null]');
    if (a?.kind !== 'array') return;
    expect(a.items.map((i) => text.slice(i.start, i.end))).toEqual(['1', '"x\\u0041"', 'true', 'null']);
    expect(a.items[1]).toMatchObject({ kind: 'string', value: 'xA' });
    expect(text.slice(root.members[1]!.keySpan.start, root.members[1]!.keySpan.end)).toBe('"b"');
    const c = member(member(root, 'b') as never, 'c');
    expect(c).toMatchObject({ kind: 'number', value: -2500, text: '-2.5e3' });
  });

  it('locates a syntax error at the offending token and keeps what came before', () => {
    const text = '[{"a": 1}, {"b": 2} {"c": 3}]';
    const result = parse(text);
    const error = result.diagnostics[0]!;
    expect(error.code).toBe('json/syntax');
    expect(text.slice(error.at!.start, error.at!.end)).toBe('{');
    expect(error.at!.start).toBe(text.indexOf('{"c"'));
    const first = result.values[0];
    expect(first?.kind === 'array' && first.items.map(plain)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('locates a cut at the end of the text and marks the cut values truncated', () => {
    const text = '[{"a": 1}, {"b": [1, 2';
    const result = parse(text);
    expect(result.diagnostics.map((d) => [d.code, d.at?.start])).toEqual([['json/syntax', text.length]]);
    const root = result.values[0];
    expect(root?.kind).toBe('array');
    if (root?.kind !== 'array') return;
    expect(root.truncated).toBe(true);
    expect(root.items[0]).toMatchObject({ kind: 'object', truncated: false });
    expect(root.items[1]).toMatchObject({ kind: 'object', truncated: true });
  });

  it('reports characters outside JSON where they are, and reads several documents one after another', () => {
    const text = '[1] @ [2]';
    const result = parse(text);
    expect(result.diagnostics.map((d) => [d.code, d.at?.start])).toEqual([['json/unexpected-character', 4]]);
    expect(result.values.map(plain)).toEqual([[1], [2]]);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '1', 'a', ' ', 'true', '\\', '-') , maxLength: 60 }), (text) => {
        const result = parse(text);
        for (const d of result.diagnostics) {
          expect(d.at!.start).toBeGreaterThanOrEqual(0);
          expect(d.at!.end).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 500 },
    );
  });
});
