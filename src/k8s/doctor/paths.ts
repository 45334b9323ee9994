/**
 * What the checks read from the evaluator's traces: whether a path is alive, whether it leaves the
 * node untouched, and which rule lines it went through (the evidence of a finding).
 */
import type { SourceRef } from '../../../grammar/source.js';
import type { Step, TracePath, TraceResult } from '../../eval/types.js';
import type { Hook } from '../../eval/types.js';
import { parseAddress, type Family } from '../../model/values/address.js';
import type { ServicePort, ServiceProtocol } from '../types.js';
import type { FindingEvidence, NodeContext } from './types.js';

export function isDead(path: TracePath): boolean {
  return path.disposition === 'drop' || path.disposition === 'reject';
}

/** The path leaves the node by a non-pod interface with neither DNAT nor SNAT: the packet is as the pod sent it. */
export function leavesUntouched(path: TracePath): boolean {
  return path.disposition === 'egress' && path.snat === null && path.dnat === null;
}

/**
 * Whether a trace is evidence about *all* of a packet's fate: every path explored (none cut by the
 * cap) and none hanging on a fact the files do not give (only random and IPVS choices).
 */
export function conclusive(result: TraceResult): boolean {
  return result.paths.length > 0 && result.omitted.paths === 0 && result.paths.every((p) => p.conditions.every((c) => c.kind === 'random' || c.kind === 'ipvs'));
}

/** Sum of the probabilities of the paths that satisfy `test`. */
export function probabilityOf(result: TraceResult, test: (p: TracePath) => boolean): number {
  return result.paths.filter(test).reduce((s, p) => s + p.probability, 0);
}

/** One evidence item per rule step (optionally only some hooks), noting what the rule did. */
export function stepEvidence(path: TracePath, hooks?: readonly (Hook | Step['hook'])[]): FindingEvidence[] {
  const out: FindingEvidence[] = [];
  for (const s of path.steps) {
    if (!s.at || s.rule === null || (hooks && !hooks.includes(s.hook))) continue;
    out.push({ at: s.at, note: `${s.table ?? s.hook}/${s.chain ?? ''}${s.rule !== null ? `#${s.rule}` : ''}: ${s.effect}` });
  }
  return out;
}

/** The step that dropped or rejected a path (its last one), when it points at a line. */
export function decidingStep(path: TracePath): Step | null {
  const last = path.steps[path.steps.length - 1];
  return last && last.at ? last : null;
}

export function evidenceOf(at: SourceRef | null | undefined, note: string): FindingEvidence[] {
  return at ? [{ at, note }] : [];
}

/** A LoadBalancer address of a Service port, with the port clients call. */
export interface LbTarget {
  readonly service: ServicePort;
  readonly label: string;
  readonly family: Family;
  readonly ip: string;
  readonly address: bigint;
  readonly port: number;
  readonly proto: ServiceProtocol;
}

/** Every (Service port, LoadBalancer IP) the catalogue has, with a known port. */
export function loadBalancerTargets(node: NodeContext): LbTarget[] {
  const out: LbTarget[] = [];
  for (const s of node.catalogue.services) {
    if (s.port === null) continue;
    for (const ip of s.loadBalancerIPs) {
      const a = parseAddress(ip);
      if (!a) continue;
      out.push({ service: s, label: node.label(s), family: a.family, ip: a.text, address: a.first, port: s.port, proto: s.protocol });
    }
  }
  return out;
}

/** Catalogue evidence of some facts of a Service port (the rules and set members that show them). */
export function serviceEvidence(s: ServicePort, facts: readonly ServicePort['evidence'][number]['fact'][]): FindingEvidence[] {
  return s.evidence.filter((e) => facts.includes(e.fact)).map((e) => ({ at: e.at, note: e.what }));
}

/** Whether an address is one of the node's own (null when the node's addresses are not given). */
export function isLocalAddress(node: NodeContext, family: Family, address: bigint): boolean | null {
  const answer = node.facts(family).isLocal(address);
  return answer === 'unknown' ? null : answer;
}

/** The node-local address line (ip addr / local route) an address is bound by. */
export function localAddressAt(node: NodeContext, family: Family, address: bigint): { at: SourceRef; iface: string } | null {
  const hit = node.snapshot.localAddresses?.find((a) => a.address.family === family && a.address.first === address && a.address.last === address);
  return hit ? { at: hit.at, iface: hit.interface } : null;
}

/**
 * Whether a node's input of one kind had lines that could not be read: a check that concludes
 * from something being *absent* (an interface, a set, a chain, a rule using a set) must not, since the
 * unread line may be the one that has it.
 */
export function hasReadErrors(node: NodeContext, format: 'iptables' | 'iproute' | 'ipset' | 'ipvs'): boolean {
  return node.snapshot.diagnostics.some((d) => d.severity === 'error' && d.code.startsWith(`${format}/`) && (format !== 'iptables' || LINE_NOT_READ.has(d.code)));
}

/** iptables diagnostics that mean a line was skipped (others keep the line, e.g. a missing COMMIT). */
const LINE_NOT_READ: ReadonlySet<string> = new Set(['iptables/syntax', 'iptables/unexpected-character', 'iptables/outside-table', 'iptables/unknown-table']);
