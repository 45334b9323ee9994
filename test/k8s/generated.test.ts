/**
 * Round trip against the dump generator (bench/generate.ts, which prints what kube-proxy's
 * proxier.go writes for a cluster model): the catalogue read back from the printed files must
 * give the model's Service ports, addresses, policies, affinity, source ranges and endpoints. IPVS
 * names come from kubectl JSON written from the same model.
 */
import { describe, expect, it } from 'vitest';
import { generateNode, type ClusterModel, type ServicePortModel } from '../../bench/generate.js';
import { parseIpAddrText } from '../../grammar/iproute/parse-addr.js';
import { parseIpsetText } from '../../grammar/ipset/parse.js';
import { parseIpvsadmText } from '../../grammar/ipvsadm/parse.js';
import { parseIptablesSave } from '../../src/index.js';
import { buildServiceCatalogue } from '../../src/k8s/catalogue.js';
import type { ServiceCatalogue, ServiceInputs, ServicePort } from '../../src/k8s/types.js';
import { buildInterfaces } from '../../src/model/iproute/index.js';
import { buildIpsets } from '../../src/model/ipset/build.js';
import { buildIpvs } from '../../src/model/ipvs/build.js';
import { kubectlFrom } from './support.js';

/** What `kubectl get svc,endpointslices,nodes -A -o json` would print for the model. */
function kubectlOf(cluster: ClusterModel): string {
  const services = new Map<string, ServicePortModel[]>();
  for (const m of cluster.services) services.set(`${m.namespace}/${m.name}`, [...(services.get(`${m.namespace}/${m.name}`) ?? []), m]);
  const items: object[] = [];
  for (const ports of services.values()) {
    const m = ports[0]!;
    const lb = ports.some((p) => p.loadBalancerIPs.length > 0);
    const np = ports.some((p) => p.nodePort !== undefined);
    items.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: m.name, namespace: m.namespace },
      spec: {
        type: lb ? 'LoadBalancer' : np ? 'NodePort' : 'ClusterIP',
        clusterIP: m.clusterIP,
        clusterIPs: [m.clusterIP],
        ...(lb || np ? { externalTrafficPolicy: m.externalPolicy } : {}),
        ...(m.healthCheckNodePort !== undefined ? { healthCheckNodePort: m.healthCheckNodePort } : {}),
        ...(m.affinityTimeout !== undefined ? { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: m.affinityTimeout } } } : {}),
        ...(m.sourceRanges.length ? { loadBalancerSourceRanges: m.sourceRanges } : {}),
        ports: ports.map((p) => ({ name: p.portName, port: p.port, protocol: p.protocol.toUpperCase(), ...(p.nodePort !== undefined ? { nodePort: p.nodePort } : {}) })),
      },
      status: { loadBalancer: lb ? { ingress: m.loadBalancerIPs.map((ip) => ({ ip })) } : {} },
    });
    items.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      addressType: 'IPv4',
      metadata: { name: `${m.name}-abcde`, namespace: m.namespace, labels: { 'kubernetes.io/service-name': m.name } },
      ports: ports.map((p) => ({ name: p.portName, port: p.endpoints[0]?.port ?? 1, protocol: p.protocol.toUpperCase() })),
      endpoints: [...new Map(ports.flatMap((p) => p.endpoints).map((e) => [e.ip, e])).values()].map((e) => ({ addresses: [e.ip], conditions: { ready: true }, nodeName: e.nodeName })),
    });
  }
  items.push({ apiVersion: 'v1', kind: 'Node', metadata: { name: cluster.node.name }, spec: { podCIDR: cluster.node.podCidr }, status: { addresses: [{ type: 'InternalIP', address: cluster.node.ip }] } });
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

function catalogueOf(files: Record<string, string>, cluster: ClusterModel, withKubectl: boolean): ServiceCatalogue {
  const src = (name: string) => ({ name, text: files[name]! });
  const ipv4 = parseIptablesSave(files['iptables-save.txt']!, 'iptables-save.txt');
  const inputs: ServiceInputs = {
    ipv4,
    ipv6: null,
    ipsets: files['ipset-save.txt'] ? buildIpsets(parseIpsetText(src('ipset-save.txt'))).sets : null,
    ipvs: files['ipvsadm-Ln.txt'] ? buildIpvs(parseIpvsadmText(src('ipvsadm-Ln.txt'))).table : null,
    localAddresses: files['ip-addr.txt']
      ? buildInterfaces(parseIpAddrText(src('ip-addr.txt'))).interfaces.flatMap((i) => i.addresses.map((a) => ({ address: a.address, prefix: a.prefix, interface: i.name, at: a.at })))
      : null,
    kubectl: withKubectl ? kubectlFrom(kubectlOf(cluster)) : null,
  };
  return buildServiceCatalogue(inputs);
}

function find(c: ServiceCatalogue, m: ServicePortModel): ServicePort {
  const found = c.services.find((s) => s.namespace === m.namespace && s.name === m.name && (s.portName ?? '') === m.portName && s.protocol === m.protocol);
  if (!found) throw new Error(`${m.namespace}/${m.name}:${m.portName}/${m.protocol} missing`);
  return found;
}

const cases = [
  { mode: 'iptables', generation: 'current', kubectl: false },
  { mode: 'iptables', generation: 'pre124', kubectl: false },
  { mode: 'ipvs', generation: 'current', kubectl: true },
  { mode: 'ipvs', generation: 'pre124', kubectl: true },
] as const;

describe('catalogue of generated nodes equals the model they were printed from', () => {
  for (const kase of cases) {
    for (const seed of [1, 2, 3]) {
      it(`${kase.mode} ${kase.generation}, seed ${seed}`, () => {
        const node = generateNode({ services: 40, mode: kase.mode, generation: kase.generation, seed });
        const c = catalogueOf(node.files, node.cluster, kase.kubectl);
        expect(c.mode).toBe(kase.mode);
        expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        expect(c.services.filter((s) => s.name !== null)).toHaveLength(node.cluster.services.length);
        for (const m of node.cluster.services) {
          const s = find(c, m);
          const label = `${m.namespace}/${m.name}:${m.portName}`;
          expect(s.clusterIPs, label).toEqual([m.clusterIP]);
          expect(s.port, label).toBe(m.port);
          expect(s.nodePort, label).toBe(m.nodePort ?? null);
          expect([...s.loadBalancerIPs, ...s.otherExternalIPs].sort(), label).toEqual([...m.loadBalancerIPs].sort());
          if (m.healthCheckNodePort !== undefined) expect(s.healthCheckNodePort, label).toBe(m.healthCheckNodePort);
          const endpoints = s.endpoints.map((e) => `${e.address}:${e.port}`).sort();
          expect(endpoints, label).toEqual(m.endpoints.map((e) => `${e.ip}:${e.port}`).sort());
          for (const e of s.endpoints) {
            const truth = m.endpoints.find((x) => x.ip === e.address)!;
            if (e.local !== 'unknown') expect(e.local, `${label} ${e.address}`).toBe(truth.local);
          }
          if (m.endpoints.length === 0) {
            expect(s.noEndpoints, label).toBe(true);
            continue;
          }
          if (m.nodePort !== undefined || m.loadBalancerIPs.length > 0) expect(s.externalTrafficPolicy, label).toBe(m.externalPolicy);
          expect(s.sessionAffinity?.timeoutSeconds ?? null, label).toBe(m.affinityTimeout ?? null);
          if (m.loadBalancerIPs.length > 0) expect([...s.loadBalancerSourceRanges].sort(), label).toEqual([...m.sourceRanges].sort());
        }
      });
    }
  }
});

describe('IPVS without names: grouping by ports and real servers never ties an address to the wrong Service', () => {
  for (const generation of ['current', 'pre124'] as const) {
    for (const seed of [1, 2, 3, 4]) {
      it(`${generation}, seed ${seed}`, () => {
        const node = generateNode({ services: 60, mode: 'ipvs', generation, seed });
        const c = catalogueOf(node.files, node.cluster, false);
        let tied = 0;
        for (const s of c.services) {
          if (s.clusterIPs.length === 0) continue;
          const m = node.cluster.services.find((x) => x.clusterIP === s.clusterIPs[0] && x.port === s.port && x.protocol === s.protocol)!;
          expect(m, s.key).toBeDefined();
          for (const ip of s.loadBalancerIPs) expect(m.loadBalancerIPs, `${s.key} ${ip}`).toContain(ip);
          if (s.nodePort !== null) expect(s.nodePort, s.key).toBe(m.nodePort);
          if (m.endpoints.length > 0 && (s.nodePort !== null || s.loadBalancerIPs.length > 0)) expect(s.externalTrafficPolicy, s.key).toBe(m.externalPolicy);
          tied += s.loadBalancerIPs.length + (s.nodePort !== null ? 1 : 0);
        }
        // Most are tied: only ports without real servers, or whose real servers two Services share, stay apart.
        const total = node.cluster.services.reduce((n, m) => n + m.loadBalancerIPs.length + (m.nodePort !== undefined ? 1 : 0), 0);
        expect(tied / total).toBeGreaterThan(0.6);
      });
    }
  }
});
