/**
 * Which endpoints run on this node, when no kube-proxy chain or set says: an endpoint on one of
 * the node's own addresses is a host-network pod here; one inside this node's pod prefix is a pod
 * here. With this node's pod prefixes known, an endpoint in the cluster CIDR outside them is a pod
 * on another node; with the node's addresses known too, so is any other endpoint.
 *
 * Where kube-proxy's rules already said (KUBE-SVL-/KUBE-XLB- membership, KUBE-LOOP-BACK,
 * EndpointSlice nodeName) and the node's addresses say otherwise, the rules are kept and the
 * disagreement is reported: rules left behind by an endpoint that moved, or a pod prefix that
 * changed.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import { parseCidr, type Cidr } from '../model/values/address.js';
import type { DraftTable } from './draft.js';
import type { NodeAddress } from './types.js';

function holds(outer: Cidr, address: Cidr): boolean {
  return outer.family === address.family && outer.first <= address.first && address.first <= outer.last;
}

export function resolveLocality(
  drafts: DraftTable,
  addresses: readonly NodeAddress[] | null,
  localPodCidrs: readonly string[],
  clusterCidrs: readonly string[],
  diagnostics: Diagnostic[],
): void {
  const pods = localPodCidrs.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null);
  const cluster = clusterCidrs.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== null);
  for (const d of drafts.all()) {
    for (const e of d.endpoints.values()) {
      const address = parseCidr(e.address);
      if (!address) continue;
      const own = (addresses ?? []).find((n) => holds(n.address, address));
      const pod = pods.find((p) => holds(p, address));
      const elsewhere = !own && !pod && pods.length > 0 && (addresses !== null || cluster.some((c) => holds(c, address)));
      const byAddress = own || pod ? true : elsewhere ? false : 'unknown';
      if (e.local !== 'unknown') {
        if (byAddress !== 'unknown' && byAddress !== e.local) {
          const node = own ? `it is an address of this node (${own.interface ?? 'local route'})` : pod ? `it is in this node's pod prefix ${pod.text}` : `it is outside this node's pod prefix ${pods.map((p) => p.text).join(', ')}`;
          diagnostics.push(diagnose('k8s/locality-mismatch', e.at, e.address, e.local ? 'local' : 'remote', node));
        }
        continue;
      }
      if (own) {
        e.local = true;
        if (own.at) d.note('local-endpoint', `${e.address} is an address of this node (${own.interface ?? 'local route'})`, own.at);
      } else if (pod) {
        e.local = true;
        if (e.at) d.note('local-endpoint', `${e.address} is in this node's pod prefix ${pod.text}`, e.at);
      } else if (elsewhere) {
        e.local = false;
        if (e.at) d.note('remote-endpoint', `${e.address} is neither a node address nor in this node's pod prefix ${pods.map((p) => p.text).join(', ')}`, e.at);
      }
    }
  }
}
