/**
 * Evaluator bugs the agreement checks found and reported, whose fixes are pending. A disagreement
 * that has exactly a known bug's signature is counted apart (and printed) instead of failing the
 * sweep; each bug also has a minimal case in test/kernel/eval-agreement.test.ts marked `it.fails`,
 * which starts failing once the fix lands: then delete the entry here.
 */
import { compareOutcome, differences } from './outcome.js';
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
    id: 'K2',
    summary:
      'a rule with `-p ipencap` (how iptables-save names protocol 4, from /etc/protocols) loses its protocol match, so it matches every packet: Calico\'s "Drop IPinIP encapped packets originating in workloads" drops all pod traffic (src/model/iptables: the name is not known, and an unreadable -p value is dropped instead of kept as an unknown match)',
    matches(packet, verdict, view) {
      if (!view.rules.some((r) => r.text.includes(' -p ipencap '))) return false;
      // Exactly this bug: spelled `-p 4`, which the model reads, the evaluator agrees with the kernel.
      const fixed = view.withRules((text) => text.split(' -p ipencap ').join(' -p 4 '));
      return compareOutcome(packet, verdict.observed, fixed.trace(packet)).kind === 'agree' || explainedByK1(packet, verdict, fixed);
    },
  },
];

function explainedByK1(packet: AgreementPacket, verdict: Extract<Verdict, { kind: 'disagree' }>, view: NodeView): boolean {
  const again = compareOutcome(packet, verdict.observed, view.trace(packet));
  return again.kind === 'disagree' && knownBugs[0]!.matches(packet, again, view);
}

/** The id and summary of the known bug this disagreement is, if any. */
export function knownBugOf(packet: AgreementPacket, verdict: Extract<Verdict, { kind: 'disagree' }>, view: NodeView): string | undefined {
  const bug = knownBugs.find((b) => b.matches(packet, verdict, view));
  return bug ? `${bug.id}: ${bug.summary}` : undefined;
}
