/**
 * The catalogue of IPVS-mode nodes: the samples' TKE-like node-a with web/frontend Local
 * (ipvs-local) and Cluster (ipvs-cluster), the same cluster seen from node-b, and the ACK-like
 * node whose ingress controller has no local endpoint (ipvs-bound-lb); names from kubectl JSON.
 */
import { describe, expect, it } from 'vitest';
import { buildServiceCatalogue } from '../../src/k8s/catalogue.js';
import { ipvsSetName } from '../../src/k8s/ipvs-services.js';
import type { ServiceCatalogue, ServicePort } from '../../src/k8s/types.js';
import { byClusterIP, byName, endpointSet, inputsFromFiles, kubectlFrom, sampleCatalogue, sampleClusterKubectlText, samplesDir } from './support.js';

const all = ['iptables-save.txt', 'ipset-save.txt', 'ip-addr.txt'];
const local = sampleCatalogue('ipvs-local', [...all, 'ipvsadm-Ln.txt']);
const cluster = sampleCatalogue('ipvs-cluster', [...all, 'ipvsadm-Sn.txt']);
const nodeB = sampleCatalogue('ipvs-local-node-b', [...all, 'ipvsadm-Ln.txt']);
const bound = sampleCatalogue('ipvs-bound-lb', [...all, 'ipvsadm-Ln.txt']);

const frontendOf = (c: ServiceCatalogue): ServicePort => byClusterIP(c, '10.96.120.5', 80);

describe('ipvs-local vs ipvs-cluster: the same Service, Local vs Cluster', () => {
  it('reads IPVS mode', () => {
    for (const c of [local, cluster]) {
      expect(c.mode).toBe('ipvs');
      expect(c.generation).toBe('ipvs');
      expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    }
  });

  it('ties the LB IP and the NodePort to web/frontend\'s cluster IP, with the grouping as evidence', () => {
    for (const c of [local, cluster]) {
      const f = frontendOf(c);
      expect(f).toMatchObject({ type: 'LoadBalancer', loadBalancerIPs: ['10.0.0.100'], nodePort: 30080, port: 80, protocol: 'tcp' });
      expect(f.evidence.filter((e) => e.fact === 'grouping').length).toBeGreaterThan(0);
    }
  });

  it('reads externalTrafficPolicy from KUBE-LOAD-BALANCER-LOCAL membership, citing the set member', () => {
    const l = frontendOf(local);
    const c = frontendOf(cluster);
    expect(l.externalTrafficPolicy).toBe('Local');
    expect(c.externalTrafficPolicy).toBe('Cluster');
    const why = l.evidence.find((e) => e.fact === 'external-traffic-policy' && e.what.includes('KUBE-LOAD-BALANCER-LOCAL'))!;
    expect(why.at.source.text.slice(why.at.start, why.at.end)).toContain('add KUBE-LOAD-BALANCER-LOCAL 10.0.0.100,tcp:80');
  });

  it('knows local endpoints from KUBE-LOOP-BACK and remote ones from their absence', () => {
    for (const c of [local, cluster]) {
      expect(frontendOf(c).endpoints.map((e) => [e.address, e.port, e.local])).toEqual([
        ['10.244.1.5', 8080, true],
        ['10.244.3.7', 8080, false],
      ]);
    }
    // ipvs-local's LB virtual service has only the local endpoint: Local traffic goes there only.
    expect(endpointSet(frontendOf(local), (e) => e.localPolicy)).toEqual(['10.244.1.5:8080']);
  });

  it('reads affinity (persistence), source ranges and a Service without endpoints', () => {
    for (const c of [local, cluster]) {
      expect(byClusterIP(c, '10.96.150.7', 8080).sessionAffinity).toEqual({ timeoutSeconds: 10800 });
      expect([...byClusterIP(c, '10.96.140.3', 80).loadBalancerSourceRanges].sort()).toEqual(['10.0.0.0/24', '203.0.113.0/24']);
      expect(byClusterIP(c, '10.96.160.2', 8080)).toMatchObject({ noEndpoints: true, endpoints: [] });
      expect(byClusterIP(c, '10.96.0.10', 53, 'udp').endpoints.length).toBe(2);
      expect(c.settings).toMatchObject({ clusterCidrs: ['10.244.0.0/16'], masqueradeAll: false, masqueradeBit: 14, localPodCidrs: ['10.244.1.0/24'] });
    }
    expect(local.settings.nodePortAddresses).toEqual(['10.0.0.11', '10.244.1.1']);
    expect(local.settings.unassignedHealthCheckNodePorts).toEqual([32100]);
  });

  it('has no names without kubectl: every Service port is keyed by its cluster IP', () => {
    expect(local.services.every((s) => s.name === null && s.hash === null)).toBe(true);
    expect(frontendOf(local).key).toBe('10.96.120.5:80/tcp');
  });
});

describe('ipvs-local-node-b: no local web/frontend endpoint', () => {
  it('keeps eTP Local; the LB virtual service falls back to the remote endpoints', () => {
    const f = frontendOf(nodeB);
    expect(f.externalTrafficPolicy).toBe('Local');
    expect(f.endpoints.map((e) => [e.address, e.local, e.localPolicy])).toEqual([
      ['10.244.1.5', false, true],
      ['10.244.3.7', false, true],
    ]);
  });
});

describe('ipvs-bound-lb: ingress controller Local with no endpoint on this node', () => {
  const ingress80 = byClusterIP(bound, '172.21.9.80', 80);
  it('ties the public SLB IP to the ingress cluster IP by its ports, and reads Local', () => {
    expect(ingress80.loadBalancerIPs).toEqual(['203.0.113.10']);
    expect(byClusterIP(bound, '172.21.9.80', 443).loadBalancerIPs).toEqual(['203.0.113.10']);
    expect(ingress80.externalTrafficPolicy).toBe('Local');
    expect(ingress80.evidence.find((e) => e.fact === 'grouping')?.what).toMatch(/same ports/);
  });

  it('shows that no endpoint is local (the "Connection refused" from a pod on this node)', () => {
    expect(ingress80.endpoints.map((e) => e.local)).toEqual([false, false]);
    expect(ingress80.endpoints.filter((e) => e.localPolicy)).toEqual([]);
  });

  it('lists the empty NodePorts on their own, with an info each', () => {
    const own = bound.services.filter((s) => s.key.startsWith('nodeport:')).map((s) => [s.key, s.externalTrafficPolicy]);
    expect(own).toEqual([
      ['nodeport:31080/tcp', 'Local'],
      ['nodeport:31443/tcp', 'Local'],
    ]);
    expect(bound.diagnostics.filter((d) => d.code === 'k8s/unassigned-ipvs-service').length).toBe(2);
  });

  it('ties 203.0.113.11 and NodePort 30880 to the cluster IP whose real servers they share', () => {
    expect(byClusterIP(bound, '172.21.7.33', 80)).toMatchObject({ loadBalancerIPs: ['203.0.113.11'], nodePort: 30880, externalTrafficPolicy: 'Cluster' });
  });
});

describe('names from kubectl JSON', () => {
  const kubectl = kubectlFrom(sampleClusterKubectlText());
  const named = buildServiceCatalogue(inputsFromFiles([...all, 'ipvsadm-Ln.txt'].map((f) => `${samplesDir}/ipvs-local/${f}`), { kubectl }));

  it('names the virtual services and keys them by kube-proxy\'s hash', () => {
    const f = byName(named, 'web/frontend:http');
    expect(f.key).toBe('XQW6G4JP7X6Y57U2');
    expect(f).toMatchObject({ clusterIPs: ['10.96.120.5'], loadBalancerIPs: ['10.0.0.100'], nodePort: 30080, externalTrafficPolicy: 'Local', healthCheckNodePort: 32100 });
    expect(f.foundIn).toEqual(['ipvs', 'kubectl']);
    expect(byName(named, 'kube-system/kube-dns:dns', 'udp').clusterIPs).toEqual(['10.96.0.10']);
    expect(named.settings.unassignedHealthCheckNodePorts).toEqual([]);
    // Services the List does not hold stay keyed by address.
    expect(named.services.some((s) => s.key === '10.96.88.20:80/tcp' && s.name === null)).toBe(true);
  });

  it('adds endpoint conditions and node names to the endpoints IPVS uses (not the terminating one)', () => {
    const f = byName(named, 'web/frontend:http');
    expect(f.endpoints.map((e) => [e.address, e.nodeName, e.ready])).toEqual([
      ['10.244.1.5', 'node-a', true],
      ['10.244.3.7', 'node-c', true],
    ]);
  });

  it('warns where the API and the node disagree (API Local, node Cluster)', () => {
    const inputs = inputsFromFiles([...all, 'ipvsadm-Sn.txt'].map((f) => `${samplesDir}/ipvs-cluster/${f}`), { kubectl });
    const c = buildServiceCatalogue(inputs);
    expect(byName(c, 'web/frontend:http').externalTrafficPolicy).toBe('Cluster');
    const d = c.diagnostics.find((x) => x.code === 'k8s/kubectl-disagrees')!;
    expect(d.message).toContain('web/frontend:http/tcp');
    expect(d.at!.source.text.slice(d.at!.start, d.at!.end)).toBe('"Local"');
  });
});

describe('half of the IPVS state', () => {
  it('without ipsets: warns, takes node addresses as NodePorts and the rest as cluster IPs', () => {
    const c = sampleCatalogue('ipvs-local', ['iptables-save.txt', 'ipvsadm-Ln.txt', 'ip-addr.txt']);
    expect(c.diagnostics.map((d) => d.code)).toContain('k8s/ipvs-without-ipsets');
    expect(byClusterIP(c, '10.96.45.12', 8080).type).toBe('ClusterIP');
    expect(c.services.find((s) => s.clusterIPs.includes('10.0.0.100'))).toBeDefined();
    expect(c.services.filter((s) => s.nodePort === 30080).length).toBe(1);
  });

  it('without ipvsadm output: reads the Services from the sets, without endpoints', () => {
    const c = sampleCatalogue('ipvs-local', ['iptables-save.txt', 'ipset-save.txt']);
    expect(c.diagnostics.map((d) => d.code)).toContain('k8s/ipvs-without-table');
    expect(byClusterIP(c, '10.96.120.5', 80).endpoints).toEqual([]);
    expect(c.services.find((s) => s.loadBalancerIPs.includes('10.0.0.100'))?.externalTrafficPolicy).toBe('Local');
  });

  it('names IPv6 sets as kube-proxy does (KUBE-6-, cut at 31 characters)', () => {
    expect(ipvsSetName('KUBE-CLUSTER-IP', 'ipv4')).toBe('KUBE-CLUSTER-IP');
    expect(ipvsSetName('KUBE-CLUSTER-IP', 'ipv6')).toBe('KUBE-6-CLUSTER-IP');
    expect(ipvsSetName('KUBE-LOAD-BALANCER-SOURCE-CIDR', 'ipv6')).toBe('KUBE-6-LOAD-BALANCER-SOURCE-CID');
  });
});
