/**
 * Evaluator bugs the agreement checks found and reported, whose fixes are pending. A disagreement
 * that has exactly a known bug's signature is counted apart (and printed) instead of failing the
 * sweep; each bug also has a minimal case in test/kernel/eval-agreement.test.ts marked `it.fails`,
 * which starts failing once the fix lands: then delete the entry here. IPTLENS_AGREEMENT_STRICT=1
 * turns this list off.
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
    id: 'K1',
    summary:
      'a veth that is the uplink (the default route\'s device, as eth0 is in these namespaces and on kind nodes) is taken for a pod interface, so a packet leaving by it is called local-pod instead of egress (src/eval/node-facts.ts roleOf: kind veth → pod)',
    matches(packet, verdict, view) {
      const facts = view.factsFor(packet.family);
      const uplink = facts.uplink();
      if (verdict.observed.disposition !== 'egress' || uplink === null || verdict.observed.iface !== uplink) return false;
      if (facts.interfaceRole(uplink) !== 'pod') return false;
      return verdict.predicted.some((p) => p.disposition === 'local-pod' && p.iface === uplink && differences(packet.family, verdict.observed, { ...p, disposition: 'egress' }).length === 0);
    },
  },
  {
    id: 'K3',
    summary:
      'MASQUERADE of a packet leaving by lo (a local process to a local address) is taken to leave the source alone ("address of lo"); the kernel picks the first universe-scope address of the namespace (nf_nat_masquerade_ipv4 → inet_select_addr: lo has only host-scope 127.0.0.1, so it falls back to the other devices in order)',
    matches(packet, verdict) {
      return verdict.predicted.some(
        (p) => p.path.steps.some((s) => s.effect === 'MASQUERADE to address of lo') && differences(packet.family, verdict.observed, { ...p, src: null }).length === 0,
      );
    },
  },
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
    id: 'K6',
    summary:
      'an address covered by a local-table prefix route but not itself an interface address (127.0.0.53, systemd-resolved\'s stub, under `local 127.0.0.0/8 dev lo`) is not taken as local: the route is reduced to its first address (src/eval/node-facts.ts localList), so a host packet to it leaves by the default route',
    matches(packet, verdict, view) {
      const dst = parseAddress(packet.dst, packet.family);
      if (!dst) return false;
      const facts = view.factsFor(packet.family);
      const coveredByPrefix = (view.snapshot.localAddresses ?? []).some((a) => a.address.family === packet.family && a.address.first !== a.address.last && dst.first >= a.address.first && dst.first <= a.address.last);
      return coveredByPrefix && facts.isLocal(dst.first) === false && verdict.observed.disposition === 'local';
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
