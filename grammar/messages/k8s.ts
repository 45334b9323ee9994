/**
 * Messages about the Kubernetes Service catalogue (src/k8s): the proxy mode, kube-proxy's rules
 * as read back from a node, and `kubectl get svc,endpointslices,nodes -A -o json` input.
 */
import { defineMessages } from './define.js';

export const k8sMessages = defineMessages({
  'k8s/nftables-mode': {
    severity: 'error',
    message: (family: string) =>
      `kube-proxy on this node runs in nftables mode (\`table ${family} kube-proxy\`); iptlens does not read nftables rulesets yet, so no Service catalogue was built from it.`,
    help: 'Run kube-proxy in iptables or IPVS mode on a test node, or give kubectl JSON to list the Services the API holds.',
  },
  'k8s/no-rules': {
    severity: 'warning',
    message: () =>
      'No iptables-save, ip6tables-save, ipset or ipvsadm output was given: the proxy mode is unknown and the catalogue has only what kubectl JSON says.',
    help: 'Give the node\'s `iptables-save` (and `ip6tables-save`; in IPVS mode also `ipset save` and `ipvsadm -Ln`).',
  },
  'k8s/no-kube-proxy': {
    severity: 'info',
    message: () =>
      'No kube-proxy rules: the nat table has no KUBE-SERVICES chain and there is no IPVS virtual service. This node runs no kube-proxy, or a replacement (Cilium, Calico eBPF) whose Services iptlens does not read; the catalogue is empty.',
  },
  'k8s/mixed-modes': {
    severity: 'warning',
    message: (iptablesSign: string, ipvsSign: string, chosen: string) =>
      `Rules of both kube-proxy modes are present (iptables mode: ${iptablesSign}; IPVS mode: ${ipvsSign}), as left behind by a mode switch without cleanup; the catalogue was built from the ${chosen}-mode rules.`,
    help: 'kube-proxy --cleanup removes the rules of the mode not in use.',
  },
  'k8s/sep-without-dnat': {
    severity: 'warning',
    message: (chain: string) => `${chain} has no DNAT rule kube-proxy would write: its endpoint is unknown, so it was left out of the endpoints.`,
  },
  'k8s/missing-chain': {
    severity: 'warning',
    message: (chain: string) => `This rule jumps to ${chain}, which the nat table does not declare; what it does is unknown, and it was not read as part of a Service.`,
  },
  'k8s/name-hash-mismatch': {
    severity: 'warning',
    message: (name: string, protocol: string, expected: string, chain: string) =>
      `The comment names ${name} (${protocol}), whose kube-proxy chains end in ${expected}, but the rule leads to ${chain}: a hand-edited rule or a kube-proxy that hashes differently; the name from the comment was kept.`,
  },
  'k8s/locality-mismatch': {
    severity: 'warning',
    message: (address: string, rules: string, node: string) =>
      `Endpoint ${address} is ${rules} by kube-proxy's rules, but ${node}: rules left behind by an endpoint that moved, or a pod prefix that changed? The catalogue keeps the rules' answer.`,
  },
  'k8s/unassigned-ipvs-service': {
    severity: 'info',
    message: (service: string, role: string) =>
      `IPVS virtual service ${service} (${role}) could not be tied to one cluster IP (no kubectl objects, and no single cluster IP whose ports and real servers contain its own); it is listed on its own.`,
    help: 'Give `kubectl get svc,endpointslices,nodes -A -o json` to name every virtual service.',
  },
  'k8s/ipvs-without-ipsets': {
    severity: 'warning',
    message: () =>
      'IPVS mode without `ipset save` or `ipset list` output: cluster IPs, load-balancer IPs and external IPs cannot be told apart, nor external traffic policies read; virtual services on node addresses were taken as NodePorts and all others as cluster IPs.',
    help: 'Give the node\'s `ipset save` (or `ipset list`) output too.',
  },
  'k8s/ipvs-without-table': {
    severity: 'warning',
    message: () =>
      'IPVS-mode rules but no `ipvsadm -Ln` (or `-Sn`) output: real servers are unknown, so the Services were read from the ipsets only, without endpoints.',
    help: 'Give the node\'s `ipvsadm -Ln` output too.',
  },
  'k8s/kubectl-not-a-list': {
    severity: 'error',
    message: (found: string) =>
      `Expected kubectl JSON (a List with "items", or one Kubernetes object with "kind") but found ${found}; it was not read.`,
    help: 'Run `kubectl get svc,endpointslices,nodes -A -o json` and give its output as it is.',
  },
  'k8s/kubectl-bad-field': {
    severity: 'warning',
    message: (path: string, expected: string, found: string) => `${path} should be ${expected} but is ${found}; the field was ignored.`,
  },
  'k8s/kubectl-missing-field': {
    severity: 'warning',
    message: (kind: string, path: string) => `A ${kind} without ${path}; the object was skipped.`,
  },
  'k8s/kubectl-ignored-kind': {
    severity: 'info',
    message: (kind: string) => `A ${kind} object: the Service catalogue uses Services, EndpointSlices, Endpoints and Nodes only; it was skipped.`,
  },
  'k8s/kubectl-no-rules': {
    severity: 'warning',
    message: (service: string, mode: string) =>
      `Service port ${service} exists in the API but this node has no ${mode}-mode rules for it: kube-proxy has not synced it, skips it (label service.kubernetes.io/service-proxy-name), or the dump is older than the objects.`,
  },
  'k8s/kubectl-disagrees': {
    severity: 'warning',
    message: (service: string, field: string, api: string, node: string) =>
      `${service}: the API says ${field} ${api}, but this node's rules implement ${node}; the catalogue shows the node's rules, which decide what packets do.`,
  },
  'k8s/kubectl-unknown-node': {
    severity: 'info',
    message: (nodes: number) =>
      `None of the ${nodes} Node objects has an address of this node (and no node name was given), so EndpointSlice nodeName cannot tell which endpoints are local.`,
    help: 'Give the node name (`--node-name`) or the node\'s `ip addr` output.',
  },
});
