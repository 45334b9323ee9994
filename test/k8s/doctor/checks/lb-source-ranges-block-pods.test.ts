import { describe, expect, it } from 'vitest';
import { citedText, findings, samples } from '../support.js';

const ID = 'lb-source-ranges-block-pods';

describe(ID, () => {
  it('iptables 1.24+: KUBE-PROXY-FIREWALL drops pods calling web/admin\'s LB IP', () => {
    const found = findings(samples('iptables-current'), ID);
    expect(found.map((f) => [f.severity, f.services, f.title])).toEqual([
      ['warning', ['web/admin:http'], 'web/admin:http: pods on iptables-current calling 10.0.0.102:80 are dropped by loadBalancerSourceRanges (203.0.113.0/24 and 10.0.0.0/24)'],
    ]);
    expect(citedText(found[0]!)[0]).toContain('"web/admin:http traffic not accepted by KUBE-FW-XDQLZF4IOGR2LWRQ"');
  });

  it('IPVS: KUBE-SOURCE-RANGES-FIREWALL drops them', () => {
    const found = findings(samples('ipvs-local'), ID);
    expect(found.map((f) => f.title)).toEqual(['10.96.140.3:80/tcp: pods on ipvs-local calling 10.0.0.102:80 are dropped by loadBalancerSourceRanges (203.0.113.0/24 and 10.0.0.0/24)']);
    expect(citedText(found[0]!)[0]).toBe('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  });

  it('before 1.24 the pod\'s request leaves masqueraded (KUBE-MARK-DROP only acts in INPUT/OUTPUT): nothing to report', () => {
    expect(findings(samples('iptables-legacy-pre124'), ID)).toEqual([]);
  });
});
