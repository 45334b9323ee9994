/**
 * Asking both sides about one packet, and saying what they answered. The evaluator is asked
 * first: when every answer it gives goes through IPVS, the kernel (which has no IPVS module here)
 * is not asked, and the packet is counted as not comparable.
 */
import { probe } from '../harness/index.js';
import type { ProbeResult, Topology } from '../harness/types.js';
import { knownBugOf } from './known-bugs.js';
import { compareOutcome, describeObserved, describePacket, describePredicted, observedOutcome } from './outcome.js';
import type { NodeView } from './node-view.js';
import type { AgreementPacket, AgreementRecord } from './types.js';

/** Sender wait: answers in a namespace come within milliseconds; only a dropped packet waits this long. */
export const probeWaitMs = 300;

function podFor(topology: Topology, packet: AgreementPacket): string | undefined {
  if (packet.origin !== 'pod') return undefined;
  const pod = topology.layout.pods.find((p) => p.address === packet.src || p.address6 === packet.src);
  if (!pod) throw new Error(`agreement: no pod has the address ${packet.src}`);
  return pod.name;
}

/** Traces, probes (unless IPVS takes the packet) and compares one packet. */
export async function checkPacket(topology: Topology, view: NodeView, packet: AgreementPacket): Promise<AgreementRecord> {
  const traced = view.trace(packet);
  const ipvs = traced.paths.filter((p) => p.steps.some((s) => s.hook === 'ipvs'));
  if (ipvs.length > 0) {
    const why = `the evaluator sends ${ipvs.length === traced.paths.length ? 'it' : `${ipvs.length} of its ${traced.paths.length} paths`} through IPVS, which this kernel does not have`;
    return { packet, trace: traced, verdict: { kind: 'not-comparable', why } };
  }
  const pod = podFor(topology, packet);
  let kernel: ProbeResult;
  try {
    kernel = await probeKernel(topology, packet, pod);
  } catch (e) {
    // A UDP send the node's own stack refuses with EINVAL: the route the packet needs after nat
    // OUTPUT cannot be had (ip_route_me_harder fails, e.g. a loopback source on a non-loopback
    // device), and sendmsg says so. The harness reports a sender error by throwing; the packet
    // went nowhere, so it is a drop, with no kernel evidence to show.
    const message = e instanceof Error ? e.message : String(e);
    if (packet.origin !== 'host' || packet.protocol !== 'udp' || !/could not send .*: EINVAL send EINVAL$/.test(message)) throw e;
    const observed = { disposition: 'drop' as const };
    const verdict = compareOutcome(packet, observed, traced);
    const knownBug = verdict.kind === 'disagree' ? knownBugOf(packet, verdict, view) : undefined;
    return { packet, trace: traced, verdict, kernelNote: message, ...(knownBug !== undefined ? { knownBug } : {}) };
  }
  const verdict = compareOutcome(packet, observedOutcome(packet, kernel), traced);
  const knownBug = verdict.kind === 'disagree' ? knownBugOf(packet, verdict, view) : undefined;
  return { packet, trace: traced, verdict, kernel, ...(knownBug !== undefined ? { knownBug } : {}) };
}

function probeKernel(topology: Topology, packet: AgreementPacket, pod: string | undefined): Promise<ProbeResult> {
  return probe(topology, {
    origin: packet.origin,
    ...(pod !== undefined ? { pod } : {}),
    protocol: packet.protocol,
    src: packet.src,
    sport: packet.sport,
    dst: packet.dst,
    dport: packet.dport,
    waitMs: probeWaitMs,
  });
}

/** Runs `work` over `items`, at most `limit` at a time (kernel probes are bound by process start-up CPU). */
export async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      await work(items[k]!, k);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function kernelEvidence(r: ProbeResult): string[] {
  const obs = r.raw.observations.map((o) => `    ${o.ns} ${o.stage} ${o.iface} ${o.flow.src}:${o.flow.sport} → ${o.flow.dst}:${o.flow.dport}`);
  return [
    `  sender: ${JSON.stringify(r.raw.sender)}`,
    `  signals: ${JSON.stringify(r.raw.signals)}`,
    '  observations:',
    ...obs,
    `  conntrack events:\n${r.raw.conntrackText.split('\n').map((l) => `    ${l}`).join('\n')}`,
  ];
}

/** Everything needed to understand a disagreement, for a failure message. */
export function explainRecord(record: AgreementRecord): string {
  const lines = [`packet: ${describePacket(record.packet)}`];
  const v = record.verdict;
  if (v.kind === 'not-comparable') return [...lines, `not compared: ${v.why}`].join('\n');
  lines.push(`kernel: ${describeObserved(v.observed)}`);
  lines.push('iptlens:');
  for (const p of v.predicted) lines.push(`  ${describePredicted(p)}`);
  if (v.kind === 'disagree') {
    lines.push('differences:', ...v.differences.map((d) => `  ${d}`));
    if (record.knownBug) lines.push(`known evaluator bug: ${record.knownBug}`);
  }
  for (const [k, p] of record.trace.paths.entries()) {
    lines.push(`iptlens path ${k + 1} (${p.disposition}${p.reason ? `: ${p.reason}` : ''}):`);
    for (const s of p.steps) lines.push(`    ${s.hook}${s.table ? ` ${s.table}/${s.chain ?? ''}${s.rule !== null ? `#${s.rule}` : ''}` : ''}: ${s.effect}`);
    for (const c of p.conditions) lines.push(`    if ${c.text}`);
  }
  if (record.trace.assumptions.length > 0) lines.push('iptlens assumptions:', ...record.trace.assumptions.map((a) => `  ${a}`));
  if (record.kernel) lines.push('kernel evidence:', ...kernelEvidence(record.kernel));
  if (record.kernelNote) lines.push(`kernel: ${record.kernelNote}`);
  return lines.join('\n');
}

/** Tallies for the summary line. */
export interface Tally {
  agree: number;
  disagree: number;
  knownBug: number;
  notComparable: number;
}

export function tally(records: Iterable<AgreementRecord>): Tally {
  const t: Tally = { agree: 0, disagree: 0, knownBug: 0, notComparable: 0 };
  for (const r of records) {
    if (r.verdict.kind === 'agree') t.agree++;
    else if (r.verdict.kind === 'not-comparable') t.notComparable++;
    else if (r.knownBug) t.knownBug++;
    else t.disagree++;
  }
  return t;
}
