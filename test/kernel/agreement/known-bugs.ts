/**
 * Evaluator bugs the agreement checks found and reported, whose fixes are pending. A disagreement
 * that has exactly a known bug's signature is counted apart (and printed) instead of failing the
 * sweep; each bug also has a minimal case in test/kernel/eval-agreement.test.ts marked `it.fails`,
 * which starts failing once the fix lands: then delete the entry here and make the case a plain
 * regression test (as K1, K3 and K6 were, fixed in 88b63e7). IPTLENS_AGREEMENT_STRICT=1 turns
 * this list off.
 */
import { IntervalSet } from '../../../src/eval/interval-set.js';
import { trace } from '../../../src/eval/pipeline.js';
import { parseAddress } from '../../../src/model/values/address.js';
import { differences } from './outcome.js';
import type { NodeView } from './node-view.js';
import type { AgreementPacket, Verdict } from './types.js';

export interface KnownBug {
  readonly id: string;
  readonly summary: string;
  /** True when this disagreement is this bug and nothing else. */
  matches(packet: AgreementPacket, verdict: Extract<Verdict, { kind: 'disagree' }>, view: NodeView): boolean;
}

export const knownBugs: readonly KnownBug[] = [
  {
    id: 'K4',
    summary:
      'a REJECT is predicted as reject even when the node\'s own OUTPUT drops the ICMP error or TCP reset it sends back (nf_send_unreach/nf_send_reset send it through ip_local_out, so filter OUTPUT sees it): the client hears nothing, a drop',
    matches(packet, verdict, view) {
      if (verdict.observed.disposition !== 'drop') return false;
      return verdict.predicted.some((p) => {
        if (p.disposition !== 'reject' || differences(packet.family, verdict.observed, { ...p, disposition: 'drop' }).length > 0) return false;
        const step = p.path.steps.find((s) => s.effect.startsWith('REJECT with '));
        if (!step) return false;
        // The answer, as a later packet of the connection from the address the client called.
        const from = parseAddress(p.path.final.dst, packet.family);
        const to = parseAddress(packet.src, packet.family);
        if (!from || !to) return false;
        const tcpReset = step.effect === 'REJECT with tcp-reset';
        const answer = trace(view.factsFor(packet.family), {
          origin: 'host',
          family: packet.family,
          src: IntervalSet.of(from.first),
          dst: IntervalSet.of(to.first),
          proto: tcpReset ? 'tcp' : packet.family === 'ipv4' ? 'icmp' : 'icmpv6',
          sport: IntervalSet.of(tcpReset ? BigInt(packet.dport) : 0n),
          dport: IntervalSet.of(tcpReset ? BigInt(packet.sport) : 0n),
          inIface: null,
          state: 'ESTABLISHED',
          mark: 0,
          assumeHistory: false,
        });
        return answer.paths.length > 0 && answer.paths.every((a) => a.disposition === 'drop' || a.disposition === 'reject');
      });
    },
  },
  {
    id: 'K7',
    summary:
      'a local packet with a loopback source (127.0.0.1) that nat OUTPUT DNATs to a non-local address is predicted to leave with that source; the kernel drops it: the re-route after DNAT (ip_route_me_harder → ip_route_output_key_hash_rcu) refuses a loopback source on a non-loopback device unless route_localnet is set (a UDP sender gets EINVAL)',
    matches(packet, verdict, view) {
      if (packet.origin !== 'host' || verdict.observed.disposition !== 'drop') return false;
      const src = parseAddress(packet.src, packet.family);
      if (!src || packet.family !== 'ipv4' || src.first >> 24n !== 127n) return false;
      const facts = view.factsFor(packet.family);
      return verdict.predicted.some(
        (p) =>
          (p.disposition === 'egress' || p.disposition === 'local-pod') &&
          p.iface !== undefined &&
          p.iface !== 'lo' &&
          facts.sysctl('route_localnet', p.iface).value === 0 &&
          p.path.steps.some((s) => s.effect.startsWith('re-routed after DNAT')) &&
          differences(packet.family, verdict.observed, { ...p, disposition: 'drop' }).length === 0,
      );
    },
  },
  {
    id: 'K8',
    summary:
      'after nat OUTPUT re-routes a local packet (DNAT), the evaluator gives the new output device to the rest of OUTPUT (filter, security); the kernel keeps the hook\'s original one (__ip_local_out builds the nf_hook state once, before nf_nat_ipv4_local_fn calls ip_route_me_harder), so `-o` in filter OUTPUT sees the pre-DNAT device (lo for a packet to a local address) and only POSTROUTING sees the new one',
    matches(packet, verdict, view) {
      // Looser than the others (the evaluator cannot be asked what it would do with the old
      // device): a local packet re-routed by DNAT to another device, under rules that test -o.
      if (packet.origin !== 'host') return false;
      const ruleset = packet.family === 'ipv4' ? view.snapshot.ipv4 : view.snapshot.ipv6;
      const outputTables = ruleset?.tables.filter((t) => t.name === 'filter' || t.name === 'security' || t.name === 'mangle') ?? [];
      const usesOut = outputTables.some((t) => t.chains.some((c) => c.rules.some((r) => r.matches.some((m) => m.kind === 'out-interface'))));
      if (!usesOut) return false;
      return verdict.predicted.some((p) => {
        const k = p.path.steps.findIndex((s) => s.effect.startsWith('re-routed after DNAT'));
        if (k < 0) return false;
        const before = [...p.path.steps.slice(0, k)].reverse().find((s) => s.hook === 'routing');
        const after = p.path.steps.slice(k + 1).find((s) => s.hook === 'routing');
        return before !== undefined && after !== undefined && before.effect !== after.effect;
      });
    },
  },
];

/** The id and summary of the known bug this disagreement is, if any. */
export function knownBugOf(packet: AgreementPacket, verdict: Extract<Verdict, { kind: 'disagree' }>, view: NodeView): string | undefined {
  // IPTLENS_AGREEMENT_STRICT=1: every disagreement fails, known or not (to see them all).
  if (process.env['IPTLENS_AGREEMENT_STRICT'] === '1') return undefined;
  const bug = knownBugs.find((b) => b.matches(packet, verdict, view));
  return bug ? `${bug.id}: ${bug.summary}` : undefined;
}
