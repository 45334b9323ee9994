import { describe, expect, it } from 'vitest';
import { citedText, findings, iptablesNodeWithoutEndpoint, samples } from '../support.js';

const ID = 'lb-vip-redirected-to-service';

describe(ID, () => {
  it('iptables mode before 1.24: shows the KUBE-XLB "Redirect pods" rule (info)', () => {
    const found = findings(samples('iptables-legacy-pre124'), ID);
    const f = found.find((x) => x.services[0] === 'web/frontend:http')!;
    expect(f.severity).toBe('info');
    expect(f.explanation).toContain('Redirect pods trying to reach external loadbalancer VIP to clusterIP');
    expect(citedText(f).some((l) => l.includes('Redirect pods trying to reach external loadbalancer VIP to clusterIP'))).toBe(true);
  });

  it('iptables mode 1.24+: shows the KUBE-EXT "pod traffic" rule, also on a node without a local endpoint', () => {
    for (const node of [samples('iptables-current'), [iptablesNodeWithoutEndpoint('current')]]) {
      const f = findings(node, ID).find((x) => x.services[0] === 'web/frontend:http')!;
      expect(citedText(f).some((l) => /KUBE-EXT-\w+ -s 10\.244\.0\.0\/16 .*pod traffic for web\/frontend:http external destinations/.test(l))).toBe(true);
      expect(f.explanation).toMatch(/DNATed to 10\.244\.\d+\.\d+:8080/);
    }
  });

  it('IPVS with the LB IP bound: IPVS takes it; not where the LB IP is unbound or the pod is refused', () => {
    const bound = findings(samples('ipvs-bound-lb'), ID);
    expect(bound.map((f) => f.services[0])).toEqual(['172.21.7.33:80/tcp']);
    expect(bound[0]!.explanation).toContain('IPVS');
    expect(findings(samples('ipvs-local'), ID)).toEqual([]);
  });
});
