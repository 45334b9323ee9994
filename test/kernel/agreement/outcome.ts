/**
 * Comparing what the kernel did with what the evaluator predicted. Both are reduced to an outcome:
 * disposition, the interface the packet left by, and the tuple after NAT (destination address and
 * port, source address). The kernel's outcome must equal one of the predicted paths' (a random
 * `statistic` fork or an unknown fact gives several); a path may stand for a set of packets (NAT
 * to a range), so its addresses and ports are sets and the kernel's value must be in them.
 *
 * Normalisation, each for a reason:
 * - The source port is not compared: MASQUERADE/SNAT may remap it (nf_nat_unique_tuple, and
 *   always with --random-fully), and the evaluator keeps the original.
 * - "No NAT" and "NAT to the same address" are the same final tuple, which is what is compared.
 * - What the kernel could not see (no conntrack entry for a dropped packet: no SNAT; dropped
 *   before nat PREROUTING: no DNAT) is not compared.
 * - An IPv4 TCP "reject" the sender never heard is a drop (see observedOutcome).
 * - Dispositions: the harness says local-pod when the packet left by cni0 or a pod's veth, the
 *   evaluator when the output interface has the pod role; both are compared as given, together
 *   with the interface itself.
 */
import { parseCidr, type Family } from '../../../src/model/values/address.js';
import type { TracePath, TraceResult } from '../../../src/eval/types.js';
import { canonicalAddress } from '../harness/address.js';
import type { ProbeResult } from '../harness/types.js';
import type { AgreementPacket, ObservedOutcome, PredictedOutcome, ValueRange, Verdict } from './types.js';

/** The kernel's outcome for the packet sent. */
export function observedOutcome(packet: AgreementPacket, result: ProbeResult): ObservedOutcome {
  const leaves = result.disposition === 'egress' || result.disposition === 'local-pod';
  // An IPv4 TCP connect in SYN_SENT fails at once on any destination-unreachable or reset meant
  // for it (tcp_v4_err → tcp_done_with_error), so an IPv4 TCP sender that timed out heard nothing
  // of its own: an ICMP error seen in its namespace then is a late answer to an earlier probe (an
  // ARP failure's host-unreachable comes seconds after the packet). Not so for IPv6, where this
  // kernel fails the connect only at the first SYN retransmission (~1 s, longer than the wait),
  // nor for UDP, whose connected socket is not told of host/net-unreachable (not fatal in
  // icmp_err_convert): there the signal is the only evidence, and the harness's word stands.
  const staleSignal = packet.family === 'ipv4' && packet.protocol === 'tcp' && result.disposition === 'reject' && result.raw.sender.kind === 'timeout';
  const out: { -readonly [K in keyof ObservedOutcome]: ObservedOutcome[K] } = { disposition: staleSignal ? 'drop' : result.disposition };
  if (leaves && result.egressIface !== undefined) out.iface = result.egressIface;
  if (result.dnat !== undefined) {
    out.dst = canonicalAddress(result.dnat ? result.dnat.ip : packet.dst) ?? packet.dst;
    out.dport = result.dnat ? result.dnat.port : packet.dport;
  }
  if (result.snat !== undefined) out.src = canonicalAddress(result.snat ? result.snat.ip : packet.src) ?? packet.src;
  return out;
}

function fullRange(family: Family): ValueRange {
  return { lo: 0n, hi: (1n << (family === 'ipv4' ? 32n : 128n)) - 1n };
}

/**
 * Reads the evaluator's address-class text back into ranges (src/eval/view.ts addressSetText:
 * `10.0.0.1`, `10.0.0.0/8, 10.1.0.0/16`, `any`, `none`); null for the shortened forms
 * (`+ N more`, `any except …`) and for `address of eth0`, which say less than the set.
 */
export function addressRanges(family: Family, text: string): ValueRange[] | null {
  if (text === 'any') return [fullRange(family)];
  if (text === 'none') return [];
  if (text.includes(' more') || text.startsWith('any except')) return null;
  const out: ValueRange[] = [];
  for (const part of text.split(', ')) {
    const cidr = parseCidr(part.trim(), family);
    if (!cidr) return null;
    out.push({ lo: cidr.first, hi: cidr.last });
  }
  return out;
}

/** The same for port-class text (src/eval/view.ts portSetText: `80`, `80,443`, `1000-2000`, `any`). */
export function portRanges(text: string): ValueRange[] | null {
  if (text === 'any') return [{ lo: 0n, hi: 65535n }];
  if (text === 'none') return [];
  if (text.includes(' more')) return null;
  const out: ValueRange[] = [];
  for (const part of text.split(',')) {
    const [a, b] = part.trim().split('-');
    if (a === undefined || !/^\d+$/.test(a) || (b !== undefined && !/^\d+$/.test(b))) return null;
    out.push({ lo: BigInt(a), hi: BigInt(b ?? a) });
  }
  return out;
}

function within(ranges: readonly ValueRange[] | null, value: bigint): boolean {
  return ranges === null || ranges.some((r) => value >= r.lo && value <= r.hi);
}

/** One predicted path as an outcome. */
export function predictedOutcome(family: Family, path: TracePath): PredictedOutcome {
  const leaves = path.disposition === 'egress' || path.disposition === 'local-pod';
  const iface = leaves && path.egress && !path.egress.iface.startsWith('(') ? path.egress.iface : undefined;
  return {
    disposition: path.disposition,
    ...(iface !== undefined ? { iface } : {}),
    dst: addressRanges(family, path.final.dst),
    dport: portRanges(path.final.dport),
    src: addressRanges(family, path.final.src),
    probability: path.probability,
    path,
  };
}

/** Why the kernel's outcome is not this path's; empty when it is. */
export function differences(family: Family, observed: ObservedOutcome, predicted: PredictedOutcome): string[] {
  const out: string[] = [];
  if (observed.disposition !== predicted.disposition) out.push(`disposition ${observed.disposition} ≠ ${predicted.disposition}`);
  if (observed.iface !== undefined && predicted.iface !== undefined && observed.iface !== predicted.iface) {
    out.push(`left by ${observed.iface} ≠ ${predicted.iface}`);
  }
  if (observed.dst !== undefined) {
    const dst = parseCidr(observed.dst, family);
    if (!dst || !within(predicted.dst, dst.first)) out.push(`destination ${observed.dst} ∉ ${predicted.path.final.dst}`);
  }
  if (observed.dport !== undefined && !within(predicted.dport, BigInt(observed.dport))) {
    out.push(`destination port ${observed.dport} ∉ ${predicted.path.final.dport}`);
  }
  if (observed.src !== undefined) {
    const src = parseCidr(observed.src, family);
    if (!src || !within(predicted.src, src.first)) out.push(`source ${observed.src} ∉ ${predicted.path.final.src}`);
  }
  return out;
}

/** The kernel's outcome against every path of the trace. */
export function compareOutcome(packet: AgreementPacket, observed: ObservedOutcome, trace: TraceResult): Verdict {
  const predicted = trace.paths.map((p) => predictedOutcome(packet.family, p));
  const why: string[] = [];
  for (const p of predicted) {
    const diff = differences(packet.family, observed, p);
    if (diff.length === 0) return { kind: 'agree', observed, matched: p, predicted };
    why.push(`${describePredicted(p)}: ${diff.join('; ')}`);
  }
  if (predicted.length === 0) why.push('the evaluator predicted no path at all');
  return { kind: 'disagree', observed, predicted, differences: why };
}

export function describeObserved(o: ObservedOutcome): string {
  const parts: string[] = [o.disposition];
  if (o.iface !== undefined) parts.push(`by ${o.iface}`);
  parts.push(o.dst !== undefined ? `dst ${o.dst}:${o.dport ?? '?'}` : 'dst unseen');
  parts.push(o.src !== undefined ? `src ${o.src}` : 'src unseen');
  return parts.join(', ');
}

export function describePredicted(p: PredictedOutcome): string {
  const f = p.path.final;
  const parts: string[] = [p.disposition];
  if (p.iface !== undefined) parts.push(`by ${p.iface}`);
  parts.push(`dst ${f.dst}:${f.dport}`, `src ${f.src}`);
  if (p.probability < 1) parts.push(`p=${p.probability.toFixed(3)}`);
  return parts.join(', ');
}

export function describePacket(p: AgreementPacket): string {
  const host = (a: string): string => (a.includes(':') ? `[${a}]` : a);
  return `${p.origin} ${p.protocol} ${host(p.src)}:${p.sport} → ${host(p.dst)}:${p.dport}`;
}
