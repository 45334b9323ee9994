/** `iptlens loopback --json`: schema iptlens.loopback/v1. */
import type { LoopbackResult, Outcome } from '../../k8s/loopback/types.js';
import { traceReportJson } from '../trace/json.js';

function outcomeJson(o: Outcome) {
  return {
    verdict: o.verdict,
    probability: o.probability,
    effect: o.effect,
    explanation: o.explanation,
    hops: o.hops.map((h) => ({ kind: h.kind, node: h.node, text: h.text, trace: h.trace ? traceReportJson(h.trace) : null })),
  };
}

export function loopbackReportJson(r: LoopbackResult) {
  return {
    schema: 'iptlens.loopback/v1' as const,
    verdict: r.verdict,
    probability: r.probability,
    lb: r.lb,
    model: { id: r.model.id, title: r.model.title, source: r.model.source, snat: r.model.snat, avoidsSourceBackend: r.model.avoidsSourceBackend },
    clientNode: r.clientNode,
    client: r.client,
    hops: r.outcomes.map(outcomeJson),
    healthChecks: r.healthChecks.map(outcomeJson),
    remediations: r.remediations,
    notes: r.notes,
  };
}
