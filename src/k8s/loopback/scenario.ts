/**
 * The LB-loopback scenario, hop by hop: the client node's netfilter/IPVS (the evaluator), the
 * load balancer (a model), the backend node's netfilter/IPVS, and what happens to the reply.
 *
 * Why a request that comes back to the client's own node fails (seeds 001/003): the LB passes
 * the client's address through; the backend node sees a request from one of its own pods (or,
 * after SNAT, from its own address — a martian), answers it locally, and the reply never goes
 * back through the LB that the client is waiting on.
 */
import type { NodeSnapshot } from '../../model/node.js';
import { formatAddress, parseAddress, type Family } from '../../model/values/address.js';
import { nodeFacts } from '../../eval/node-facts.js';
import type { NodeFacts } from '../../eval/facts.js';
import { trace } from '../../eval/pipeline.js';
import { IntervalSet } from '../../eval/interval-set.js';
import type { Probe, TracePath, TraceResult } from '../../eval/types.js';
import { remediationsFor } from './remediations.js';
import { resolveLbService, type LbServiceFacts } from './service.js';
import type { Hop, LbModel, LoopbackResult, LoopbackVerdict, Outcome } from './types.js';

export interface LoopbackInput {
  readonly nodes: readonly NodeSnapshot[];
  readonly lb: { readonly ip: string; readonly port: number | null; readonly proto: 'tcp' | 'udp' };
  readonly client: { readonly podIp: string | null; readonly node: string | null };
  readonly model: LbModel;
  /** NodePort of the LB's Service when the rules do not show it. */
  readonly nodePort?: number | null;
}

export type LoopbackAnswer = { readonly ok: true; readonly result: LoopbackResult } | { readonly ok: false; readonly problems: readonly string[] };

interface NodeView {
  readonly node: NodeSnapshot;
  readonly facts: NodeFacts;
  /** The node's address on its uplink (what the LB forwards to). */
  readonly ip: bigint | null;
  readonly uplink: string | null;
}

function viewOf(node: NodeSnapshot, family: Family): NodeView {
  const facts = nodeFacts(node, family);
  const uplink = facts.uplink();
  return { node, facts, uplink, ip: uplink ? facts.primaryAddress(uplink) : null };
}

function probeOf(origin: Probe['origin'], family: Family, src: bigint, dst: bigint, proto: 'tcp' | 'udp', dport: number, inIface: string | null): Probe {
  return {
    origin,
    family,
    src: IntervalSet.of(src),
    dst: IntervalSet.of(dst),
    proto,
    sport: IntervalSet.of(40000n),
    dport: IntervalSet.of(BigInt(dport)),
    inIface,
    state: 'NEW',
    mark: 0,
    assumeHistory: false,
  };
}

/** Restricts a trace to one path, for the hop that follows it. */
function onePath(result: TraceResult, path: TracePath): TraceResult {
  return { ...result, paths: [path] };
}

function pathText(path: TracePath): string {
  const f = path.final;
  switch (path.disposition) {
    case 'drop':
    case 'reject':
      return `${path.disposition === 'drop' ? 'dropped' : 'rejected'}: ${path.reason ?? ''}`;
    case 'local':
      return `delivered locally to ${f.dst}:${f.dport}`;
    case 'local-pod':
    case 'egress':
      return `${path.disposition === 'egress' ? 'leaves on' : 'to a pod via'} ${path.egress?.iface ?? '?'} as ${f.src}:${f.sport} → ${f.dst}:${f.dport}${path.snat ? ` (SNAT to ${path.snat.to})` : ' (no SNAT)'}`;
    default: {
      const never: never = path.disposition;
      return never;
    }
  }
}

export function simulateLoopback(input: LoopbackInput): LoopbackAnswer {
  const problems: string[] = [];
  const notes: string[] = [];
  const lbAddr = parseAddress(input.lb.ip);
  if (!lbAddr) return { ok: false, problems: [`--lb ${input.lb.ip} is not an address`] };
  const family = lbAddr.family;
  if (input.nodes.length === 0) return { ok: false, problems: ['no node snapshot was given'] };
  const views = input.nodes.map((n) => viewOf(n, family));
  for (const v of views) if (v.ip === null) notes.push(`${v.node.name}: its address on the uplink is unknown (no ip addr / default route in its snapshot)`);

  // The client's node: named, or the one that routes the client address to a pod interface.
  const clientIp = input.client.podIp ? parseAddress(input.client.podIp, family) : null;
  if (input.client.podIp && !clientIp) problems.push(`--client ${input.client.podIp} is not an ${family} address`);
  let a = input.client.node ? views.find((v) => v.node.name === input.client.node) : undefined;
  if (input.client.node && !a) problems.push(`--client-node ${input.client.node} is not one of the nodes given (${views.map((v) => v.node.name).join(', ')})`);
  if (!a && clientIp) a = views.find((v) => v.facts.podInterface(clientIp.first) !== null);
  a ??= views[0]!;
  let client = clientIp?.first ?? null;
  if (client === null) {
    const podRoute = a.node.routes?.find((r) => r.family === family && r.destination !== 'default' && r.dev !== undefined && a!.facts.interfaceRole(r.dev) === 'pod' && r.type === 'unicast');
    if (podRoute && podRoute.destination !== 'default') {
      client = podRoute.destination.first + 200n;
      notes.push(`no --client given: using ${formatAddress(family, client)}, an address of ${a.node.name}'s pod network ${podRoute.destination.text}`);
    } else problems.push(`give --client POD-IP: ${a.node.name}'s snapshot shows no pod network`);
  }
  if (problems.length || client === null) return { ok: false, problems };

  const service: LbServiceFacts = resolveLbService(a.node, lbAddr.first, input.lb.port, input.lb.proto, family);
  notes.push(...service.notes);
  const port = input.lb.port ?? service.port;
  if (port === null) return { ok: false, problems: [`give --lb ${input.lb.ip}:PORT: the snapshot of ${a.node.name} has no Service port on ${input.lb.ip}`] };
  const nodePort = input.nodePort ?? service.nodePort;
  if (nodePort === null && input.model.backends === 'nodeport') notes.push('the NodePort of this Service is unknown: LB → node hops are not simulated (give --node-port)');

  const outcomes: Outcome[] = [];
  const clientTrace = trace(a.facts, probeOf('pod', family, client, lbAddr.first, input.lb.proto, port, null));
  for (const path of clientTrace.paths) {
    const first: Hop = { kind: 'client-node', node: a.node.name, text: pathText(path), trace: onePath(clientTrace, path) };
    const leaves = path.disposition === 'egress' && path.final.dst === lbAddr.text && !path.dnat;
    if (path.disposition === 'drop' || path.disposition === 'reject') {
      outcomes.push({
        verdict: 'blackhole',
        probability: path.probability,
        hops: [first],
        effect: path.disposition === 'reject' ? 'connection refused' : 'timeout',
        explanation: `On ${a.node.name} the request is ${path.disposition === 'reject' ? 'rejected' : 'dropped'} before it reaches the load balancer: ${path.reason ?? ''}. With externalTrafficPolicy: Local, a node without a local endpoint has nothing to send it to.`,
      });
      continue;
    }
    if (!leaves) {
      outcomes.push({
        verdict: 'short-circuit',
        probability: path.probability,
        hops: [first],
        effect: 'answered without the load balancer',
        explanation: `On ${a.node.name} kube-proxy takes ${input.lb.ip}:${port} itself (${path.dnat ? `DNAT to ${path.dnat.to}` : 'delivered locally'}): the load balancer is never reached, so its features (TLS, WAF, logs) are bypassed, but there is no loopback.`,
      });
      continue;
    }
    outcomes.push(...lbHop(input, views, a, path, first, client, lbAddr.first, port, nodePort, family, notes, service.policy));
  }

  const healthChecks = input.model.probeFromVip ? healthProbes(input, views, lbAddr.first, service.healthCheckNodePort ?? nodePort, family) : [];
  const verdict = headline(outcomes, healthChecks);
  const probability =
    verdict === 'health-check-failure'
      ? healthChecks.filter((h) => h.verdict === 'health-check-failure').length / Math.max(1, healthChecks.length)
      : outcomes.filter((o) => o.verdict === verdict).reduce((s, o) => s + o.probability, 0);
  return {
    ok: true,
    result: {
      verdict,
      probability,
      lb: { ip: lbAddr.text, port, proto: input.lb.proto, nodePort },
      model: input.model,
      clientNode: a.node.name,
      client: formatAddress(family, client),
      outcomes,
      healthChecks,
      remediations: remediationsFor(verdict, input.model, service),
      notes,
    },
  };
}

const SEVERITY: readonly LoopbackVerdict[] = ['loopback', 'blackhole', 'health-check-failure', 'short-circuit', 'works'];

function headline(outcomes: readonly Outcome[], healthChecks: readonly Outcome[]): LoopbackVerdict {
  for (const v of SEVERITY) {
    if (v === 'health-check-failure') {
      if (healthChecks.some((h) => h.verdict === v)) return v;
      continue;
    }
    if (outcomes.some((o) => o.verdict === v && o.probability > 0)) return v;
  }
  return 'works';
}

/** The LB picks a backend; each choice is traced on the backend node. */
function lbHop(
  input: LoopbackInput,
  views: readonly NodeView[],
  a: NodeView,
  path: TracePath,
  first: Hop,
  client: bigint,
  lbIp: bigint,
  port: number,
  nodePort: number | null,
  family: Family,
  notes: string[],
  policy: LbServiceFacts['policy'],
): Outcome[] {
  const model = input.model;
  const srcText = path.final.src;
  const src = parseAddress(srcText, family)?.first ?? null;
  if (src === null) {
    notes.push(`the source after ${a.node.name}'s SNAT is "${srcText}", not a concrete address (no ip addr for its uplink)`);
  }
  const fromLb = model.snat ? parseAddress(model.snatAddress, family)!.first : src;
  if (nodePort === null || fromLb === null) return [];
  let candidates = views.filter((v) => v.ip !== null);
  const dropped: string[] = [];
  if (model.avoidsSourceBackend && src !== null) {
    const same = candidates.filter((v) => v.ip === src);
    candidates = candidates.filter((v) => v.ip !== src);
    for (const v of same) dropped.push(`${v.node.name} (its address ${formatAddress(family, v.ip!)} is the request's source, which ${model.title} does not forward back to)`);
  }
  // Health checks of a Local Service take out nodes that would drop the traffic.
  const reach = new Map<NodeView, TraceResult>();
  for (const v of candidates) {
    const probeSrc = fromLb;
    reach.set(v, trace(v.facts, probeOf('external', family, probeSrc, v.ip!, input.lb.proto, nodePort, v.uplink)));
  }
  if (model.healthChecked) {
    const healthy = candidates.filter((v) => healthyBackend(v, family, nodePort, input.lb.proto, policy));
    for (const v of candidates) if (!healthy.includes(v)) dropped.push(`${v.node.name} (fails the LB health check: ${policy === 'Local' ? 'no local endpoint for a Local Service' : 'its NodePort drops the traffic'})`);
    candidates = healthy;
  }
  if (views.length < 2) notes.push('only one node was given: the LB can only pick among the nodes whose bundles were given');
  const lbText = `${model.title} forwards ${model.snat ? `with SNAT to ${model.snatAddress}` : `keeping the source ${srcText}`} to one of: ${candidates.map((c) => `${c.node.name} ${formatAddress(family, c.ip!)}:${nodePort}`).join(', ') || 'no backend'}${dropped.length ? `; not to ${dropped.join('; ')}` : ''}`;
  if (candidates.length === 0) {
    return [
      {
        verdict: 'blackhole',
        probability: path.probability,
        hops: [first, { kind: 'load-balancer', node: null, text: lbText, trace: null }],
        effect: 'connection reset or timeout',
        explanation: 'The load balancer has no backend to forward to.',
      },
    ];
  }
  const share = path.probability / candidates.length;
  const out: Outcome[] = [];
  const others = candidates.filter((c) => c !== a);
  for (const b of candidates) {
    const backendTrace = reach.get(b)!;
    const lbHopEntry: Hop = { kind: 'load-balancer', node: null, text: `${lbText} — picks ${b.node.name}`, trace: null };
    for (const bp of backendTrace.paths) {
      const p = share * bp.probability;
      const hop: Hop = { kind: 'backend-node', node: b.node.name, text: pathText(bp), trace: onePath(backendTrace, bp) };
      const hops = [first, lbHopEntry, hop];
      if (b === a && !model.snat) {
        const retry = model.retryAfterSeconds !== null && others.length > 0;
        out.push({
          verdict: 'loopback',
          probability: p,
          hops,
          effect: retry ? `about ${model.retryAfterSeconds} s delay, then an answer from another node` : others.length === 0 ? 'total failure (one backend: the client\'s own node)' : 'timeout or reset (unstable: depends on which node the LB picks)',
          explanation:
            bp.disposition === 'drop' || bp.disposition === 'reject'
              ? `The LB sends the request back to ${a.node.name}, the client's own node, with the client's address ${formatAddress(family, client)} as source; ${a.node.name} drops it (${bp.reason ?? ''}).`
              : `The LB sends the request back to ${a.node.name}, the client's own node, with the client's address ${formatAddress(family, client)} as source. ${a.node.name} ${bp.dnat ? `DNATs it to ${bp.dnat.to}` : 'accepts it'}, and the reply goes straight to the client pod on the same node instead of back through the LB: the client, waiting for ${formatAddress(family, lbIp)}:${port}, never gets its answer.`,
        });
        continue;
      }
      if (bp.disposition === 'drop' || bp.disposition === 'reject') {
        const own = b === a;
        out.push({
          verdict: own ? 'loopback' : 'blackhole',
          probability: p,
          hops,
          effect: bp.disposition === 'reject' ? 'connection refused' : 'timeout',
          explanation: own
            ? `The LB sends the request back to ${a.node.name} with ${a.node.name}'s own address as source: ${bp.reason ?? 'dropped'}.`
            : `${b.node.name} ${bp.disposition === 'reject' ? 'rejects' : 'drops'} the request: ${bp.reason ?? ''}.`,
        });
        continue;
      }
      // The endpoint may live on a third node: follow the packet there (it must not arrive with
      // that node's own address as source, or it is a martian).
      const onward = bp.disposition === 'egress' ? endpointHop(views, b, bp, input.lb.proto, family) : null;
      if (onward && onward.failed) {
        const own = onward.view === a;
        out.push({
          verdict: own ? 'loopback' : 'blackhole',
          probability: p,
          hops: [...hops, onward.hop],
          effect: 'timeout',
          explanation: `${b.node.name} forwards it to ${bp.final.dst}:${bp.final.dport} on ${onward.view.node.name}${bp.snat ? '' : ` still with source ${bp.final.src}`}, and ${onward.view.node.name} drops it: ${onward.reason}.`,
        });
        continue;
      }
      // Where the endpoint answers from, and to whom: a reply to a pod on that same node goes
      // straight to it, not back through the node that forwarded the request and the LB.
      const endpointNode = onward ? onward.view : bp.disposition === 'local-pod' || bp.disposition === 'local' ? b : null;
      const seenSource = parseAddress(bp.final.src, family)?.first ?? null;
      const shortReply = endpointNode !== null && endpointNode !== b && seenSource !== null && (endpointNode.facts.podInterface(seenSource) !== null || endpointNode.facts.isLocal(seenSource) === true);
      if (shortReply) {
        out.push({
          verdict: endpointNode === a ? 'loopback' : 'blackhole',
          probability: p,
          hops: onward ? [...hops, onward.hop] : hops,
          effect: 'timeout or reset',
          explanation: `${b.node.name} forwards it to ${bp.final.dst}:${bp.final.dport} on ${endpointNode.node.name} with source ${bp.final.src}, a pod of ${endpointNode.node.name} itself: the endpoint answers that pod directly on the node, so the reply never goes back through ${b.node.name} and the LB, and the client rejects it.`,
        });
        continue;
      }
      out.push({
        verdict: 'works',
        probability: p,
        hops: onward ? [...hops, onward.hop] : hops,
        effect: 'works',
        explanation: `${b.node.name} ${bp.dnat ? `DNATs it to ${bp.dnat.to}` : 'delivers it'}${onward ? ` on ${onward.view.node.name}` : ''} and the reply goes back the way it came, through the LB.`,
      });
    }
  }
  return out;
}

/** The node an endpoint runs on, when it is another node than the backend's, and what it does. */
function endpointHop(views: readonly NodeView[], from: NodeView, path: TracePath, proto: 'tcp' | 'udp', family: Family): { view: NodeView; hop: Hop; failed: boolean; reason: string } | null {
  const dst = parseAddress(path.final.dst, family)?.first;
  const src = parseAddress(path.final.src, family)?.first;
  const dport = Number(path.final.dport);
  if (dst === undefined || src === undefined || !Number.isFinite(dport)) return null;
  const c = views.find((v) => v !== from && v.facts.podInterface(dst) !== null);
  if (!c) return null;
  const r = trace(c.facts, probeOf('external', family, src, dst, proto, dport, c.uplink));
  const failed = r.paths.every((p) => p.disposition === 'drop' || p.disposition === 'reject');
  return {
    view: c,
    hop: { kind: 'endpoint-node', node: c.node.name, text: r.paths.map(pathText).join('; '), trace: r },
    failed,
    reason: r.paths.find((p) => p.reason)?.reason ?? 'dropped',
  };
}

/**
 * A backend passes the LB health check when its NodePort delivers traffic; for a Local Service
 * the check goes to kube-proxy's health-check NodePort, which answers 200 only while the node has
 * a local endpoint (pkg/proxy/healthcheck), so the node must DNAT to a pod of its own.
 */
function healthyBackend(v: NodeView, family: Family, nodePort: number, proto: 'tcp' | 'udp', policy: LbServiceFacts['policy']): boolean {
  const probe = probeOf('external', family, parseAddress('198.51.100.7', family)?.first ?? 1n, v.ip!, proto, nodePort, v.uplink);
  const r = trace(v.facts, probe);
  const delivered = r.paths.filter((p) => p.disposition !== 'drop' && p.disposition !== 'reject');
  if (policy !== 'Local') return delivered.length > 0;
  return delivered.some((p) => {
    const to = p.dnat ? parseAddress(p.dnat.to.split(':')[0] ?? '', family)?.first : undefined;
    return to !== undefined && v.facts.podInterface(to) !== null;
  });
}

/**
 * LB health probes from the VIP itself: a node that has the VIP bound (kube-ipvs0) sees a packet
 * from one of its own addresses and drops it as a martian (kubernetes/kubernetes#79783).
 */
function healthProbes(input: LoopbackInput, views: readonly NodeView[], lbIp: bigint, port: number | null, family: Family): Outcome[] {
  if (port === null) return [];
  const out: Outcome[] = [];
  for (const v of views) {
    if (v.ip === null) continue;
    const r = trace(v.facts, probeOf('external', family, lbIp, v.ip, input.lb.proto, port, v.uplink));
    const failed = r.paths.every((p) => p.disposition === 'drop' || p.disposition === 'reject');
    const martian = r.paths.some((p) => (p.reason ?? '').startsWith('martian source'));
    out.push({
      verdict: failed && martian ? 'health-check-failure' : 'works',
      probability: 1,
      hops: [{ kind: 'health-check', node: v.node.name, text: `probe ${formatAddress(family, lbIp)} → ${formatAddress(family, v.ip)}:${port}: ${r.paths.map(pathText).join('; ')}`, trace: r }],
      effect: failed ? 'health probe fails' : 'health probe answered',
      explanation:
        failed && martian
          ? `${v.node.name} has ${formatAddress(family, lbIp)} bound locally, so a probe from that address is a martian and is dropped; the LB sees the node as unhealthy.`
          : failed
            ? `${v.node.name} drops the probe: ${r.paths[0]?.reason ?? ''}.`
            : `${v.node.name} answers the probe.`,
    });
  }
  return out;
}
