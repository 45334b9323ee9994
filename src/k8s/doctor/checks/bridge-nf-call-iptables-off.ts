/**
 * net.bridge.bridge-nf-call-iptables = 0 (or br_netfilter not loaded) on a kube-proxy node whose
 * pods sit on a Linux bridge (cni0, cbr0, docker0). A pod calling a Service whose chosen endpoint
 * is on the same bridge: the request is routed through the host (DNAT to the endpoint), but the
 * endpoint's reply to the client pod is bridged frame to frame and, without br_netfilter's
 * PREROUTING/FORWARD calls (net/bridge/br_netfilter_hooks.c), never meets conntrack to be
 * un-DNATed: the client gets a reply from the endpoint's address, not the Service's, and drops it.
 * kubeadm's preflight requires 1 for this reason.
 */
import { bridgeNfCallIptables } from '../../../model/sysctl/index.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'bridge-nf-call-iptables-off',
  severity: 'error',
  title: 'Bridged pod traffic bypasses iptables (bridge-nf-call-iptables off)',
  docs: 'docs/checks/bridge-nf-call-iptables-off.md',
  requires: ['kube-proxy', 'interfaces', 'sysctls'],
  messages: {
    off: (node: string, bridge: string, why: string) => ({
      title: `${node}: pods on bridge ${bridge} bypass iptables (${why})`,
      explanation:
        `The pods of ${node} are attached to the Linux bridge ${bridge}, and ${why}, so frames between two pods on ${bridge} never pass through iptables or conntrack. ` +
        'A pod calling a Service whose endpoint kube-proxy picks on the same node sends its request through the host (DNAT to the endpoint), but the endpoint\'s reply goes straight across the bridge without being un-DNATed: the client receives it from the endpoint\'s address instead of the Service\'s and drops it. Same-node Service calls time out at random, by which endpoint is chosen.',
      remediation: 'Load br_netfilter (modprobe br_netfilter, and in /etc/modules-load.d) and set net.bridge.bridge-nf-call-iptables=1 (and bridge-nf-call-ip6tables=1) in /etc/sysctl.d; kubeadm preflight checks both.',
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const sysctls = node.snapshot.sysctls;
      const mode = node.catalogue.mode;
      if (!sysctls || (mode !== 'iptables' && mode !== 'ipvs')) continue;
      // The bridge that holds this node's pod network (an address inside the local pod prefix).
      const bridge = (node.snapshot.interfaces ?? []).find(
        (i) => i.kind === 'bridge' && node.facts('ipv4').interfaceRole(i.name) === 'pod' && i.addresses.some((a) => a.family === 'ipv4' && node.catalogue.settings.localPodCidrs.includes(a.prefix.text)),
      );
      if (!bridge) continue;
      const reading = bridgeNfCallIptables(sysctls);
      if (reading.value || reading.origin === 'default') continue;
      const why = reading.origin === 'absent' ? 'br_netfilter is not loaded (the sysctl dump has no net.bridge keys)' : 'net.bridge.bridge-nf-call-iptables is 0';
      findings.push(
        findingOf(meta, 'off', [node.name, bridge.name, why], {
          node: node.name,
          evidence: [{ at: bridge.at, note: `${bridge.name}: bridge of the pod network` }, ...(reading.at ? [{ at: reading.at, note: 'net.bridge.bridge-nf-call-iptables = 0' }] : [])],
        }),
      );
    }
    return findings;
  },
});
