/**
 * `iptlens diff --json`: schema `iptlens.diff/v1` (docs/diff.md) —
 * `{ "equivalent", "structural": [...], "behavioural": [{ "probe", "a", "b", "firstDifference" }] }`
 * as the issue asks, plus the nodes compared, the probe coverage, notes, and for every change and
 * difference a one-line `summary`. Positions are printed 1-based (`file`, `line`, `column`), as
 * everywhere in src/report.
 */
import type { SourceRef } from '../../../grammar/source.js';
import type { Step, TracePath } from '../../eval/types.js';
import type { BehaviouralDifference, DiffResult, DiffProbe, FirstDifference, NodeIdentity, PathOutcome, ProbeCoverage, SideTrace, StructuralChange } from '../../diff/types.js';
import { locate } from '../location.js';
import { behaviourSentence, describeChange } from './text.js';

export interface PlaceJson {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface StepJson {
  readonly hook: Step['hook'];
  readonly table: Step['table'];
  readonly chain: string | null;
  readonly rule: number | null;
  readonly effect: string;
  readonly comment: string | null;
  readonly file: string | null;
  readonly line: number | null;
}

export interface SideJson {
  /** Every outcome of the trace on this node, merged by what it does. */
  readonly outcomes: readonly PathOutcome[];
  /** The path shown: its steps, disposition and reason. */
  readonly path: {
    readonly index: number;
    readonly of: number;
    readonly disposition: TracePath['disposition'];
    readonly reason: string | null;
    readonly steps: readonly StepJson[];
  } | null;
  readonly assumptions: readonly string[];
}

export interface BehaviouralJson {
  readonly probe: Omit<DiffProbe, 'a' | 'b'>;
  readonly a: SideJson;
  readonly b: SideJson;
  readonly firstDifference: { readonly index: number; readonly a: StepJson | null; readonly b: StepJson | null; readonly reasons: readonly string[] };
  readonly summary: string;
}

export interface DiffJson {
  readonly schema: 'iptlens.diff/v1';
  readonly a: NodeIdentity;
  readonly b: NodeIdentity;
  readonly equivalent: boolean;
  /** Each change as diff/types.ts StructuralChange, positions as { file, line, column }, plus `summary`. */
  readonly structural: readonly Record<string, unknown>[];
  readonly behavioural: readonly BehaviouralJson[];
  readonly coverage: ProbeCoverage;
  readonly notes: DiffResult['notes'];
}

function isRef(value: object): value is SourceRef {
  const v = value as Partial<SourceRef>;
  return typeof v.start === 'number' && typeof v.end === 'number' && typeof v.source === 'object' && v.source !== null && 'text' in v.source;
}

function place(ref: SourceRef): PlaceJson {
  const l = locate(ref);
  return { file: l.file, line: l.line, column: l.column };
}

/** A change with every position replaced by its 1-based place. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plain);
  if (isRef(value)) return place(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = plain(v);
  return out;
}

function changeJson(c: StructuralChange): Record<string, unknown> {
  return { ...(plain(c) as Record<string, unknown>), summary: describeChange(c)[0] };
}

function stepJson(s: Step | null | undefined): StepJson | null {
  if (!s) return null;
  const l = s.at ? locate(s.at) : null;
  return { hook: s.hook, table: s.table, chain: s.chain, rule: s.rule, effect: s.effect, comment: s.comment, file: l?.file ?? null, line: l?.line ?? null };
}

function sideJson(t: SideTrace): SideJson {
  const path = t.result.paths[t.path];
  return {
    outcomes: t.outcomes,
    path: path ? { index: t.path, of: t.result.paths.length, disposition: path.disposition, reason: path.reason, steps: path.steps.map((s) => stepJson(s)!) } : null,
    assumptions: t.result.assumptions,
  };
}

function firstJson(f: FirstDifference): BehaviouralJson['firstDifference'] {
  return { index: f.index, a: stepJson(f.a), b: stepJson(f.b), reasons: f.reasons };
}

function behaviouralJson(d: BehaviouralDifference): BehaviouralJson {
  const { a: _a, b: _b, ...probe } = d.probe;
  return { probe, a: sideJson(d.a), b: sideJson(d.b), firstDifference: firstJson(d.firstDifference), summary: behaviourSentence(d) };
}

export function diffReportJson(result: DiffResult): DiffJson {
  return {
    schema: 'iptlens.diff/v1',
    a: result.a,
    b: result.b,
    equivalent: result.equivalent,
    structural: result.structural.map(changeJson),
    behavioural: result.behavioural.map(behaviouralJson),
    coverage: result.coverage,
    notes: result.notes,
  };
}
