/**
 * `iptlens services` as a report document (src/report/document.ts) for the ticket formats: the
 * Service table, the node-wide settings, and as evidence the lines that decide each Service's
 * traffic policies and the mode, capped as every report is.
 */
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import type { SourceText } from '../../../grammar/source.js';
import type { ServiceCatalogue, ServicePort } from '../../k8s/types.js';
import { countLine } from '../diagnostics.js';
import {
  evidenceAt,
  footerOf,
  fullTextOf,
  mergeEvidence,
  REPORT_LIMITS,
  type Evidence,
  type ReportDocument,
  type ReportMeta,
  type ReportTable,
  type Verdict,
} from '../document.js';
import { PLAIN } from '../style.js';
import { endpointsText, externalText, policyText, serviceLabel, servicesReportText } from './text.js';

function verdictOf(catalogue: ServiceCatalogue, diagnostics: readonly Diagnostic[]): Verdict {
  const n = catalogue.services.length;
  const ports = `${n} Service port${n === 1 ? '' : 's'}`;
  switch (catalogue.mode) {
    case 'nftables':
      return { tone: 'problem', text: 'kube-proxy runs in nftables mode, which iptlens does not read yet' };
    case 'none':
      return { tone: 'info', text: 'no kube-proxy rules on this node' };
    case 'unknown':
      return { tone: 'warning', text: 'no rules given: the proxy mode is unknown' };
    case 'iptables':
    case 'ipvs':
      if (diagnostics.some((d) => d.severity === 'error')) return { tone: 'problem', text: `${ports} (${catalogue.mode} mode), ${countLine(diagnostics)}` };
      if (diagnostics.some((d) => d.severity === 'warning')) return { tone: 'warning', text: `${ports} (${catalogue.mode} mode), ${countLine(diagnostics)}` };
      return { tone: 'ok', text: `${ports} (${catalogue.mode} mode)` };
    default: {
      const never: never = catalogue.mode;
      return never;
    }
  }
}

function serviceRow(s: ServicePort): string[] {
  return [
    serviceLabel(s),
    s.type,
    s.clusterIPs.join(', ') || '-',
    externalText(s),
    s.nodePort === null ? '-' : String(s.nodePort),
    policyText(s.externalTrafficPolicy),
    policyText(s.internalTrafficPolicy),
    endpointsText(s),
    s.sessionAffinity ? `ClientIP ${s.sessionAffinity.timeoutSeconds}s` : '-',
    s.loadBalancerSourceRanges.join(', ') || '-',
  ];
}

const DECISIVE = new Set(['external-traffic-policy', 'internal-traffic-policy', 'local-endpoint', 'no-endpoints']);

export function servicesDocument(
  node: string,
  sources: Iterable<SourceText>,
  catalogue: ServiceCatalogue,
  nodeDiagnostics: readonly Diagnostic[],
  meta: ReportMeta,
): ReportDocument {
  const diagnostics = [...nodeDiagnostics, ...catalogue.diagnostics];
  const verdict = verdictOf(catalogue, diagnostics);
  const text = servicesReportText(catalogue, { style: PLAIN, evidence: true });
  const [modeLine = '', settingsLine = ''] = text.split('\n');
  const explanation = [`${modeLine} on ${node}.`, settingsLine ? `${settingsLine}.` : ''].filter(Boolean);
  for (const d of diagnostics) if (!d.at) explanation.push(`${d.severity}[${d.code}]: ${d.message}`);

  const rank = { error: 0, warning: 1, info: 2 } as const;
  const problems = diagnostics.filter((d) => d.at !== null).sort((a, b) => rank[a.severity] - rank[b.severity]);
  const items: Evidence[] = [
    ...problems.map((d) => evidenceAt(d.at!, `${d.severity}[${d.code}]: ${d.message}`, null, d.severity === 'error')),
    ...catalogue.modeEvidence.map((e) => evidenceAt(e.at, e.what, null, false)),
    ...catalogue.settings.evidence.map((e) => evidenceAt(e.at, e.what, null, false)),
    ...catalogue.services.flatMap((s) => s.evidence.filter((e) => DECISIVE.has(e.fact)).map((e) => evidenceAt(e.at, `${serviceLabel(s)}: ${e.what}`, null, true))),
  ];
  const evidence = mergeEvidence(items);

  const remediation: string[] = [];
  if (catalogue.mode === 'ipvs' && catalogue.services.some((s) => s.name === null)) {
    remediation.push('IPVS keeps no names: add `kubectl get svc,endpointslices,nodes -A -o json` output to the inputs to name every virtual service.');
  }
  if (catalogue.services.some((s) => s.endpoints.some((e) => e.local === 'unknown'))) {
    remediation.push('Collect `ip -d addr` on the node (or give `--pod-cidr`, or kubectl JSON with `--node-name`) to tell which endpoints run on it.');
  }
  const localWithout = catalogue.services.filter((s) => s.externalTrafficPolicy === 'Local' && !s.endpoints.some((e) => e.local === true));
  if (localWithout.length) {
    remediation.push(
      `${localWithout.map(serviceLabel).join(', ')}: externalTrafficPolicy Local without a local endpoint on this node; external traffic reaching this node for it is dropped, and pods here calling its LB IP depend on the LB (see \`iptlens loopback\`).`,
    );
  }

  const tables: ReportTable[] = [
    {
      title: 'Services',
      columns: ['SERVICE', 'TYPE', 'CLUSTER-IP', 'LB/EXTERNAL IPS', 'NODEPORT', 'ETP', 'ITP', 'ENDPOINTS', 'AFFINITY', 'SOURCE RANGES'],
      rows: catalogue.services.map(serviceRow),
      omittedRows: 0,
    },
  ];
  return {
    schema: 'iptlens.report/v1',
    command: 'services',
    title: `iptlens services ${node}: ${verdict.text}`,
    verdict,
    explanation,
    paths: [],
    omittedPaths: 0,
    graph: null,
    tables,
    evidence: evidence.slice(0, REPORT_LIMITS.evidence),
    omittedEvidence: Math.max(0, evidence.length - REPORT_LIMITS.evidence),
    remediation,
    fullText: fullTextOf(text),
    footer: footerOf(meta, sources),
  };
}
