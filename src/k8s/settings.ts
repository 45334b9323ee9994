/**
 * Node-wide kube-proxy settings that both modes show the same way: the masquerade bit
 * (`--iptables-masquerade-bit`, KUBE-MARK-MASQ), the IPVS-mode masquerade rule, and this node's
 * pod prefixes (its interfaces inside the cluster CIDR, e.g. cni0 10.244.1.1/24, or its Node
 * object's spec.podCIDRs).
 */
import type { Rule, Ruleset } from '../model/iptables/types.js';
import { parseCidr, type Cidr } from '../model/values/address.js';
import type { SettingsDraft } from './draft.js';
import { inInterfaceOf, jumpOf, sourceOf } from './rule-fields.js';
import type { KubeNode, NodeAddress } from './types.js';

function natRules(ruleset: Ruleset, chain: string): readonly Rule[] {
  return ruleset.tables.find((t) => t.name === 'nat')?.chainsByName.get(chain)?.rules ?? [];
}

/** KUBE-MARK-MASQ ORs one bit into the packet mark (proxier.go: `-j MARK --or-mark <mark>`). */
export function readMasqueradeBit(ruleset: Ruleset, settings: SettingsDraft): void {
  for (const rule of natRules(ruleset, 'KUBE-MARK-MASQ')) {
    const t = rule.target;
    if (t?.kind !== 'MARK' || t.value === 0 || (t.value & (t.value - 1)) !== 0) continue;
    settings.masqueradeBit = Math.log2(t.value);
    settings.note('masquerade-bit', `KUBE-MARK-MASQ sets 0x${t.value.toString(16)} (bit ${settings.masqueradeBit})`, rule.at);
    return;
  }
}

/**
 * IPVS mode (pkg/proxy/ipvs/proxier.go writeIptablesRules): `KUBE-SERVICES … --match-set
 * KUBE-CLUSTER-IP dst,dst -j KUBE-MARK-MASQ`, with `! -s <cluster CIDR>` unless --masquerade-all.
 */
export function readIpvsMasquerade(ruleset: Ruleset, settings: SettingsDraft): void {
  for (const rule of natRules(ruleset, 'KUBE-SERVICES')) {
    if (jumpOf(rule) !== 'KUBE-MARK-MASQ') continue;
    if (!rule.matches.some((m) => m.kind === 'set' && !m.negated && m.name.replace(/^KUBE-6-/, 'KUBE-') === 'KUBE-CLUSTER-IP')) continue;
    const source = sourceOf(rule);
    const iface = inInterfaceOf(rule);
    if (source) settings.addClusterCidr(source.cidr.text, rule.at, `${source.negated ? '! ' : ''}-s ${source.cidr.text} in the KUBE-CLUSTER-IP masquerade rule`);
    else if (iface) settings.addPodInterface(iface.name, rule.at, `${iface.negated ? '! ' : ''}-i ${iface.name} in the KUBE-CLUSTER-IP masquerade rule`);
    else settings.setMasqueradeAll(rule.at, 'KUBE-SERVICES masquerades every packet to a cluster IP');
  }
}

function within(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.last <= outer.last;
}

/**
 * This node's pod prefixes: given ones, its Node object's spec.podCIDRs, or the networks of its
 * interface addresses that lie inside the cluster CIDR and are wider than one host (a bridge such
 * as cni0/cbr0 holds the first address of the node's pod range; flannel.1's /32 does not count).
 */
export function readLocalPodCidrs(
  settings: SettingsDraft,
  addresses: readonly NodeAddress[] | null,
  node: KubeNode | null,
  given: readonly Cidr[] | undefined,
): void {
  for (const cidr of given ?? []) {
    // Given on the command line: the option is its own source text.
    const source = { name: '--pod-cidr', text: cidr.text };
    settings.addLocalPodCidr(cidr.text, { source, start: 0, end: cidr.text.length }, `given: ${cidr.text}`);
  }
  if (node) for (const text of node.podCidrs) settings.addLocalPodCidr(text, node.at, `Node ${node.name} spec.podCIDRs ${text}`);
  const clusterCidrs = settings.clusterCidrs.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null);
  for (const a of addresses ?? []) {
    const prefix = a.prefix;
    if (!prefix || !a.at) continue;
    const host = prefix.family === 'ipv4' ? 32 : 128;
    if (prefix.prefix >= host || !clusterCidrs.some((c) => within(prefix, c) && prefix.prefix > c.prefix)) continue;
    settings.addLocalPodCidr(prefix.text, a.at, `${a.interface ?? 'an interface'} has ${a.address.text} on ${prefix.text}, inside the cluster CIDR`);
  }
}
