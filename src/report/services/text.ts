/**
 * `iptlens services`: the Service catalogue as a table, one row per Service port, and with
 * `evidence` the `file:line` of every fact under each row. Pure: catalogue in, text out.
 */
import type { ClusterSettings, Evidence, ServiceCatalogue, ServiceEndpoint, ServicePort } from '../../k8s/types.js';
import { formatFileLine } from '../location.js';
import type { Style } from '../style.js';

export interface ServicesTextOptions {
  readonly style: Style;
  /** Print the evidence of every fact under its row. */
  readonly evidence: boolean;
}

/** `ns/name:port/proto`, `ns/name/proto` for an unnamed port, `?` and the key when the name is unknown. */
export function serviceLabel(s: ServicePort): string {
  if (s.namespace === null || s.name === null) return `? ${s.key.includes('/') ? s.key : `${s.key}/${s.protocol}`}`;
  return `${s.namespace}/${s.name}${s.portName ? `:${s.portName}` : ''}/${s.protocol}`;
}

export function policyText(p: ServicePort['externalTrafficPolicy']): string {
  return p === null ? '-' : p === 'unknown' ? '?' : p;
}

/** ENDPOINTS: `local/total`, `?` for unknown locality, `none` for kube-proxy's "has no endpoints". */
export function endpointsText(s: ServicePort): string {
  if (s.endpoints.length === 0) return s.noEndpoints ? 'none' : '0';
  const local = s.endpoints.filter((e) => e.local === true).length;
  const unknown = s.endpoints.some((e) => e.local === 'unknown');
  return `${unknown && local === 0 ? '?' : unknown ? `${local}+?` : local}/${s.endpoints.length}`;
}

/** LB/EXTERNAL IPS: LB IPs, `ext:` external IPs, `?:` unclassified ones. */
export function externalText(s: ServicePort): string {
  const parts = [...s.loadBalancerIPs, ...s.externalIPs.map((ip) => `ext:${ip}`), ...s.otherExternalIPs.map((ip) => `?:${ip}`)];
  return parts.length ? parts.join(',') : '-';
}

function endpointText(e: ServiceEndpoint): string {
  const host = e.address.includes(':') ? `[${e.address}]` : e.address;
  const where = e.local === true ? 'local' : e.local === false ? 'remote' : 'locality unknown';
  const flags = [e.terminating ? 'terminating' : '', e.ready === false ? 'not ready' : '', e.nodeName ? `node ${e.nodeName}` : ''].filter(Boolean);
  return `${e.port !== null ? `${host}:${e.port}` : host} (${where}${flags.length ? `, ${flags.join(', ')}` : ''})`;
}

function table(rows: readonly string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd());
}

function evidenceLines(evidence: readonly Evidence[], indent: string, style: Style): string[] {
  if (evidence.length === 0) return [];
  const factWidth = Math.max(...evidence.map((e) => e.fact.length));
  const whatWidth = Math.min(72, Math.max(...evidence.map((e) => e.what.length)));
  return evidence.map((e) => `${indent}${e.fact.padEnd(factWidth)}  ${e.what.padEnd(whatWidth)}  ${style.dim(formatFileLine(e.at))}`);
}

function modeLine(c: ServiceCatalogue): string {
  switch (c.mode) {
    case 'iptables':
      return `kube-proxy: iptables mode, ${c.generation === 'current' ? 'current rules (1.24+)' : c.generation === 'pre-1.24' ? 'pre-1.24 rules (KUBE-XLB-/KUBE-FW-)' : 'generation unknown'}`;
    case 'ipvs':
      return 'kube-proxy: IPVS mode';
    case 'nftables':
      return 'kube-proxy: nftables mode (not read yet: no catalogue)';
    case 'none':
      return 'kube-proxy: no kube-proxy rules on this node';
    case 'unknown':
      return 'kube-proxy: mode unknown (no rules given)';
    default: {
      const never: never = c.mode;
      return never;
    }
  }
}

function settingsLine(s: ClusterSettings): string {
  const parts: string[] = [];
  if (s.clusterCidrs.length) parts.push(`cluster CIDR ${s.clusterCidrs.join(', ')}`);
  if (s.podInterfaces.length) parts.push(`pod interfaces ${s.podInterfaces.join(', ')}`);
  parts.push(`masquerade-all ${s.masqueradeAll === 'unknown' ? '?' : s.masqueradeAll ? 'yes' : 'no'}`);
  if (s.masqueradeBit !== null) parts.push(`masquerade bit ${s.masqueradeBit} (0x${(2 ** s.masqueradeBit).toString(16)})`);
  if (s.nodePortAddresses) parts.push(`NodePorts on ${s.nodePortAddresses.join(', ')}`);
  if (s.localPodCidrs.length) parts.push(`this node's pods ${s.localPodCidrs.join(', ')}`);
  if (s.unassignedHealthCheckNodePorts.length) parts.push(`health-check NodePorts ${s.unassignedHealthCheckNodePorts.join(', ')}`);
  return parts.join(' · ');
}

export function servicesReportText(catalogue: ServiceCatalogue, options: ServicesTextOptions): string {
  const { style } = options;
  const out: string[] = [style.bold(modeLine(catalogue)), settingsLine(catalogue.settings)];
  if (options.evidence) {
    out.push(...evidenceLines(catalogue.modeEvidence, '  ', style));
    out.push(...evidenceLines(catalogue.settings.evidence, '  ', style));
  }
  out.push('');
  if (catalogue.services.length === 0) {
    out.push('No Service ports.');
    return out.join('\n') + '\n';
  }
  const rows: string[][] = [['SERVICE', 'TYPE', 'CLUSTER-IP', 'LB/EXTERNAL IPS', 'NODEPORT', 'ETP', 'ITP', 'ENDPOINTS', 'AFFINITY']];
  for (const s of catalogue.services) {
    rows.push([
      serviceLabel(s),
      s.type,
      s.clusterIPs.length ? s.clusterIPs.join(',') : '-',
      externalText(s),
      s.nodePort !== null ? String(s.nodePort) : '-',
      policyText(s.externalTrafficPolicy),
      policyText(s.internalTrafficPolicy),
      endpointsText(s),
      s.sessionAffinity ? `ClientIP ${s.sessionAffinity.timeoutSeconds}s` : '-',
    ]);
  }
  const lines = table(rows);
  out.push(style.bold(lines[0]!));
  catalogue.services.forEach((s, i) => {
    out.push(lines[i + 1]!);
    if (!options.evidence) return;
    const details: string[] = [];
    if (s.port !== null) details.push(`port ${s.port}`);
    if (s.healthCheckNodePort !== null) details.push(`health check ${s.healthCheckNodePort}`);
    if (s.loadBalancerSourceRanges.length) details.push(`source ranges ${s.loadBalancerSourceRanges.join(', ')}`);
    const chains = [s.chains.svc, s.chains.svl, s.chains.ext, s.chains.fw, s.chains.xlb].filter((c): c is string => c !== undefined);
    if (chains.length) details.push(`chains ${chains.join(' ')}`);
    details.push(`found in ${s.foundIn.join(', ')}`);
    out.push(style.dim(`    ${details.join(' · ')}`));
    for (const e of s.endpoints) out.push(`    endpoint ${endpointText(e)}${e.at ? `  ${style.dim(formatFileLine(e.at))}` : ''}`);
    out.push(...evidenceLines(s.evidence, '    ', style));
    out.push('');
  });
  const counts = `${catalogue.services.length} Service port${catalogue.services.length === 1 ? '' : 's'}`;
  out.push('', `${counts}; ENDPOINTS is local/total ("?" where this node's files do not tell), ETP/ITP the traffic policies the rules implement.`);
  return out.join('\n') + '\n';
}
