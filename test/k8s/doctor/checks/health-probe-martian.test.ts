import { describe, expect, it } from 'vitest';
import { LB_MODELS } from '../../../../src/k8s/loopback/lb-models.js';
import { citedText, findings, samples } from '../support.js';

const ID = 'health-probe-martian';

describe(ID, () => {
  it('names every LB IP bound on kube-ipvs0 whose probes would be martians (kubernetes#79783), once per node', () => {
    const found = findings(samples('ipvs-bound-lb'), ID);
    expect(found.map((f) => f.title)).toEqual([
      'ipvs-bound-lb: health probes from 2 LoadBalancer IPs (203.0.113.11 and 203.0.113.10) would be dropped as martians (bound on kube-ipvs0)',
    ]);
    const f = found[0]!;
    expect(f.services).toEqual(['172.21.7.33:80/tcp', '172.21.9.80:443/tcp', '172.21.9.80:80/tcp']);
    const lines = citedText(f);
    expect(lines[0]).toContain('inet 203.0.113.11/32 scope global kube-ipvs0');
    expect(lines[1]).toContain('inet 203.0.113.10/32 scope global kube-ipvs0');
    expect(lines).toContain('net.ipv4.conf.all.accept_local = 0');
  });

  it('--lb-model decides how much it matters: error when the LB probes from its VIP, else info', () => {
    expect(findings(samples('ipvs-bound-lb'), ID).map((f) => f.severity)).toEqual(['info']);
    expect(findings(samples('ipvs-bound-lb'), ID, { lbModel: LB_MODELS['tencent-clb'] }).map((f) => f.severity)).toEqual(['error']);
    expect(findings(samples('ipvs-bound-lb'), ID, { lbModel: LB_MODELS['aliyun-slb'] }).map((f) => f.severity)).toEqual(['info']);
  });

  it('does not fire where the LB IP is not bound on the node', () => {
    expect(findings(samples('ipvs-local'), ID)).toEqual([]);
    expect(findings(samples('iptables-current'), ID)).toEqual([]);
  });
});
