/**
 * The catalogue of iptables-mode nodes: kube-proxy's own conformance dumps (their cases.json says
 * which endpoints each destination reaches, which the catalogue must agree with), the samples of
 * both generations and of IPv6, and rules that are incomplete, hand-edited or stripped of comments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/index.js';
import { buildServiceCatalogue } from '../../src/k8s/catalogue.js';
import type { ServiceCatalogue, ServicePort } from '../../src/k8s/types.js';
import { parseAddress, parseCidr } from '../../src/model/values/address.js';
import { filesUnder, sharedAvailable, sharedDir } from '../support/paths.js';
import { byClusterIP, byName, endpointSet, kubectlFrom, sampleCatalogue } from './support.js';

interface Case {
  name: string;
  from: 'pod' | 'host' | 'external';
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'sctp';
  dport: number;
  expect: { dnat: string[]; verdict: 'dnat' | 'none' | 'drop' | 'reject' | 'accept'; masquerade: boolean };
}

function catalogueOfText(text: string, name = 'iptables-save.txt', localIPs: string[] = []): ServiceCatalogue {
  const rs = parseIptablesSave(text, name);
  const localAddresses = localIPs.map((a) => parseAddress(a)).filter((a) => a !== null).map((address) => ({ address }));
  return buildServiceCatalogue({ ipv4: rs.family === 'ipv4' ? rs : null, ipv6: rs.family === 'ipv6' ? rs : null, ipsets: null, ipvs: null, localAddresses });
}

/** The Service port a packet to dst:dport is for, and which of its destinations it hit. */
function destinationOf(c: ServiceCatalogue, kase: Case, localIPs: string[]): { service: ServicePort; kind: 'cluster' | 'external' | 'nodeport' | 'health' } | null {
  for (const s of c.services) {
    if (s.protocol !== kase.proto) continue;
    if (s.clusterIPs.includes(kase.dst) && s.port === kase.dport) return { service: s, kind: 'cluster' };
    if ([...s.externalIPs, ...s.loadBalancerIPs, ...s.otherExternalIPs].includes(kase.dst) && s.port === kase.dport) return { service: s, kind: 'external' };
    if (localIPs.includes(kase.dst) && s.nodePort === kase.dport) return { service: s, kind: 'nodeport' };
    if (localIPs.includes(kase.dst) && s.healthCheckNodePort === kase.dport) return { service: s, kind: 'health' };
  }
  return null;
}

const suites = sharedAvailable ? filesUnder(join(sharedDir, 'conformance', 'kube-proxy'), (p) => p.endsWith('cases.json')).map((p) => p.slice(0, -'/cases.json'.length)) : [];
if (!sharedAvailable) console.warn('[k8s/iptables-services] ../shared is absent: the kube-proxy conformance catalogue tests are skipped.');

describe.skipIf(!sharedAvailable)('kube-proxy conformance dumps', () => {
  it('has the suites', () => {
    expect(suites.length).toBeGreaterThan(10);
  });
  for (const suite of suites) {
    const data = JSON.parse(readFileSync(join(suite, 'cases.json'), 'utf8')) as { node: { localIPs: string[] }; cases: Case[] };
    const text = readFileSync(join(suite, 'iptables-save.txt'), 'utf8');
    describe(suite.split('/').pop()!, () => {
      const c = catalogueOfText(text, join(suite, 'iptables-save.txt'), data.node.localIPs);
      it('is read as iptables mode, current generation, without problems', () => {
        expect(c.mode).toBe('iptables');
        expect(c.generation).toBe('current');
        expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
        for (const s of c.services) expect(s.name, s.key).not.toBeNull();
      });
      for (const kase of data.cases) {
        it(`agrees with "${kase.name}" (${kase.from} → ${kase.dst}:${kase.dport} ${kase.expect.verdict})`, () => {
          const hit = destinationOf(c, kase, data.node.localIPs);
          switch (kase.expect.verdict) {
            case 'none':
              expect(hit).toBeNull();
              break;
            case 'reject':
              expect(hit?.service.noEndpoints).toBe(true);
              expect(hit?.service.endpoints).toEqual([]);
              break;
            case 'accept':
              expect(hit?.kind).toBe('health');
              expect(hit?.service.externalTrafficPolicy).toBe('Local');
              break;
            case 'drop':
              // Local policy with no local endpoint: external traffic has nowhere to go.
              expect(hit?.service.externalTrafficPolicy).toBe('Local');
              expect(hit?.service.endpoints.filter((e) => e.local === true)).toEqual([]);
              break;
            case 'dnat': {
              expect(hit).not.toBeNull();
              const s = hit!.service;
              const external = hit!.kind !== 'cluster' && kase.from === 'external';
              const expected = external && s.externalTrafficPolicy === 'Local' ? endpointSet(s, (e) => e.localPolicy) : endpointSet(s, (e) => e.clusterPolicy);
              expect(expected).toEqual([...kase.expect.dnat].sort());
              if (external && s.externalTrafficPolicy === 'Local') for (const e of s.endpoints.filter((x) => x.localPolicy)) expect(e.local).toBe(true);
              break;
            }
          }
        });
      }
    });
  }

  it('TestOnlyLocalLoadBalancing: ns1/svc1:p80 is eTP Local with LB IP 1.2.3.4, NodePort 3001, one local endpoint of two', () => {
    const suite = join(sharedDir, 'conformance', 'kube-proxy', 'TestOnlyLocalLoadBalancing');
    const c = catalogueOfText(readFileSync(join(suite, 'iptables-save.txt'), 'utf8'));
    const s = byName(c, 'ns1/svc1:p80');
    expect(s.type).toBe('LoadBalancer');
    expect(s.clusterIPs).toEqual(['172.30.0.41']);
    expect(s.loadBalancerIPs).toEqual(['1.2.3.4']);
    expect(s.nodePort).toBe(3001);
    expect(s.healthCheckNodePort).toBe(30000);
    expect(s.externalTrafficPolicy).toBe('Local');
    expect(s.internalTrafficPolicy).toBe('Cluster');
    expect(s.sessionAffinity).toEqual({ timeoutSeconds: 10800 });
    expect(s.endpoints.map((e) => [e.address, e.port, e.local])).toEqual([
      ['10.180.0.1', 80, false],
      ['10.180.2.1', 80, true],
    ]);
    expect(s.chains).toMatchObject({ svc: 'KUBE-SVC-XPGD46QRK7WJZT7O', svl: 'KUBE-SVL-XPGD46QRK7WJZT7O', ext: 'KUBE-EXT-XPGD46QRK7WJZT7O' });
    expect(c.settings.clusterCidrs).toEqual(['10.0.0.0/8']);
    expect(c.settings.masqueradeBit).toBe(14);
    expect(c.settings.masqueradeAll).toBe(false);
  });

  it('TestTracePacket: source ranges, external IPs, no-endpoint Services and Local without local endpoints', () => {
    const c = catalogueOfText(readFileSync(join(sharedDir, 'conformance', 'kube-proxy', 'TestTracePacket', 'iptables-save.txt'), 'utf8'));
    expect(byName(c, 'ns5/svc5:p80').loadBalancerSourceRanges).toEqual(['203.0.113.0/25']);
    expect(byName(c, 'ns5/svc5:p80').chains.fw).toBe('KUBE-FW-NUKIZ6OKUXPJNT4C');
    expect(byName(c, 'ns4/svc4:p80').externalIPs).toEqual(['192.168.99.33']);
    expect(byName(c, 'ns4/svc4:p80').type).toBe('ClusterIP');
    expect(byName(c, 'ns6/svc6:p80')).toMatchObject({ noEndpoints: true, clusterIPs: ['172.30.0.46'], endpoints: [] });
    const svc2 = byName(c, 'ns2/svc2:p80');
    expect(svc2).toMatchObject({ externalIPs: ['192.168.99.22'], loadBalancerIPs: ['1.2.3.4'], nodePort: 3001, externalTrafficPolicy: 'Local' });
    expect(svc2.endpoints.map((e) => e.local)).toEqual([false]);
  });

  it('TestExternalIPsReject: an external IP only a REJECT rule names is kept, unclassified', () => {
    const c = catalogueOfText(readFileSync(join(sharedDir, 'conformance', 'kube-proxy', 'TestExternalIPsReject', 'iptables-save.txt'), 'utf8'));
    const s = byName(c, 'ns1/svc1:p80');
    expect(s.otherExternalIPs).toEqual(['192.168.99.11']);
    expect(s.externalTrafficPolicy).toBe('unknown');
    expect(s.evidence.find((e) => e.fact === 'external-address')?.at.source.text.slice(s.evidence.find((e) => e.fact === 'external-address')!.at.start).startsWith('-A KUBE-EXTERNAL-SERVICES')).toBe(true);
  });
});

describe('samples: kube-proxy 1.28 (current) and 1.21 (pre-1.24) on node-a', () => {
  const current = sampleCatalogue('iptables-current', ['iptables-save.txt', 'ip-addr.txt']);
  const previous = sampleCatalogue('iptables-legacy-pre124', ['iptables-save.txt', 'ip-addr.txt']);

  it('tells the generations apart, with evidence', () => {
    expect(current.generation).toBe('current');
    expect(previous.generation).toBe('pre-1.24');
    expect(previous.modeEvidence.find((e) => e.fact === 'generation')?.what).toMatch(/KUBE-MARK-DROP|KUBE-XLB|KUBE-SERVICES/);
  });

  for (const [label, c] of [
    ['current', current],
    ['pre-1.24', previous],
  ] as const) {
    it(`${label}: reads the same Services`, () => {
      expect(c.services.map((s) => `${s.namespace}/${s.name}:${s.portName}/${s.protocol}`)).toEqual([
        'default/kubernetes:https/tcp',
        'kube-system/kube-dns:dns/udp',
        'kube-system/kube-dns:dns-tcp/tcp',
        'kube-system/kube-dns:metrics/tcp',
        'shop/cart:http/tcp',
        'shop/catalog:http/tcp',
        'shop/legacy:http/tcp',
        'shop/session:http/tcp',
        'web/admin:http/tcp',
        'web/api:https/tcp',
        'web/frontend:http/tcp',
      ]);
      const frontend = byName(c, 'web/frontend:http');
      expect(frontend).toMatchObject({
        type: 'LoadBalancer',
        clusterIPs: ['10.96.120.5'],
        loadBalancerIPs: ['10.0.0.100'],
        nodePort: 30080,
        healthCheckNodePort: 32100,
        externalTrafficPolicy: 'Local',
        internalTrafficPolicy: 'Cluster',
      });
      expect(frontend.endpoints.map((e) => [e.address, e.local])).toEqual([
        ['10.244.1.5', true],
        ['10.244.3.7', false],
      ]);
      expect(byName(c, 'web/api:https').externalTrafficPolicy).toBe('Cluster');
      expect(byName(c, 'web/admin:http').loadBalancerSourceRanges).toEqual(['203.0.113.0/24', '10.0.0.0/24']);
      expect(byName(c, 'shop/session:http').sessionAffinity).toEqual({ timeoutSeconds: 10800 });
      expect(byName(c, 'shop/legacy:http')).toMatchObject({ noEndpoints: true, clusterIPs: ['10.96.160.2'] });
      expect(byName(c, 'shop/catalog:http')).toMatchObject({ type: 'NodePort', nodePort: 31080, externalTrafficPolicy: 'Cluster' });
      expect(c.settings).toMatchObject({ clusterCidrs: ['10.244.0.0/16'], masqueradeAll: false, masqueradeBit: 14, nodePortAddresses: null, localPodCidrs: ['10.244.1.0/24'] });
    });

    it(`${label}: shop/cart has one local endpoint of two (node-a's pod prefix, from ip addr)`, () => {
      const cart = byName(c, 'shop/cart:http');
      expect(cart.endpoints.map((e) => [e.address, e.local])).toEqual([
        ['10.244.1.7', true],
        ['10.244.2.9', false],
      ]);
      const why = cart.evidence.find((e) => e.fact === 'local-endpoint');
      expect(why?.what).toContain('10.244.1.0/24');
    });
  }

  it('without ip addr, endpoints outside a local-endpoints chain have unknown locality', () => {
    const c = sampleCatalogue('iptables-current', ['iptables-save.txt']);
    expect(byName(c, 'shop/cart:http').endpoints.map((e) => e.local)).toEqual(['unknown', 'unknown']);
    expect(byName(c, 'web/frontend:http').endpoints.map((e) => e.local)).toEqual([true, false]);
  });

  it('keeps the local-endpoints chain\'s answer where the pod prefix disagrees, and warns at the endpoint', () => {
    const c = sampleCatalogue('iptables-current', ['iptables-save.txt'], { podCidrs: [parseCidr('10.244.3.0/24')!] });
    expect(byName(c, 'web/frontend:http').endpoints.map((e) => [e.address, e.local])).toEqual([
      ['10.244.1.5', true],
      ['10.244.3.7', false],
    ]);
    const warnings = c.diagnostics.filter((d) => d.code === 'k8s/locality-mismatch');
    expect(warnings.map((d) => d.message.split(':')[0])).toEqual([
      "Endpoint 10.244.1.5 is local by kube-proxy's rules, but it is outside this node's pod prefix 10.244.3.0/24",
      "Endpoint 10.244.3.7 is remote by kube-proxy's rules, but it is in this node's pod prefix 10.244.3.0/24",
    ]);
    expect(warnings[0]!.at!.source.text.slice(warnings[0]!.at!.start, warnings[0]!.at!.end)).toContain('--to-destination 10.244.1.5:8080');
  });

  it('cites the rule of each fact: the LB IP evidence points at its KUBE-SERVICES line', () => {
    const frontend = byName(current, 'web/frontend:http');
    const lb = frontend.evidence.find((e) => e.fact === 'load-balancer-ip')!;
    expect(lb.at.source.name).toMatch(/iptables-current\/iptables-save.txt$/);
    expect(lb.at.source.text.slice(lb.at.start, lb.at.end)).toContain('-d 10.0.0.100/32');
    const etp = frontend.evidence.filter((e) => e.fact === 'external-traffic-policy').map((e) => e.at.source.text.slice(e.at.start, e.at.end));
    expect(etp.some((line) => line.includes('-j KUBE-SVL-XQW6G4JP7X6Y57U2'))).toBe(true);
  });
});

describe('IPv6 sample (ip6tables-save of the dual-stack node-a)', () => {
  const c = sampleCatalogue('ipv6', ['ip6tables-save.txt']);
  it('reads IPv6 cluster and LB IPs, [ip]:port endpoints, the /56 cluster CIDR', () => {
    const frontend = byName(c, 'web/frontend:http');
    expect(frontend.clusterIPs).toEqual(['fd00:10:96::7805']);
    expect(frontend.loadBalancerIPs).toEqual(['2001:db8:100::64']);
    expect(endpointSet(frontend)).toEqual(['[fd00:10:244:1::5]:8080', '[fd00:10:244:3::7]:8080']);
    expect(c.settings.clusterCidrs).toEqual(['fd00:10:244::/56']);
  });

  it('merges a dual-stack Service port across ip and ip6 rules by its hash', () => {
    const both = sampleCatalogue('iptables-current', ['iptables-save.txt', '../ipv6/ip6tables-save.txt']);
    expect(byName(both, 'web/frontend:http').clusterIPs).toEqual(['10.96.120.5', 'fd00:10:96::7805']);
    expect(byName(both, 'shop/legacy:http').clusterIPs).toEqual(['10.96.160.2', 'fd00:10:96::a002']);
  });
});

describe('rules without comments (kube-proxy above 1000 endpoints, or stripped)', () => {
  const text = readFileSync(join(sharedDir, '..', 'main', 'samples', 'iptables-current', 'iptables-save.txt'), 'utf8');
  const stripped = text.replace(/ -m comment --comment ("[^"]*"|\S+)/g, '');
  const kubectl = kubectlFrom(
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'frontend', namespace: 'web' },
          spec: { type: 'LoadBalancer', clusterIP: '10.96.120.5', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30080, targetPort: 8080 }] },
          status: { loadBalancer: { ingress: [{ ip: '10.0.0.100' }] } },
        },
      ],
    }),
  );

  it('still ties chains together by hash; names stay unknown without kubectl', () => {
    const c = catalogueOfText(stripped);
    const s = c.services.find((x) => x.key === 'XQW6G4JP7X6Y57U2')!;
    expect(s.name).toBeNull();
    expect(s.clusterIPs).toEqual(['10.96.120.5']);
    // Without the "loadbalancer IP" comment the address behind KUBE-EXT- is an external or LB IP.
    expect(s.otherExternalIPs).toEqual(['10.0.0.100']);
    expect(s.externalTrafficPolicy).toBe('Local');
    expect(s.endpoints.map((e) => [e.address, e.local])).toEqual([
      ['10.244.1.5', true],
      ['10.244.3.7', false],
    ]);
  });

  it('gets names (and the LB IP\'s kind) from kubectl objects by recomputing the hash', () => {
    const rs = parseIptablesSave(stripped, 'stripped.txt');
    const c = buildServiceCatalogue({ ipv4: rs, ipv6: null, ipsets: null, ipvs: null, localAddresses: null, kubectl });
    const s = byName(c, 'web/frontend:http');
    expect(s.key).toBe('XQW6G4JP7X6Y57U2');
    expect(s.loadBalancerIPs).toEqual(['10.0.0.100']);
    expect(s.otherExternalIPs).toEqual([]);
    expect(s.foundIn).toEqual(['iptables', 'kubectl']);
    // The other ten stay unnamed (shop/legacy known by its REJECT rule's address only).
    expect(c.services.filter((x) => x.name === null).length).toBe(10);
    expect(c.services.find((x) => x.key === '10.96.160.2:8080/tcp')?.noEndpoints).toBe(true);
  });
});

describe('unusual and broken rules', () => {
  const base = `*nat
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
-A KUBE-MARK-MASQ -j MARK --or-mark 0x8000
-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
COMMIT
`;

  it('reads --masquerade-all (a masquerade rule for every source) and a non-default masquerade bit', () => {
    const c = catalogueOfText(base);
    expect(c.settings.masqueradeAll).toBe(true);
    expect(c.settings.masqueradeBit).toBe(15);
    expect(c.settings.clusterCidrs).toEqual([]);
  });

  it('reads internalTrafficPolicy Local: the cluster IP goes to KUBE-SVL-, or is dropped without local endpoints', () => {
    const local = catalogueOfText(`*nat
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVL-AQI2S6QIMU7PVVRP - [0:0]
:KUBE-SEP-3JOIVZTXZZRGORX4 - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j KUBE-SVL-AQI2S6QIMU7PVVRP
-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 cluster IP" -m tcp -p tcp -d 172.30.1.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
-A KUBE-SVL-AQI2S6QIMU7PVVRP -m comment --comment "ns1/svc1 -> 10.0.1.1:80" -j KUBE-SEP-3JOIVZTXZZRGORX4
-A KUBE-SEP-3JOIVZTXZZRGORX4 -m comment --comment ns1/svc1 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
COMMIT
`);
    const s = byName(local, 'ns1/svc1');
    expect(s).toMatchObject({ internalTrafficPolicy: 'Local', externalTrafficPolicy: null, portName: '' });
    expect(s.endpoints.map((e) => [e.address, e.local, e.localPolicy, e.clusterPolicy])).toEqual([['10.0.1.1', true, true, false]]);
    expect(local.settings.clusterCidrs).toEqual(['10.0.0.0/8']);
    const none = catalogueOfText(`*filter
:KUBE-SERVICES - [0:0]
-A KUBE-SERVICES -m comment --comment "ns1/svc1 has no local endpoints" -m tcp -p tcp -d 172.30.1.1 --dport 80 -j DROP
COMMIT
`);
    expect(byName(none, 'ns1/svc1')).toMatchObject({ internalTrafficPolicy: 'Local', clusterIPs: ['172.30.1.1'], noEndpoints: false });
  });

  it('reads --nodeport-addresses from per-address KUBE-NODEPORTS jumps', () => {
    const text = base.replace(':KUBE-MARK-MASQ', ':KUBE-NODEPORTS - [0:0]\n:KUBE-MARK-MASQ').replace('COMMIT', '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -d 192.168.0.2/32 -j KUBE-NODEPORTS\nCOMMIT');
    expect(catalogueOfText(text).settings.nodePortAddresses).toEqual(['192.168.0.2']);
  });

  it('warns when a comment names a Service port whose hash is not the chain\'s', () => {
    const c = catalogueOfText(base.replace('"ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC', '"ns1/other:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC'));
    const d = c.diagnostics.find((x) => x.code === 'k8s/name-hash-mismatch');
    expect(d?.message).toContain('ns1/other:p80');
    expect(d?.at?.source.text.slice(d.at.start, d.at.end)).toContain('ns1/other:p80');
  });

  it('reports an endpoint chain without DNAT and a jump to an undeclared chain, and goes on', () => {
    const text = base
      .replace('-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80\n', '')
      .replace('COMMIT', '-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT\nCOMMIT');
    const c = catalogueOfText(text);
    expect(c.diagnostics.map((d) => d.code).sort()).toEqual(['k8s/missing-chain', 'k8s/sep-without-dnat']);
    const s = byClusterIP(c, '172.30.0.41', 80);
    expect(s.endpoints).toEqual([]);
    expect(s.noEndpoints).toBe(false);
  });

  it('never throws on truncated or mangled dumps, and reads what is there', () => {
    const text = readFileSync(join(sharedDir, '..', 'main', 'samples', 'iptables-current', 'iptables-save.txt'), 'utf8');
    for (let cut = 0; cut < text.length; cut += Math.ceil(text.length / 40)) {
      const c = catalogueOfText(text.slice(0, cut) + '\n-A KUBE-SVC-XQW6G4JP7X6Y57U2 -j\n-A KUBE-SERVICES -d x -j KUBE-SVC-\n');
      expect(['iptables', 'none', 'unknown']).toContain(c.mode);
    }
  });
});
