/**
 * Nodes for the doctor's tests: the bundled samples, hand-written dumps, and kube-proxy nodes
 * printed by bench/generate.ts for situations the samples do not show (an iptables-mode node
 * running none of a Local Service's endpoints).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bridgeInterface,
  kubeProxyIptablesCurrent,
  kubeProxyIptablesPre124,
  loopbackInterface,
  nicInterface,
  printIpAddr,
  printIptablesSave,
  type ClusterModel,
} from '../../../bench/generate.js';
import type { SourceText } from '../../../grammar/source.js';
import { loadNodes } from '../../../src/cli/inputs.js';
import { runDoctor } from '../../../src/k8s/doctor/run.js';
import type { DoctorOptions, DoctorResult, Finding } from '../../../src/k8s/doctor/types.js';
import { buildNodeSnapshot, type NodeSnapshot } from '../../../src/model/node.js';
import { formatFileLine } from '../../../src/report/location.js';
import { repoRoot } from '../../support/paths.js';

export const samplesDir = join(repoRoot, 'samples');

/** One node per sample folder, as `iptlens doctor samples/<folder> …` reads them. */
export function samples(...folders: string[]): NodeSnapshot[] {
  return loadNodes(folders.map((f) => join(samplesDir, f)));
}

/** A node from texts by file name. */
export function nodeOf(name: string, files: Record<string, string>): NodeSnapshot {
  const sources: SourceText[] = Object.entries(files).map(([file, text]) => ({ name: `${name}/${file}`, text }));
  return buildNodeSnapshot(name, sources);
}

export function run(nodes: readonly NodeSnapshot[], check: string, options: Omit<DoctorOptions, 'checks'> = {}): DoctorResult {
  return runDoctor(nodes, { ...options, checks: [check] });
}

export function findings(nodes: readonly NodeSnapshot[], check: string, options: Omit<DoctorOptions, 'checks'> = {}): readonly Finding[] {
  const result = run(nodes, check, options);
  if (result.failed.length) throw new Error(`check failed: ${JSON.stringify(result.failed)}`);
  return result.findings;
}

/** `file:line` of every evidence line of a finding (the file's base name). */
export function citedLines(f: Finding): string[] {
  return f.evidence.map((e) => formatFileLine(e.at).split('/').pop()!);
}

/** The text of every evidence line. */
export function citedText(f: Finding): string[] {
  return f.evidence.map((e) => e.at.source.text.slice(e.at.start, e.at.end));
}

const IPTABLES_HEADER = { flavor: 'nft' as const, version: '1.8.9', date: 'Tue Nov 17 09:12:44 2026' };

/**
 * An iptables-mode node of the samples' cluster that runs none of web/frontend's endpoints
 * (they are on node-a and node-c), with its ip addr and ip route; web/frontend is a LoadBalancer
 * 10.0.0.100:80 with externalTrafficPolicy Local, NodePort 30080, health check 32100.
 */
export function iptablesNodeWithoutEndpoint(generation: 'current' | 'pre124', name = 'node-b', host = 12): NodeSnapshot {
  const ip = `10.0.0.${host}`;
  const podNet = host - 10;
  const cluster: ClusterModel = {
    node: { name, family: 'ipv4', ip, podCidr: `10.244.${podNet}.0/24`, localAddresses: [{ ip, dev: 'eth0' }] },
    clusterCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/12',
    bindLoadBalancerIPs: false,
    services: [
      {
        namespace: 'web', name: 'frontend', portName: 'http', protocol: 'tcp', clusterIP: '10.96.120.5', port: 80, nodePort: 30080,
        loadBalancerIPs: ['10.0.0.100'], externalPolicy: 'Local', healthCheckNodePort: 32100, sourceRanges: [],
        endpoints: [
          { ip: '10.244.1.5', port: 8080, nodeName: 'node-a', local: false },
          { ip: '10.244.3.7', port: 8080, nodeName: 'node-c', local: false },
        ],
      },
      {
        namespace: 'shop', name: 'cart', portName: 'http', protocol: 'tcp', clusterIP: '10.96.45.12', port: 8080, loadBalancerIPs: [],
        externalPolicy: 'Cluster', sourceRanges: [],
        endpoints: [{ ip: `10.244.${podNet}.7`, port: 8080, nodeName: name, local: true }],
      },
    ],
  };
  const rules = generation === 'current' ? kubeProxyIptablesCurrent(cluster) : kubeProxyIptablesPre124(cluster);
  const header = generation === 'current' ? IPTABLES_HEADER : { ...IPTABLES_HEADER, flavor: 'legacy' as const, version: '1.8.4' };
  const addr = printIpAddr([
    loopbackInterface(),
    nicInterface(2, 'eth0', `52:54:00:00:00:${host}`, [{ cidr: `${ip}/24`, brd: '10.0.0.255', scope: 'global' }]),
    bridgeInterface(3, 'cni0', `9a:99:dd:f5:04:${host}`, [{ cidr: `10.244.${podNet}.1/24`, brd: `10.244.${podNet}.255`, scope: 'global' }]),
  ]);
  const route = `default via 10.0.0.1 dev eth0\n10.0.0.0/24 dev eth0 proto kernel scope link src ${ip}\n10.244.${podNet}.0/24 dev cni0 proto kernel scope link src 10.244.${podNet}.1\n`;
  return nodeOf(name, { 'iptables-save.txt': printIptablesSave(rules, header), 'ip-addr.txt': addr, 'ip-route.txt': route });
}

/** The sample's files of one folder with some replaced or added, as one node. */
export function sampleWith(folder: string, name: string, replace: Record<string, string | null>): NodeSnapshot {
  const files: Record<string, string> = {};
  for (const f of readdirSync(join(samplesDir, folder))) files[f] = readFileSync(join(samplesDir, folder, f), 'utf8');
  for (const [f, text] of Object.entries(replace)) {
    if (text === null) delete files[f];
    else files[f] = text;
  }
  return nodeOf(name, files);
}
