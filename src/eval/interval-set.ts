/**
 * Sets of addresses or ports as sorted, disjoint, inclusive intervals over bigint: the values a
 * packet-class field can take. A single packet is the one-element case.
 */

export interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

export class IntervalSet {
  private constructor(readonly intervals: readonly Interval[]) {}

  static readonly EMPTY = new IntervalSet([]);

  static of(lo: bigint, hi: bigint = lo): IntervalSet {
    return lo > hi ? IntervalSet.EMPTY : new IntervalSet([{ lo, hi }]);
  }

  /** Normalises any list of intervals (overlapping or adjacent ones are merged). */
  static from(intervals: readonly Interval[]): IntervalSet {
    const sorted = intervals.filter((i) => i.lo <= i.hi).sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
    const out: Interval[] = [];
    for (const i of sorted) {
      const last = out[out.length - 1];
      if (last && i.lo <= last.hi + 1n) {
        if (i.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: i.hi };
      } else out.push(i);
    }
    return new IntervalSet(out);
  }

  get isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  /** The single value, when the set holds exactly one. */
  get single(): bigint | null {
    const first = this.intervals[0];
    return this.intervals.length === 1 && first && first.lo === first.hi ? first.lo : null;
  }

  get size(): bigint {
    let n = 0n;
    for (const i of this.intervals) n += i.hi - i.lo + 1n;
    return n;
  }

  has(value: bigint): boolean {
    let lo = 0;
    let hi = this.intervals.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const i = this.intervals[mid]!;
      if (value < i.lo) hi = mid - 1;
      else if (value > i.hi) lo = mid + 1;
      else return true;
    }
    return false;
  }

  intersect(other: IntervalSet): IntervalSet {
    const out: Interval[] = [];
    let a = 0;
    let b = 0;
    while (a < this.intervals.length && b < other.intervals.length) {
      const x = this.intervals[a]!;
      const y = other.intervals[b]!;
      const lo = x.lo > y.lo ? x.lo : y.lo;
      const hi = x.hi < y.hi ? x.hi : y.hi;
      if (lo <= hi) out.push({ lo, hi });
      if (x.hi < y.hi) a++;
      else b++;
    }
    return new IntervalSet(out);
  }

  subtract(other: IntervalSet): IntervalSet {
    if (other.isEmpty || this.isEmpty) return this;
    const out: Interval[] = [];
    let b = 0;
    for (const x of this.intervals) {
      let lo = x.lo;
      const hi = x.hi;
      while (b < other.intervals.length && other.intervals[b]!.hi < lo) b++;
      let k = b;
      while (k < other.intervals.length && other.intervals[k]!.lo <= hi) {
        const y = other.intervals[k]!;
        if (y.lo > lo) out.push({ lo, hi: y.lo - 1n });
        if (y.hi + 1n > lo) lo = y.hi + 1n;
        if (lo > hi) break;
        k++;
      }
      if (lo <= hi) out.push({ lo, hi });
    }
    return new IntervalSet(out);
  }

  union(other: IntervalSet): IntervalSet {
    return IntervalSet.from([...this.intervals, ...other.intervals]);
  }

  equals(other: IntervalSet): boolean {
    if (this.intervals.length !== other.intervals.length) return false;
    return this.intervals.every((i, k) => i.lo === other.intervals[k]!.lo && i.hi === other.intervals[k]!.hi);
  }
}
