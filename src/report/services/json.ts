/**
 * `iptlens services --json`: the Service catalogue as a documented contract (docs/services.md,
 * schema `iptlens.services/v1`). Positions are printed 1-based (`file`, `line`, `column`), as
 * everywhere in src/report; every fact keeps its evidence.
 */
import type { Evidence, FactKind, ServiceCatalogue, ServicePort } from '../../k8s/types.js';
import { diagnosticToJson, type DiagnosticJson } from '../diagnostics.js';
import { locate } from '../location.js';

export interface EvidenceJson {
  readonly fact: FactKind;
  readonly what: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface EndpointJson {
  readonly address: string;
  readonly port: number | null;
  readonly local: boolean | 'unknown';
  readonly clusterPolicy: boolean;
  readonly localPolicy: boolean;
  readonly ready?: boolean;
  readonly serving?: boolean;
  readonly terminating?: boolean;
  readonly nodeName?: string;
  readonly chain?: string;
  /** Where the endpoint was read (DNAT rule, real server line); null for kubectl-only endpoints. */
  readonly file: string | null;
  readonly line: number | null;
}

export interface ServicePortJson {
  readonly key: string;
  readonly hash: string | null;
  readonly namespace: string | null;
  readonly name: string | null;
  readonly portName: string | null;
  readonly protocol: ServicePort['protocol'];
  readonly port: number | null;
  readonly type: ServicePort['type'];
  readonly clusterIPs: readonly string[];
  readonly externalIPs: readonly string[];
  readonly loadBalancerIPs: readonly string[];
  readonly otherExternalIPs: readonly string[];
  readonly nodePort: number | null;
  readonly healthCheckNodePort: number | null;
  readonly externalTrafficPolicy: ServicePort['externalTrafficPolicy'];
  readonly internalTrafficPolicy: ServicePort['internalTrafficPolicy'];
  readonly sessionAffinity: ServicePort['sessionAffinity'];
  readonly loadBalancerSourceRanges: readonly string[];
  readonly noEndpoints: boolean;
  readonly endpoints: readonly EndpointJson[];
  readonly chains: ServicePort['chains'];
  readonly foundIn: ServicePort['foundIn'];
  readonly evidence: readonly EvidenceJson[];
}

export interface ServicesJson {
  readonly schema: 'iptlens.services/v1';
  readonly node: string;
  readonly mode: ServiceCatalogue['mode'];
  readonly generation: ServiceCatalogue['generation'];
  readonly modeEvidence: readonly EvidenceJson[];
  readonly settings: Omit<ServiceCatalogue['settings'], 'evidence'> & { readonly evidence: readonly EvidenceJson[] };
  readonly services: readonly ServicePortJson[];
  readonly diagnostics: readonly DiagnosticJson[];
}

function evidenceJson(e: Evidence): EvidenceJson {
  const l = locate(e.at);
  return { fact: e.fact, what: e.what, file: l.file, line: l.line, column: l.column };
}

function serviceJson(s: ServicePort): ServicePortJson {
  return {
    key: s.key,
    hash: s.hash,
    namespace: s.namespace,
    name: s.name,
    portName: s.portName,
    protocol: s.protocol,
    port: s.port,
    type: s.type,
    clusterIPs: s.clusterIPs,
    externalIPs: s.externalIPs,
    loadBalancerIPs: s.loadBalancerIPs,
    otherExternalIPs: s.otherExternalIPs,
    nodePort: s.nodePort,
    healthCheckNodePort: s.healthCheckNodePort,
    externalTrafficPolicy: s.externalTrafficPolicy,
    internalTrafficPolicy: s.internalTrafficPolicy,
    sessionAffinity: s.sessionAffinity,
    loadBalancerSourceRanges: s.loadBalancerSourceRanges,
    noEndpoints: s.noEndpoints,
    endpoints: s.endpoints.map((e) => {
      const l = e.at ? locate(e.at) : null;
      return {
        address: e.address,
        port: e.port,
        local: e.local,
        clusterPolicy: e.clusterPolicy,
        localPolicy: e.localPolicy,
        ...(e.ready !== undefined ? { ready: e.ready } : {}),
        ...(e.serving !== undefined ? { serving: e.serving } : {}),
        ...(e.terminating !== undefined ? { terminating: e.terminating } : {}),
        ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
        ...(e.chain !== undefined ? { chain: e.chain } : {}),
        file: l?.file ?? null,
        line: l?.line ?? null,
      };
    }),
    chains: s.chains,
    foundIn: s.foundIn,
    evidence: s.evidence.map(evidenceJson),
  };
}

/** `extraDiagnostics`: the node's own (reading problems), printed before the catalogue's. */
export function servicesReportJson(node: string, catalogue: ServiceCatalogue, extraDiagnostics: ServiceCatalogue['diagnostics'] = []): ServicesJson {
  return {
    schema: 'iptlens.services/v1',
    node,
    mode: catalogue.mode,
    generation: catalogue.generation,
    modeEvidence: catalogue.modeEvidence.map(evidenceJson),
    settings: { ...catalogue.settings, evidence: catalogue.settings.evidence.map(evidenceJson) },
    services: catalogue.services.map(serviceJson),
    diagnostics: [...extraDiagnostics, ...catalogue.diagnostics].map(diagnosticToJson),
  };
}
