/**
 * From what the probe recorded to what the kernel did. Pure, so the rules below are tested on
 * hand-made evidence (test/kernel/harness/interpret.test.ts) as well as on the kernel.
 *
 * Disposition, first match wins:
 *   1. the node's observer saw the packet at INPUT priority 1000 ('delivered')       → local
 *   2. the node's observer saw it leave at POSTROUTING priority 1000 ('left'), not on lo
 *                                                      → local-pod (towards cni0/a pod veth) or egress
 *   3. the sender got an error, or an ICMP error / TCP reset reached the origin    → reject
 *   4. otherwise (silence, or EPERM from the sender's own OUTPUT path)              → drop
 * A packet a local process sends to a local address leaves on `lo` and comes back in; it counts as
 * local only if INPUT accepted it, which is why 'left' on lo is not an egress.
 *
 * NAT: from the node's conntrack entry (a NEW event, confirmed with both tuples after NAT): the DNAT
 * destination is the reply tuple's source, the SNAT source the reply tuple's destination. Without
 * an entry (the packet was dropped before confirmation) the DNAT is read from the observer's
 * 'routed-*' stages (after nat PREROUTING/OUTPUT, before filter), and the SNAT is unknown.
 */
import { canonicalAddress, sameAddress } from './address.js';
import type {
  ConntrackEntry,
  ConntrackTuple,
  Disposition,
  Endpoint,
  FlowTuple,
  NamespaceRole,
  Observation,
  ProbeEvidence,
  ProbeResult,
  Protocol,
  TopologyLayout,
} from './types.js';

function toFlow(protocol: Protocol, t: ConntrackTuple): FlowTuple | null {
  if (t.sport === undefined || t.dport === undefined) return null;
  const src = canonicalAddress(t.src) ?? t.src;
  const dst = canonicalAddress(t.dst) ?? t.dst;
  return { protocol, src, sport: t.sport, dst, dport: t.dport };
}

/** The conntrack events of the probe's own flow (matched on its original tuple), in order. */
export function eventsOfFlow(sent: ProbeEvidence['sent'], entries: readonly ConntrackEntry[]): ConntrackEntry[] {
  return entries.filter(
    (e) =>
      e.protocol === sent.protocol &&
      e.original.sport === sent.sport &&
      e.original.dport === sent.dport &&
      sameAddress(e.original.dst, sent.dst) &&
      (sent.src === undefined || sameAddress(e.original.src, sent.src)),
  );
}

/** `{ ip, port }` when it differs from the other endpoint (a translation happened), else null. */
function translated(ip: string, port: number, otherIp: string | undefined, otherPort: number): Endpoint | null {
  return !sameAddress(ip, otherIp) || port !== otherPort ? { ip, port } : null;
}

function sameFlow(a: FlowTuple, b: FlowTuple): boolean {
  return a.protocol === b.protocol && a.sport === b.sport && a.dport === b.dport && sameAddress(a.src, b.src) && sameAddress(a.dst, b.dst);
}

const routedStages = new Set(['routed-in', 'routed-through', 'routed-out']);

/** Leaf namespaces in path order: upstream, then remotes, then pods, as the layout lists them. */
function leafOrder(layout: TopologyLayout): NamespaceRole[] {
  return ['upstream', ...layout.remotes.map((r) => r.role), ...layout.pods.map((p) => p.role)];
}

export function interpretEvidence(evidence: ProbeEvidence, layout: TopologyLayout): ProbeResult {
  const { sent } = evidence;
  const flowEvents = eventsOfFlow(sent, evidence.conntrackEvents);
  const entry = flowEvents.find((e) => e.event === 'new') ?? flowEvents[0] ?? null;
  const original = entry ? toFlow(sent.protocol, entry.original) : null;
  const reply = entry ? toFlow(sent.protocol, entry.reply) : null;
  const conntrack = original && reply ? { original, reply } : null;

  // The probe's packets keep their source port until SNAT, which conntrack tells us about.
  const ports = new Set([sent.sport, ...(reply ? [reply.dport] : [])]);
  const ours = evidence.observations.filter((o) => o.flow.protocol === sent.protocol && ports.has(o.flow.sport));
  const atNode = ours.filter((o) => o.ns === 'node');

  const wireAfterNat: FlowTuple | null = reply
    ? { protocol: sent.protocol, src: reply.dst, sport: reply.dport, dst: reply.src, dport: reply.sport }
    : null;
  const left = atNode.filter((o) => o.stage === 'left' && o.iface !== 'lo');
  const leftBy: Observation | undefined = (wireAfterNat && left.find((o) => sameFlow(o.flow, wireAfterNat))) || left[0];

  let disposition: Disposition;
  let egressIface: string | undefined;
  if (atNode.some((o) => o.stage === 'delivered')) {
    disposition = 'local';
  } else if (leftBy) {
    egressIface = leftBy.iface;
    disposition = layout.localPodIfaces.includes(leftBy.iface) ? 'local-pod' : 'egress';
  } else if (evidence.sender.kind === 'refused' || evidence.sender.kind === 'unreachable' || evidence.signals.length > 0) {
    disposition = 'reject';
  } else {
    disposition = 'drop';
  }

  let dnat: Endpoint | null | undefined;
  let snat: Endpoint | null | undefined;
  if (conntrack) {
    const { original: o, reply: r } = conntrack;
    dnat = translated(r.src, r.sport, o.dst, o.dport);
    snat = translated(r.dst, r.dport, o.src, o.sport);
  } else {
    const routed = atNode.find((o) => routedStages.has(o.stage));
    if (routed) dnat = translated(routed.flow.dst, routed.flow.dport, sent.dst, sent.dport);
    const source = sent.src ?? atNode.find((o) => o.stage === 'sent' || o.stage === 'arrived')?.flow.src;
    if (leftBy && source !== undefined) snat = translated(leftBy.flow.src, leftBy.flow.sport, source, sent.sport);
  }

  const arrivedAt = new Set(ours.filter((o) => o.ns !== 'node' && o.stage === 'arrived').map((o) => o.ns));
  const reached = leafOrder(layout).filter((role) => arrivedAt.has(role));

  return {
    disposition,
    ...(egressIface !== undefined ? { egressIface } : {}),
    reached,
    ...(dnat !== undefined ? { dnat } : {}),
    ...(snat !== undefined ? { snat } : {}),
    conntrack,
    raw: { ...evidence, conntrackEvents: flowEvents },
  };
}
