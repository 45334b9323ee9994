/**
 * kubectl facts joined to an iptables-mode node's catalogue: names and types, endpoint conditions
 * and node names, this node found by its address, disagreements between the API and the rules,
 * Services the node has no rules for; and the node-snapshot adapter that feeds the catalogue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textOf } from '../../grammar/source.js';
import { buildServiceCatalogue } from '../../src/k8s/catalogue.js';
import { nodeDiagnosticsForServices, serviceInputsFromNode } from '../../src/k8s/inputs.js';
import { buildNodeSnapshot } from '../../src/model/node.js';
import { byName, inputsFromFiles, kubectlFrom, sampleClusterKubectlText, samplesDir } from './support.js';

const files = (names: string[]) => names.map((n) => join(samplesDir, 'iptables-current', n));

describe('kubectl JSON with an iptables-mode node', () => {
  const kubectl = kubectlFrom(sampleClusterKubectlText());

  it('finds this node by its address, and takes its pod prefix from Node.spec.podCIDRs', () => {
    const c = buildServiceCatalogue(inputsFromFiles(files(['iptables-save.txt', 'ip-addr.txt']), { kubectl }));
    expect(c.settings.localPodCidrs).toEqual(['10.244.1.0/24']);
    expect(c.settings.evidence.filter((e) => e.fact === 'local-pod-cidr').map((e) => e.what)).toEqual([
      'Node node-a spec.podCIDRs 10.244.1.0/24',
    ]);
    expect(c.diagnostics).toEqual([]);
  });

  it('adds spec.type, endpoint conditions and node names, citing the JSON', () => {
    const c = buildServiceCatalogue(inputsFromFiles(files(['iptables-save.txt', 'ip-addr.txt']), { kubectl }));
    const f = byName(c, 'web/frontend:http');
    expect(f.foundIn).toEqual(['iptables', 'kubectl']);
    const type = f.evidence.find((e) => e.fact === 'type')!;
    expect(textOf(type.at)).toBe('"LoadBalancer"');
    expect(f.endpoints.map((e) => [e.address, e.ready, e.terminating, e.nodeName])).toEqual([
      ['10.244.1.5', true, false, 'node-a'],
      ['10.244.3.7', true, false, 'node-c'],
    ]);
    // The API's eTP agrees with the rules: both are cited.
    const sources = f.evidence.filter((e) => e.fact === 'external-traffic-policy').map((e) => e.at.source.name);
    expect(sources).toContain('kubectl.json');
    expect(sources.some((s) => s.endsWith('iptables-save.txt'))).toBe(true);
  });

  it('tells local endpoints from EndpointSlice nodeName when only the node name is known', () => {
    const c = buildServiceCatalogue(inputsFromFiles(files(['iptables-save.txt']), { kubectl, nodeName: 'node-a' }));
    expect(byName(c, 'shop/cart:http').endpoints.map((e) => [e.address, e.local])).toEqual([
      ['10.244.1.7', true],
      ['10.244.2.9', false],
    ]);
    const why = byName(c, 'shop/cart:http').evidence.find((e) => e.fact === 'remote-endpoint')!;
    expect(why.what).toBe('10.244.2.9 runs on node node-b (EndpointSlice nodeName)');
    expect(why.at.source.name).toBe('kubectl.json');
  });

  it('says when it cannot tell which Node is this one', () => {
    const c = buildServiceCatalogue(inputsFromFiles(files(['iptables-save.txt']), { kubectl }));
    expect(c.diagnostics.map((d) => d.code)).toEqual(['k8s/kubectl-unknown-node']);
    expect(byName(c, 'shop/cart:http').endpoints.map((e) => e.local)).toEqual(['unknown', 'unknown']);
  });

  it('keeps the rules where the API disagrees, and says so at the API\'s value', () => {
    const cluster = kubectlFrom(sampleClusterKubectlText({ frontendPolicy: 'Cluster' }));
    const c = buildServiceCatalogue(inputsFromFiles(files(['iptables-save.txt', 'ip-addr.txt']), { kubectl: cluster }));
    expect(byName(c, 'web/frontend:http').externalTrafficPolicy).toBe('Local');
    const d = c.diagnostics.find((x) => x.code === 'k8s/kubectl-disagrees')!;
    expect(d.message).toBe(
      "web/frontend:http/tcp: the API says externalTrafficPolicy Cluster, but this node's rules implement Local; the catalogue shows the node's rules, which decide what packets do.",
    );
    expect(textOf(d.at!)).toBe('"Cluster"');
  });

  it('lists a Service port the node has no rules for, with a warning; skips headless Services', () => {
    const extra = kubectlFrom(
      sampleClusterKubectlText().replace(
        '"kind": "List"',
        '"kind": "List", "extra": 1',
      ).replace(
        '"items": [',
        '"items": [{"apiVersion":"v1","kind":"Service","metadata":{"name":"new","namespace":"shop"},"spec":{"clusterIP":"10.96.200.1","ports":[{"name":"http","port":80}]}},',
      ),
    );
    const c = buildServiceCatalogue(inputsFromFiles(files(['iptables-save.txt', 'ip-addr.txt']), { kubectl: extra }));
    const created = byName(c, 'shop/new:http');
    expect(created).toMatchObject({ foundIn: ['kubectl'], clusterIPs: ['10.96.200.1'], endpoints: [] });
    expect(c.diagnostics.map((d) => d.code)).toEqual(['k8s/kubectl-no-rules']);
    expect(c.services.some((s) => s.name === 'db')).toBe(false);
  });
});

describe('from a node snapshot', () => {
  const names = ['iptables-save.txt', 'ip-addr.txt'];
  const sources = names.map((n) => ({ name: join(samplesDir, 'iptables-current', n), text: readFileSync(join(samplesDir, 'iptables-current', n), 'utf8') }));

  it('reads the kubectl JSON the snapshot only recognises, and drops its "not read yet" note', () => {
    const node = buildNodeSnapshot('node-a', [...sources, { name: 'kubectl.json', text: sampleClusterKubectlText() }]);
    expect(node.inputs.map((i) => i.kind)).toContain('kubectl-json');
    const inputs = serviceInputsFromNode(node);
    expect(inputs.kubectl?.services.length).toBe(6);
    expect(inputs.localAddresses?.some((a) => a.interface === 'cni0' && a.prefix?.text === '10.244.1.0/24')).toBe(true);
    expect(nodeDiagnosticsForServices(node).some((d) => d.code === 'input/not-yet-read' && d.at?.source.name === 'kubectl.json')).toBe(false);
    const c = buildServiceCatalogue(inputs);
    expect(byName(c, 'web/frontend:http').foundIn).toEqual(['iptables', 'kubectl']);
  });

  it('passes nft rulesets on, so that nftables mode is recognised', () => {
    const node = buildNodeSnapshot('node-x', [{ name: 'nft.txt', text: 'table ip kube-proxy {\n\tchain services {\n\t}\n}\n' }]);
    const c = buildServiceCatalogue(serviceInputsFromNode(node, { nodeName: 'node-x' }));
    expect(c.mode).toBe('nftables');
  });
});
