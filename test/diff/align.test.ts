import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { align, type Aligned } from '../../src/diff/align.js';

/** Checks that an alignment walks both sequences once, in order, pairing only equal keys. */
function checkValid(a: readonly string[], b: readonly string[], steps: readonly Aligned[]): void {
  let i = 0;
  let j = 0;
  const seenA: number[] = [];
  const seenB: number[] = [];
  for (const s of steps) {
    if (s.kind !== 'only-b') seenA.push(s.a);
    if (s.kind !== 'only-a') seenB.push(s.b);
    if (s.kind === 'same') {
      expect(a[s.a]).toBe(b[s.b]);
      expect(s.a).toBeGreaterThanOrEqual(i);
      expect(s.b).toBeGreaterThanOrEqual(j);
      i = s.a + 1;
      j = s.b + 1;
    }
  }
  expect([...seenA].sort((x, y) => x - y)).toEqual(a.map((_, k) => k));
  expect([...seenB].sort((x, y) => x - y)).toEqual(b.map((_, k) => k));
}

/** Length of a longest common subsequence, by the textbook table. */
function lcs(a: readonly string[], b: readonly string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let x = a.length - 1; x >= 0; x--) for (let y = b.length - 1; y >= 0; y--) t[x]![y] = a[x] === b[y] ? t[x + 1]![y + 1]! + 1 : Math.max(t[x + 1]![y]!, t[x]![y + 1]!);
  return t[0]![0]!;
}

const same = (steps: readonly Aligned[]) => steps.filter((s) => s.kind === 'same').length;

describe('align', () => {
  it('pairs every element of two equal sequences', () => {
    const xs = ['r1', 'r2', 'r2', 'r3'];
    expect(align(xs, xs)).toEqual(xs.map((_, k) => ({ kind: 'same', a: k, b: k })));
  });

  it('leaves only the inserted rule unpaired in a long chain', () => {
    const a = Array.from({ length: 10_000 }, (_, k) => `rule ${k}`);
    const b = [...a.slice(0, 5000), 'new rule', ...a.slice(5000)];
    const steps = align(a, b);
    expect(steps.filter((s) => s.kind !== 'same')).toEqual([{ kind: 'only-b', b: 5000 }]);
  });

  it('shows a rule moved to the end as one rule out of place, not the chain replaced', () => {
    const a = ['a', 'b', 'c', 'd', 'e'];
    const b = ['b', 'c', 'd', 'e', 'a'];
    const steps = align(a, b);
    checkValid(a, b, steps);
    expect(same(steps)).toBe(4);
  });

  it('is a valid alignment of any two sequences, never longer than their longest common subsequence', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd');
    fc.assert(
      fc.property(fc.array(key, { maxLength: 30 }), fc.array(key, { maxLength: 30 }), (a, b) => {
        const steps = align(a, b);
        checkValid(a, b, steps);
        expect(same(steps)).toBeLessThanOrEqual(lcs(a, b));
      }),
    );
  });

  it('finds every common element of sequences of distinct keys that differ by edits', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), (base, cuts) => {
        const a = base.map(String);
        const b = a.filter((_, k) => !cuts.includes(k));
        const steps = align(a, b);
        checkValid(a, b, steps);
        expect(same(steps)).toBe(b.length);
      }),
    );
  });
});
