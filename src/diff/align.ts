/**
 * Aligning two sequences of keys (the rules of one chain on two nodes) so that what both hold is
 * paired and only what differs is left over: patience diff (Bram Cohen's, as `git diff
 * --patience`): elements unique in both sequences anchor the alignment along their longest
 * increasing subsequence, the gaps between anchors are aligned the same way, and a gap without
 * unique elements falls back to a longest common subsequence by dynamic programming (when small)
 * or is left unaligned. A 10k-rule KUBE-SERVICES that differs in a few rules aligns in
 * O(n log n), and a reordered chain shows a few rules out of place, not everything replaced.
 */

export type Aligned =
  | { readonly kind: 'same'; readonly a: number; readonly b: number }
  | { readonly kind: 'only-a'; readonly a: number }
  | { readonly kind: 'only-b'; readonly b: number };

/** Above this many cells a gap without anchors is not aligned by dynamic programming. */
const DP_CELLS = 4_000_000;

/** Gaps nest deeper than this only in contrived sequences; past it they are aligned without anchors. */
const MAX_DEPTH = 500;

export function align(a: readonly string[], b: readonly string[]): Aligned[] {
  const out: Aligned[] = [];
  alignRange(a, b, 0, a.length, 0, b.length, out, 0);
  return out;
}

function alignRange(a: readonly string[], b: readonly string[], aLo: number, aHi: number, bLo: number, bHi: number, out: Aligned[], depth: number): void {
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) out.push({ kind: 'same', a: aLo++, b: bLo++ });
  const tail: Aligned[] = [];
  while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) tail.push({ kind: 'same', a: --aHi, b: --bHi });
  if (aLo === aHi || bLo === bHi) {
    for (let i = aLo; i < aHi; i++) out.push({ kind: 'only-a', a: i });
    for (let j = bLo; j < bHi; j++) out.push({ kind: 'only-b', b: j });
  } else {
    const anchors = depth < MAX_DEPTH ? uniqueAnchors(a, b, aLo, aHi, bLo, bHi) : [];
    if (anchors.length === 0) alignByLcs(a, b, aLo, aHi, bLo, bHi, out);
    else {
      let ai = aLo;
      let bi = bLo;
      for (const [x, y] of anchors) {
        alignRange(a, b, ai, x, bi, y, out, depth + 1);
        out.push({ kind: 'same', a: x, b: y });
        ai = x + 1;
        bi = y + 1;
      }
      alignRange(a, b, ai, aHi, bi, bHi, out, depth + 1);
    }
  }
  for (let k = tail.length - 1; k >= 0; k--) out.push(tail[k]!);
}

/** Pairs of positions of keys that occur once in each range, along their longest increasing run. */
function uniqueAnchors(a: readonly string[], b: readonly string[], aLo: number, aHi: number, bLo: number, bHi: number): [number, number][] {
  const inA = new Map<string, number>();
  for (let i = aLo; i < aHi; i++) {
    const k = a[i]!;
    inA.set(k, inA.has(k) ? -1 : i);
  }
  const inB = new Map<string, number>();
  for (let j = bLo; j < bHi; j++) {
    const k = b[j]!;
    if (!inA.has(k)) continue;
    inB.set(k, inB.has(k) ? -1 : j);
  }
  const pairs: [number, number][] = [];
  for (let i = aLo; i < aHi; i++) {
    const k = a[i]!;
    if (inA.get(k) !== i) continue;
    const j = inB.get(k);
    if (j !== undefined && j >= 0) pairs.push([i, j]);
  }
  return longestIncreasing(pairs);
}

/** Patience sorting: the longest subsequence of pairs (sorted by first) increasing in the second. */
function longestIncreasing(pairs: readonly [number, number][]): [number, number][] {
  const tops: number[] = [];
  const back: number[] = new Array<number>(pairs.length).fill(-1);
  for (let k = 0; k < pairs.length; k++) {
    const y = pairs[k]![1];
    let lo = 0;
    let hi = tops.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pairs[tops[mid]!]![1] < y) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) back[k] = tops[lo - 1]!;
    tops[lo] = k;
  }
  const run: [number, number][] = [];
  for (let k = tops.length ? tops[tops.length - 1]! : -1; k >= 0; k = back[k]!) run.push(pairs[k]!);
  return run.reverse();
}

function alignByLcs(a: readonly string[], b: readonly string[], aLo: number, aHi: number, bLo: number, bHi: number, out: Aligned[]): void {
  const n = aHi - aLo;
  const m = bHi - bLo;
  if (n * m > DP_CELLS) {
    for (let i = aLo; i < aHi; i++) out.push({ kind: 'only-a', a: i });
    for (let j = bLo; j < bHi; j++) out.push({ kind: 'only-b', b: j });
    return;
  }
  // lengths[i][j]: LCS of a[aLo+i..aHi) and b[bLo+j..bHi), row-major in one array.
  const width = m + 1;
  const lengths = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * width + j] = a[aLo + i] === b[bLo + j] ? lengths[(i + 1) * width + j + 1]! + 1 : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[aLo + i] === b[bLo + j]) {
      out.push({ kind: 'same', a: aLo + i, b: bLo + j });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) out.push({ kind: 'only-a', a: aLo + i++ });
    else out.push({ kind: 'only-b', b: bLo + j++ });
  }
  for (; i < n; i++) out.push({ kind: 'only-a', a: aLo + i });
  for (; j < m; j++) out.push({ kind: 'only-b', b: bLo + j });
}
