/** The short answer of a trace: is it NATed, and how sure is that. */
import type { TraceResult } from './types.js';

export interface TraceSummary {
  /** Over the paths that are not dropped or rejected. */
  readonly snat: 'always' | 'never' | 'depends';
  /** Distinct DNAT destinations (`ip:port`) over all paths. */
  readonly dnat: readonly string[];
  readonly dispositions: readonly string[];
  /** True when some path depends on a condition. */
  readonly conditional: boolean;
}

export function summariseTrace(result: TraceResult): TraceSummary {
  const alive = result.paths.filter((p) => p.disposition !== 'drop' && p.disposition !== 'reject');
  const snatted = alive.filter((p) => p.snat !== null).length;
  const snat = alive.length === 0 || snatted === 0 ? 'never' : snatted === alive.length ? 'always' : 'depends';
  const dnat = [...new Set(result.paths.map((p) => p.dnat?.to).filter((x): x is string => x !== undefined))].sort();
  return {
    snat,
    dnat,
    dispositions: [...new Set(result.paths.map((p) => p.disposition))],
    conditional: result.paths.some((p) => p.conditions.some((c) => c.kind !== 'random' && c.kind !== 'ipvs')),
  };
}
