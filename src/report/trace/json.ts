/** `iptlens trace --json`: schema iptlens.trace/v1 (docs/json/trace.md). */
import type { TraceResult } from '../../eval/types.js';
import { summariseTrace } from '../../eval/summary.js';
import { addressSetText, portSetText } from '../../eval/view.js';
import { locate } from '../location.js';

export interface TraceJson {
  readonly schema: 'iptlens.trace/v1';
  readonly probe: {
    readonly from: string;
    readonly family: string;
    readonly src: string;
    readonly dst: string;
    readonly proto: string;
    readonly sport: string;
    readonly dport: string;
    readonly inIface: string | null;
    readonly state: string;
    readonly mark: number;
  };
  readonly paths: readonly unknown[];
  readonly omitted: { readonly paths: number; readonly probability: number };
  readonly assumptions: readonly string[];
  readonly summary: { readonly snat: 'always' | 'never' | 'depends'; readonly dnat: readonly string[] };
}

export function traceReportJson(result: TraceResult): TraceJson {
  const p = result.probe;
  const summary = summariseTrace(result);
  return {
    schema: 'iptlens.trace/v1',
    probe: {
      from: p.origin,
      family: p.family,
      src: addressSetText(p.family, p.src),
      dst: addressSetText(p.family, p.dst),
      proto: p.proto,
      sport: portSetText(p.sport),
      dport: portSetText(p.dport),
      inIface: p.inIface,
      state: p.state,
      mark: p.mark,
    },
    paths: result.paths.map((path) => ({
      probability: path.probability,
      conditions: path.conditions.map((c) => c.text),
      packet: path.packet,
      steps: path.steps.map((s) => {
        const l = s.at ? locate(s.at) : null;
        return {
          hook: s.hook,
          table: s.table,
          chain: s.chain,
          rule: s.rule,
          file: l?.file ?? null,
          line: l?.line ?? null,
          effect: s.effect,
          comment: s.comment,
        };
      }),
      disposition: path.disposition,
      egress: path.egress,
      final: path.final,
      dnat: path.dnat ? { to: path.dnat.to } : null,
      snat: path.snat ? { kind: path.snat.kind, to: path.snat.to } : null,
      masqueradeMark: path.masqueradeMark,
      reason: path.reason,
    })),
    omitted: result.omitted,
    assumptions: result.assumptions,
    summary: { snat: summary.snat, dnat: summary.dnat },
  };
}
