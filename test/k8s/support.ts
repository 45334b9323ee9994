/** Builds catalogue inputs from a sample folder's files, each read by its own grammar and model. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIpAddrText } from '../../grammar/iproute/parse-addr.js';
import { parseIpsetText } from '../../grammar/ipset/parse.js';
import { parseIpvsadmText } from '../../grammar/ipvsadm/parse.js';
import type { SourceText } from '../../grammar/source.js';
import { parseIptablesSave } from '../../src/index.js';
import { buildServiceCatalogue } from '../../src/k8s/catalogue.js';
import { readKubectlJson } from '../../src/k8s/kubectl.js';
import type { KubectlObjects, NodeAddress, ServiceCatalogue, ServiceInputs, ServicePort } from '../../src/k8s/types.js';
import { buildInterfaces } from '../../src/model/iproute/index.js';
import { buildIpsets } from '../../src/model/ipset/build.js';
import { buildIpvs } from '../../src/model/ipvs/build.js';
import { repoRoot } from '../support/paths.js';

export const samplesDir = join(repoRoot, 'samples');

function source(path: string): SourceText {
  return { name: path, text: readFileSync(path, 'utf8') };
}

/** Inputs from files named as the samples name them (iptables-save.txt, ipset-save.txt, ipvsadm-*.txt, ip-addr.txt). */
export function inputsFromFiles(paths: readonly string[], extra: Partial<ServiceInputs> = {}): ServiceInputs {
  let ipv4: ServiceInputs['ipv4'] = null;
  let ipv6: ServiceInputs['ipv6'] = null;
  let ipsets: ServiceInputs['ipsets'] = null;
  let ipvs: ServiceInputs['ipvs'] = null;
  let localAddresses: NodeAddress[] | null = null;
  for (const path of paths) {
    const src = source(path);
    const base = path.split('/').pop()!;
    if (base.startsWith('ip6tables-save') || base.startsWith('iptables-save')) {
      const rs = parseIptablesSave(src.text, path);
      if (rs.family === 'ipv4') ipv4 = rs;
      else ipv6 = rs;
    } else if (base.startsWith('ipset-')) {
      ipsets = buildIpsets(parseIpsetText(src)).sets;
    } else if (base.startsWith('ipvsadm-')) {
      ipvs = buildIpvs(parseIpvsadmText(src)).table;
    } else if (base.startsWith('ip-addr')) {
      const table = buildInterfaces(parseIpAddrText(src));
      localAddresses = table.interfaces.flatMap((i) => i.addresses.map((a) => ({ address: a.address, prefix: a.prefix, interface: i.name, at: a.at })));
    }
  }
  return { ipv4, ipv6, ipsets, ipvs, localAddresses, ...extra };
}

/** The catalogue of a sample folder from the files named. */
export function sampleCatalogue(folder: string, files: readonly string[], extra: Partial<ServiceInputs> = {}): ServiceCatalogue {
  return buildServiceCatalogue(inputsFromFiles(files.map((f) => join(samplesDir, folder, f)), extra));
}

export function kubectlFrom(text: string, name = 'kubectl.json'): KubectlObjects {
  return readKubectlJson({ name, text });
}

/** The Service port named `ns/name:port` (protocol tcp unless given). */
export function byName(c: ServiceCatalogue, name: string, protocol = 'tcp'): ServicePort {
  const found = c.services.find((s) => `${s.namespace}/${s.name}${s.portName ? `:${s.portName}` : ''}` === name && s.protocol === protocol);
  if (!found) throw new Error(`no Service port ${name}/${protocol} in ${c.services.map((s) => s.key).join(' ')}`);
  return found;
}

/** The Service port that has this cluster IP (and port). */
export function byClusterIP(c: ServiceCatalogue, ip: string, port: number, protocol = 'tcp'): ServicePort {
  const found = c.services.find((s) => s.clusterIPs.includes(ip) && s.port === port && s.protocol === protocol);
  if (!found) throw new Error(`no Service port with cluster IP ${ip}:${port}/${protocol}`);
  return found;
}

export function endpointSet(s: ServicePort, filter: (e: ServicePort['endpoints'][number]) => boolean = () => true): string[] {
  return s.endpoints.filter(filter).map((e) => (e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`)).sort();
}

/**
 * `kubectl get svc,endpointslices,nodes -A -o json` for part of the samples' cluster (samples/README.md):
 * web/frontend (LoadBalancer, Local), web/api (LoadBalancer, Cluster), shop/cart, shop/legacy (no
 * endpoints), kube-system/kube-dns, a headless Service, and nodes node-a and node-c.
 */
export function sampleClusterKubectlText(options: { frontendPolicy?: 'Local' | 'Cluster' } = {}): string {
  const meta = (namespace: string, name: string, extra: object = {}) => ({ name, namespace, uid: `uid-${namespace}-${name}`, resourceVersion: '4711', creationTimestamp: '2026-11-16T10:00:00Z', ...extra });
  const slice = (namespace: string, service: string, ports: object[], endpoints: object[]) => ({
    addressType: 'IPv4',
    apiVersion: 'discovery.k8s.io/v1',
    endpoints,
    kind: 'EndpointSlice',
    metadata: meta(namespace, `${service}-x7k2p`, { labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': service } }),
    ports,
  });
  const ep = (address: string, nodeName: string, conditions = { ready: true, serving: true, terminating: false }) => ({
    addresses: [address],
    conditions,
    nodeName,
    targetRef: { kind: 'Pod', name: `pod-${address.replaceAll('.', '-')}`, namespace: 'x' },
  });
  const list = {
    apiVersion: 'v1',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('kube-system', 'kube-dns', { labels: { 'k8s-app': 'kube-dns' } }),
        spec: {
          clusterIP: '10.96.0.10',
          clusterIPs: ['10.96.0.10'],
          internalTrafficPolicy: 'Cluster',
          ipFamilies: ['IPv4'],
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
            { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
          ],
          selector: { 'k8s-app': 'kube-dns' },
          sessionAffinity: 'None',
          type: 'ClusterIP',
        },
        status: { loadBalancer: {} },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('shop', 'cart'),
        spec: { clusterIP: '10.96.45.12', clusterIPs: ['10.96.45.12'], ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }], sessionAffinity: 'None', type: 'ClusterIP' },
        status: { loadBalancer: {} },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('shop', 'legacy'),
        spec: { clusterIP: '10.96.160.2', clusterIPs: ['10.96.160.2'], ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 8080 }], type: 'ClusterIP' },
        status: { loadBalancer: {} },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('shop', 'db'),
        spec: { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'pg', port: 5432, protocol: 'TCP', targetPort: 5432 }], type: 'ClusterIP' },
        status: { loadBalancer: {} },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('web', 'frontend'),
        spec: {
          allocateLoadBalancerNodePorts: true,
          clusterIP: '10.96.120.5',
          clusterIPs: ['10.96.120.5'],
          externalTrafficPolicy: options.frontendPolicy ?? 'Local',
          ...((options.frontendPolicy ?? 'Local') === 'Local' ? { healthCheckNodePort: 32100 } : {}),
          internalTrafficPolicy: 'Cluster',
          ports: [{ name: 'http', nodePort: 30080, port: 80, protocol: 'TCP', targetPort: 8080 }],
          selector: { app: 'frontend' },
          sessionAffinity: 'None',
          type: 'LoadBalancer',
        },
        status: { loadBalancer: { ingress: [{ ip: '10.0.0.100', ipMode: 'VIP' }] } },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: meta('web', 'api'),
        spec: {
          clusterIP: '10.96.130.8',
          clusterIPs: ['10.96.130.8'],
          externalTrafficPolicy: 'Cluster',
          ports: [{ name: 'https', nodePort: 30443, port: 443, protocol: 'TCP', targetPort: 8443 }],
          type: 'LoadBalancer',
        },
        status: { loadBalancer: { ingress: [{ ip: '10.0.0.101' }] } },
      },
      slice('kube-system', 'kube-dns', [
        { name: 'dns', port: 53, protocol: 'UDP' },
        { name: 'dns-tcp', port: 53, protocol: 'TCP' },
        { name: 'metrics', port: 9153, protocol: 'TCP' },
      ], [ep('10.244.0.2', 'cp-1'), ep('10.244.1.3', 'node-a')]),
      slice('shop', 'cart', [{ name: 'http', port: 8080, protocol: 'TCP' }], [ep('10.244.1.7', 'node-a'), ep('10.244.2.9', 'node-b')]),
      slice('web', 'frontend', [{ name: 'http', port: 8080, protocol: 'TCP' }], [
        ep('10.244.1.5', 'node-a'),
        ep('10.244.3.7', 'node-c'),
        ep('10.244.3.9', 'node-c', { ready: false, serving: true, terminating: true }),
      ]),
      slice('web', 'api', [{ name: 'https', port: 8443, protocol: 'TCP' }], [ep('10.244.0.9', 'cp-1'), ep('10.244.1.6', 'node-a'), ep('10.244.2.8', 'node-b')]),
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'node-a' } },
        spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
        status: { addresses: [{ address: '10.0.0.11', type: 'InternalIP' }, { address: 'node-a', type: 'Hostname' }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-c' },
        spec: { podCIDR: '10.244.3.0/24', podCIDRs: ['10.244.3.0/24'] },
        status: { addresses: [{ address: '10.0.0.13', type: 'InternalIP' }, { address: 'node-c', type: 'Hostname' }] },
      },
    ],
    kind: 'List',
    metadata: { resourceVersion: '' },
  };
  return JSON.stringify(list, null, 4) + '\n';
}
