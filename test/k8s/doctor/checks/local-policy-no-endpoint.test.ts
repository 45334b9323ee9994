import { describe, expect, it } from 'vitest';
import { citedText, findings, iptablesNodeWithoutEndpoint, samples } from '../support.js';

const ID = 'local-policy-no-endpoint';

describe(ID, () => {
  it('case 2 (ACK): pods calling the bound SLB IP of a Local Service without a local endpoint are refused (error)', () => {
    const found = findings(samples('ipvs-bound-lb'), ID);
    expect(found.map((f) => f.title)).toEqual([
      '172.21.9.80:443/tcp: pods on ipvs-bound-lb calling 203.0.113.10:443 get "connection refused" (Local policy, no endpoint on this node)',
      '172.21.9.80:80/tcp: pods on ipvs-bound-lb calling 203.0.113.10:80 get "connection refused" (Local policy, no endpoint on this node)',
    ]);
    for (const f of found) {
      expect(f.severity).toBe('error');
      const lines = citedText(f);
      expect(lines.some((l) => l.includes('203.0.113.10/32 scope global kube-ipvs0'))).toBe(true);
      expect(lines.some((l) => /^TCP\s+203\.0\.113\.10:(80|443) rr/.test(l))).toBe(true);
    }
  });

  it('case 4 (iptables, current and pre-1.24): NodePort traffic to a node without a local endpoint is dropped', () => {
    const current = findings([iptablesNodeWithoutEndpoint('current')], ID);
    expect(current).toHaveLength(1);
    expect(current[0]!.severity).toBe('warning');
    expect(current[0]!.services).toEqual(['web/frontend:http']);
    expect(current[0]!.title).toContain('NodePort 30080 traffic');
    expect(current[0]!.title).toContain('is dropped');
    // The DROP kube-proxy writes for it.
    expect(citedText(current[0]!).some((l) => /"web\/frontend:http has no local endpoints".*--dport 30080 -j DROP/.test(l))).toBe(true);
    const old = findings([iptablesNodeWithoutEndpoint('pre124')], ID);
    expect(old).toHaveLength(1);
    expect(old[0]!.title).toContain('NodePort 30080 traffic');
    expect(citedText(old[0]!).some((l) => /KUBE-XLB-\w+ .*has no local endpoints.* -j KUBE-MARK-DROP/.test(l))).toBe(true);
  });

  it('newer IPVS: forwards to the other nodes\' endpoints without SNAT', () => {
    const found = findings(samples('ipvs-local-node-b'), ID);
    expect(found).toHaveLength(1);
    expect(found[0]!.messageId).toBe('externalUnmasqueraded');
    expect(found[0]!.title).toContain('10.244.1.5:8080 and 10.244.3.7:8080 without SNAT');
  });

  it('does not fire on a node that runs an endpoint of the Local Service, nor for Cluster Services', () => {
    expect(findings(samples('ipvs-local'), ID)).toEqual([]);
    expect(findings(samples('iptables-current'), ID)).toEqual([]);
    expect(findings(samples('iptables-legacy-pre124'), ID)).toEqual([]);
    expect(findings(samples('ipvs-cluster-node-b'), ID)).toEqual([]);
  });
});
