/**
 * The Service catalogue of one node: the proxy mode, every Service port kube-proxy programmed
 * (from iptables-mode chains or IPVS virtual services and ipsets), the node-wide settings, and
 * kubectl facts when given. Each stage adds to the same drafts (draft.ts):
 *
 *   detectProxyMode → readIptablesServices | readIpvsServices → readLocalPodCidrs
 *     → mergeKubectl → resolveLocality → finish
 */
import type { Diagnostic } from '../../grammar/diagnostics.js';
import { diagnose } from '../../grammar/diagnostics.js';
import { DraftTable, SettingsDraft } from './draft.js';
import { readIptablesServices } from './iptables-services.js';
import { readIpvsServices } from './ipvs-services.js';
import { findThisNode, mergeKubectl } from './kubectl-merge.js';
import { resolveLocality } from './locality.js';
import { detectProxyMode } from './mode.js';
import { readIpvsMasquerade, readLocalPodCidrs, readMasqueradeBit } from './settings.js';
import type { ServiceCatalogue, ServiceInputs, ServicePort } from './types.js';

function compareServices(a: ServicePort, b: ServicePort): number {
  if ((a.name === null) !== (b.name === null)) return a.name === null ? 1 : -1;
  const fields = (s: ServicePort) => [s.namespace ?? '', s.name ?? '', s.portName ?? '', s.protocol, s.key];
  const fa = fields(a);
  const fb = fields(b);
  for (let i = 0; i < fa.length; i++) {
    const c = fa[i]!.localeCompare(fb[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

export function buildServiceCatalogue(inputs: ServiceInputs): ServiceCatalogue {
  const decision = detectProxyMode(inputs);
  const diagnostics: Diagnostic[] = [...decision.diagnostics, ...(inputs.kubectl?.diagnostics ?? [])];
  const drafts = new DraftTable();
  const settings = new SettingsDraft();
  const rulesets = [inputs.ipv4, inputs.ipv6].filter((r) => r !== null);

  switch (decision.mode) {
    case 'iptables':
      for (const ruleset of rulesets) {
        readIptablesServices(ruleset, drafts, settings, diagnostics);
        readMasqueradeBit(ruleset, settings);
      }
      break;
    case 'ipvs':
      readIpvsServices(
        { ipvs: inputs.ipvs, ipsets: inputs.ipsets, localAddresses: inputs.localAddresses, kubectl: inputs.kubectl ?? null },
        drafts,
        settings,
        diagnostics,
      );
      for (const ruleset of rulesets) {
        readIpvsMasquerade(ruleset, settings);
        readMasqueradeBit(ruleset, settings);
      }
      break;
    case 'nftables':
    case 'none':
    case 'unknown':
      break;
    default: {
      const never: never = decision.mode;
      void never;
    }
  }

  const kubectl = decision.mode === 'nftables' ? null : (inputs.kubectl ?? null);
  const thisNode = kubectl ? findThisNode(kubectl, inputs.nodeName, inputs.localAddresses) : null;
  if (kubectl && kubectl.nodes.length > 0 && !thisNode && !inputs.nodeName) {
    diagnostics.push(diagnose('k8s/kubectl-unknown-node', kubectl.nodes[0]!.at, kubectl.nodes.length));
  }
  readLocalPodCidrs(settings, inputs.localAddresses, thisNode, inputs.podCidrs);
  if (kubectl) mergeKubectl(kubectl, drafts, decision.mode, thisNode, inputs.nodeName, diagnostics);
  resolveLocality(drafts, inputs.localAddresses, settings.localPodCidrs, settings.clusterCidrs, diagnostics);

  return {
    mode: decision.mode,
    generation: decision.generation,
    modeEvidence: decision.evidence,
    services: drafts.all().map((d) => d.finish()).sort(compareServices),
    settings: settings.finish(),
    diagnostics,
  };
}
