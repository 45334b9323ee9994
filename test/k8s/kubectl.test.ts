/**
 * kubectl JSON (`kubectl get svc,endpointslices,nodes -A -o json`) → typed Services,
 * EndpointSlices and Nodes with positions; bad JSON and bad fields → located diagnostics.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readKubectlJson } from '../../src/k8s/kubectl.js';
import { textOf } from '../../grammar/source.js';
import { sampleClusterKubectlText } from './support.js';

const read = (text: string) => readKubectlJson({ name: 'kubectl.json', text });

describe('a realistic List', () => {
  const text = sampleClusterKubectlText();
  const k = read(text);

  it('reads every Service, EndpointSlice and Node without complaint', () => {
    expect(k.diagnostics).toEqual([]);
    expect(k.services.map((s) => `${s.namespace}/${s.name}`)).toEqual(['kube-system/kube-dns', 'shop/cart', 'shop/legacy', 'shop/db', 'web/frontend', 'web/api']);
    expect(k.endpointSlices.map((s) => s.serviceName)).toEqual(['kube-dns', 'cart', 'frontend', 'api']);
    expect(k.nodes.map((n) => [n.name, n.addresses, n.podCidrs])).toEqual([
      ['node-a', ['10.0.0.11'], ['10.244.1.0/24']],
      ['node-c', ['10.0.0.13'], ['10.244.3.0/24']],
    ]);
  });

  it('reads a LoadBalancer Service: type, ports, policies, ingress IPs, health check', () => {
    const f = k.services.find((s) => s.name === 'frontend')!;
    expect(f).toMatchObject({
      type: 'LoadBalancer',
      clusterIPs: ['10.96.120.5'],
      loadBalancerIPs: ['10.0.0.100'],
      externalTrafficPolicy: 'Local',
      internalTrafficPolicy: 'Cluster',
      healthCheckNodePort: 32100,
      sessionAffinityTimeout: null,
    });
    expect(f.ports.map((p) => [p.name, p.protocol, p.port, p.nodePort, p.targetPort])).toEqual([['http', 'tcp', 80, 30080, 8080]]);
    const dns = k.services.find((s) => s.name === 'kube-dns')!;
    expect(dns.ports.map((p) => `${p.name}/${p.protocol}`)).toEqual(['dns/udp', 'dns-tcp/tcp', 'metrics/tcp']);
    expect(dns.externalTrafficPolicy).toBeNull();
    expect(k.services.find((s) => s.name === 'db')!.clusterIPs).toEqual(['None']);
  });

  it('points at the JSON value of each field it read', () => {
    const f = k.services.find((s) => s.name === 'frontend')!;
    expect(textOf(f.fieldsAt.get('spec.externalTrafficPolicy')!)).toBe('"Local"');
    expect(textOf(f.fieldsAt.get('status.loadBalancer.ingress')!)).toBe('"10.0.0.100"');
    expect(textOf(f.at).startsWith('{')).toBe(true);
    expect(textOf(f.at)).toContain('"frontend"');
  });

  it('fills EndpointSlice condition defaults and keeps explicit ones', () => {
    const f = k.endpointSlices.find((s) => s.serviceName === 'frontend')!;
    expect(f.ports).toEqual([{ name: 'http', port: 8080, protocol: 'tcp' }]);
    expect(f.endpoints.map((e) => [e.addresses[0], e.ready, e.serving, e.terminating, e.nodeName])).toEqual([
      ['10.244.1.5', true, true, false, 'node-a'],
      ['10.244.3.7', true, true, false, 'node-c'],
      ['10.244.3.9', false, true, true, 'node-c'],
    ]);
    const bare = read('{"kind":"EndpointSlice","metadata":{"name":"s","namespace":"n","labels":{"kubernetes.io/service-name":"svc"}},"addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"]}],"ports":[{"port":80}]}');
    expect(bare.endpointSlices[0]!.endpoints[0]).toMatchObject({ ready: true, serving: true, terminating: false, nodeName: null });
    expect(bare.endpointSlices[0]!.ports).toEqual([{ name: '', port: 80, protocol: 'tcp' }]);
  });
});

describe('other shapes kubectl prints', () => {
  it('reads a single object, a ServiceList, and several documents pasted together', () => {
    const one = '{"apiVersion":"v1","kind":"Service","metadata":{"name":"a"},"spec":{"clusterIP":"10.0.0.1","ports":[{"port":80}],"sessionAffinity":"ClientIP"}}';
    const list = '{"apiVersion":"v1","kind":"ServiceList","items":[' + one.replace('"a"', '"b"') + ']}';
    const k = read(`${one}\n${list}\n`);
    expect(k.diagnostics).toEqual([]);
    expect(k.services.map((s) => [s.namespace, s.name, s.type, s.sessionAffinityTimeout])).toEqual([
      ['default', 'a', 'ClusterIP', 10800],
      ['default', 'b', 'ClusterIP', 10800],
    ]);
  });

  it('flattens legacy Endpoints: ready addresses and notReadyAddresses', () => {
    const k = read(
      JSON.stringify({
        kind: 'Endpoints',
        metadata: { name: 'cart', namespace: 'shop' },
        subsets: [{ addresses: [{ ip: '10.244.1.7', nodeName: 'node-a' }], notReadyAddresses: [{ ip: '10.244.2.9' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
      }),
    );
    expect(k.endpointSlices).toHaveLength(1);
    expect(k.endpointSlices[0]!.serviceName).toBe('cart');
    expect(k.endpointSlices[0]!.endpoints.map((e) => [e.addresses[0], e.ready, e.nodeName])).toEqual([
      ['10.244.1.7', true, 'node-a'],
      ['10.244.2.9', false, null],
    ]);
  });

  it('skips FQDN slices, as kube-proxy does, and says once per kind what it skipped', () => {
    const k = read(
      JSON.stringify({
        kind: 'List',
        items: [
          { kind: 'EndpointSlice', addressType: 'FQDN', metadata: { name: 'x', labels: { 'kubernetes.io/service-name': 'x' } }, endpoints: [] },
          { kind: 'Pod', metadata: { name: 'p1' } },
          { kind: 'Pod', metadata: { name: 'p2' } },
        ],
      }),
    );
    expect(k.endpointSlices).toEqual([]);
    expect(k.diagnostics.map((d) => [d.code, d.severity])).toEqual([['k8s/kubectl-ignored-kind', 'info']]);
  });
});

describe('bad input', () => {
  it('reports a truncated document where it ends, and keeps the documents before it', () => {
    const text = sampleClusterKubectlText();
    const cut = text.slice(0, text.indexOf('"name": "legacy"'));
    const whole = '{"kind":"Service","metadata":{"name":"first","namespace":"n"},"spec":{"clusterIP":"10.0.0.1","ports":[{"port":80}]}}\n';
    const k = read(whole + cut);
    expect(k.services.map((s) => s.name)).toContain('first');
    const syntax = k.diagnostics.find((d) => d.code === 'json/syntax');
    expect(syntax?.severity).toBe('error');
    expect(syntax?.at?.start).toBeGreaterThan(whole.length + cut.length - 20);
  });

  it('reports a field of the wrong type at its value and ignores it', () => {
    const text = '{"kind":"Service","metadata":{"name":"a","namespace":"n"},"spec":{"clusterIP":"10.0.0.1","externalTrafficPolicy":7,"ports":[{"port":"80"},{"port":81,"protocol":"ICMP"},{"port":82}]}}';
    const k = read(text);
    expect(k.services[0]!.ports.map((p) => p.port)).toEqual([82]);
    expect(k.services[0]!.externalTrafficPolicy).toBeNull();
    const found = k.diagnostics.map((d) => [d.code, textOf(d.at!)]);
    expect(found).toContainEqual(['k8s/kubectl-bad-field', '7']);
    expect(found).toContainEqual(['k8s/kubectl-bad-field', '"80"']);
    expect(found).toContainEqual(['k8s/kubectl-bad-field', '"ICMP"']);
    expect(k.diagnostics.find((d) => textOf(d.at!) === '"80"')?.message).toMatch(/spec\.ports\[0\]\.port should be a whole number from 1 to 65535 but is "80"/);
  });

  it('skips an object without metadata.name and says so', () => {
    const k = read('{"kind":"List","items":[{"kind":"Service","metadata":{},"spec":{}},{"kind":"Node","status":{}}]}');
    expect(k.services).toEqual([]);
    expect(k.nodes).toEqual([]);
    expect(k.diagnostics.map((d) => d.code)).toEqual(['k8s/kubectl-missing-field', 'k8s/kubectl-missing-field']);
  });

  it('refuses JSON that is not a Kubernetes object', () => {
    const k = read('[{"kind":"Service"}]\n"hello"\n');
    expect(k.diagnostics.map((d) => [d.code, textOf(d.at!).slice(0, 1)])).toEqual([
      ['k8s/kubectl-not-a-list', '['],
      ['k8s/kubectl-not-a-list', '"'],
    ]);
  });

  it('reports addresses that are not addresses', () => {
    const k = read('{"kind":"Node","metadata":{"name":"n"},"status":{"addresses":[{"type":"InternalIP","address":"10.0.0.999"}]},"spec":{"podCIDR":"10.244.1.0/33"}}');
    expect(k.nodes[0]).toMatchObject({ addresses: [], podCidrs: [] });
    expect(k.diagnostics.map((d) => textOf(d.at!))).toEqual(['"10.0.0.999"', '"10.244.1.0/33"']);
  });

  it('never throws on arbitrary JSON or arbitrary text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const k = read(JSON.stringify({ kind: 'List', items: [value, { kind: 'Service', metadata: { name: 'x' }, spec: value }] }));
        expect(Array.isArray(k.services)).toBe(true);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(() => read(text)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
