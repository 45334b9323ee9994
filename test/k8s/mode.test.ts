/**
 * The proxy mode and generation: iptables (both generations), IPVS, kube-proxy's nftables mode
 * (recognised and refused), no kube-proxy, no input, and leftovers of both modes on one node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textOf } from '../../grammar/source.js';
import { parseIptablesSave } from '../../src/index.js';
import { buildServiceCatalogue } from '../../src/k8s/catalogue.js';
import { detectProxyMode } from '../../src/k8s/mode.js';
import type { ServiceInputs } from '../../src/k8s/types.js';
import { inputsFromFiles, sampleCatalogue, samplesDir } from './support.js';

const empty: ServiceInputs = { ipv4: null, ipv6: null, ipsets: null, ipvs: null, localAddresses: null };

/** kube-proxy's nftables mode as `nft list ruleset` prints it (pkg/proxy/nftables/proxier.go). */
const nftKubeProxy = `table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
	}
}
table ip kube-proxy {
	comment "rules for kube-proxy"
	set cluster-ips {
		type ipv4_addr
		comment "Active ClusterIPs"
		elements = { 10.96.0.1, 10.96.0.10 }
	}
	map service-ips {
		type ipv4_addr . inet_proto . inet_service : verdict
		comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"
		elements = { 10.96.0.1 . tcp . 443 : goto service-2QRHZV4L-default/kubernetes/tcp/https }
	}
	chain service-2QRHZV4L-default/kubernetes/tcp/https {
		ip daddr 10.96.0.1 tcp dport 443 ip saddr != 10.244.0.0/16 jump mark-for-masquerade
		numgen random mod 1 vmap { 0 : goto endpoint-SALPXQPJ-default/kubernetes/tcp/https__10.0.0.10/6443 }
	}
}
`;

describe('proxy mode', () => {
  it('recognises kube-proxy\'s nftables mode and refuses it with a located error', () => {
    const source = { name: 'nft-ruleset.txt', text: nftKubeProxy };
    const c = buildServiceCatalogue({ ...empty, nftRulesets: [source] });
    expect(c.mode).toBe('nftables');
    expect(c.services).toEqual([]);
    expect(c.diagnostics.map((d) => [d.code, d.severity])).toEqual([['k8s/nftables-mode', 'error']]);
    expect(textOf(c.diagnostics[0]!.at!)).toBe('table ip kube-proxy');
    expect(c.diagnostics[0]!.message).toMatch(/nftables mode .* does not read nftables rulesets yet/);
  });

  it('does not take any nft ruleset for kube-proxy\'s', () => {
    const c = buildServiceCatalogue({ ...empty, nftRulesets: [{ name: 'nft.txt', text: 'table inet filter {\n}\n' }] });
    expect(c.mode).toBe('unknown');
  });

  it('says "none" for rules without kube-proxy (a Docker host) and "unknown" for no rules', () => {
    const docker = sampleCatalogue('docker-host', ['iptables-save.txt']);
    expect(docker.mode).toBe('none');
    expect(docker.diagnostics.map((d) => d.code)).toEqual(['k8s/no-kube-proxy']);
    const nothing = buildServiceCatalogue(empty);
    expect(nothing.mode).toBe('unknown');
    expect(nothing.diagnostics.map((d) => d.code)).toEqual(['k8s/no-rules']);
  });

  it('reads iptables mode on a Calico node (kube-proxy iptables mode beside cali- chains)', () => {
    const calico = sampleCatalogue('calico', ['iptables-save.txt']);
    expect(calico.mode).toBe('iptables');
    expect(calico.services.length).toBeGreaterThan(0);
  });

  it('gives evidence for the mode and the generation', () => {
    const c = sampleCatalogue('iptables-legacy-pre124', ['iptables-save.txt']);
    expect(c.modeEvidence.map((e) => e.fact)).toEqual(['proxy-mode', 'proxy-mode', 'proxy-mode', 'generation']);
    for (const e of c.modeEvidence) expect(textOf(e.at).length).toBeGreaterThan(0);
  });

  it('tells the generation from one Service port\'s chains alone', () => {
    const pre = parseIptablesSave(`*nat
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-SERVICES ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
COMMIT
`);
    expect(detectProxyMode({ ...empty, ipv4: pre }).generation).toBe('pre-1.24');
    const now = parseIptablesSave(`*nat
:KUBE-SERVICES - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
-A KUBE-SERVICES -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
-A KUBE-SVC-XPGD46QRK7WJZT7O ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ
COMMIT
`);
    expect(detectProxyMode({ ...empty, ipv4: now }).generation).toBe('current');
    const neither = parseIptablesSave('*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]\nCOMMIT\n');
    expect(detectProxyMode({ ...empty, ipv4: neither }).generation).toBe('unknown');
  });

  it('warns about leftovers of both modes and builds from the one with more Services', () => {
    const ipvs = inputsFromFiles(['iptables-save.txt', 'ipset-save.txt', 'ipvsadm-Ln.txt'].map((f) => join(samplesDir, 'ipvs-local', f)));
    const leftover = parseIptablesSave(readFileSync(join(samplesDir, 'iptables-current', 'iptables-save.txt'), 'utf8'), 'old-iptables-save.txt');
    // The IPVS node's nat rules with one stale iptables-mode chain left in: IPVS has more Services.
    const stale = parseIptablesSave(
      readFileSync(join(samplesDir, 'ipvs-local', 'iptables-save.txt'), 'utf8').replace(':KUBE-SERVICES - [0:0]', ':KUBE-SERVICES - [0:0]\n:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]'),
      'ipvs-iptables-save.txt',
    );
    const c = buildServiceCatalogue({ ...ipvs, ipv4: stale });
    expect(c.mode).toBe('ipvs');
    expect(c.diagnostics.map((d) => d.code)).toContain('k8s/mixed-modes');
    // The other way round: a full iptables-mode ruleset with a few IPVS sets left over.
    const d = buildServiceCatalogue({ ...empty, ipv4: leftover, ipsets: ipvs.ipsets!.filter((s) => s.name === 'KUBE-CLUSTER-IP') });
    expect(d.mode).toBe('iptables');
    expect(d.diagnostics.find((x) => x.code === 'k8s/mixed-modes')?.message).toMatch(/built from the iptables-mode rules/);
  });
});
