import { describe, expect, it } from 'vitest';
import { LB_MODELS } from '../../../../src/k8s/loopback/lb-models.js';
import { citedText, findings, samples } from '../support.js';

const ID = 'lb-loopback-unmasqueraded';

describe(ID, () => {
  it('fires on the TKE-like Local node: the pod\'s packet to the unbound LB IP leaves without SNAT', () => {
    const found = findings(samples('ipvs-local'), ID);
    expect(found).toHaveLength(1);
    const f = found[0]!;
    expect(f.severity).toBe('warning');
    expect(f.node).toBe('ipvs-local');
    expect(f.services).toEqual(['10.96.120.5:80/tcp']);
    expect(f.title).toContain('10.0.0.100:80');
    // The rule that skips the masquerade mark, and the set member that makes it do so.
    const lines = citedText(f);
    expect(lines.some((l) => l.includes('KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN'))).toBe(true);
    expect(lines).toContain('add KUBE-LOAD-BALANCER-LOCAL 10.0.0.100,tcp:80');
    expect(f.explanation).toContain('externalTrafficPolicy: Local');
  });

  it('does not fire with externalTrafficPolicy: Cluster (the request is masqueraded)', () => {
    expect(findings(samples('ipvs-cluster'), ID)).toEqual([]);
    expect(findings(samples('ipvs-cluster', 'ipvs-cluster-node-b'), ID)).toEqual([]);
  });

  it('does not fire where kube-proxy takes the LB IP on the node (iptables mode, IPVS with the LB IP bound)', () => {
    expect(findings(samples('iptables-current'), ID)).toEqual([]);
    expect(findings(samples('iptables-legacy-pre124'), ID)).toEqual([]);
    expect(findings(samples('ipvs-bound-lb'), ID)).toEqual([]);
  });

  it('with both nodes, simulates the load balancer and reports the loopback probability as an error', () => {
    const found = findings(samples('ipvs-local', 'ipvs-local-node-b'), ID, { lbModel: LB_MODELS['tencent-clb'] });
    const onA = found.find((f) => f.node === 'ipvs-local')!;
    expect(onA.severity).toBe('error');
    expect(onA.messageId).toBe('loopback');
    // node-b fails the CLB health check (no local endpoint), so the CLB can only pick node-a.
    expect(onA.title).toContain('p=100%');
    expect(onA.explanation).toContain('ipvs-local and ipvs-local-node-b');
    // node-b's pods leave unmasqueraded too, but the LB never sends back to node-b: a warning.
    const onB = found.find((f) => f.node === 'ipvs-local-node-b')!;
    expect(onB.severity).toBe('warning');
    expect(onB.explanation).toContain('works');
  });
});
