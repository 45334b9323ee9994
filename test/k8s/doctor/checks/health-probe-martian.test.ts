import { describe, expect, it } from 'vitest';
import { LB_MODELS } from '../../../../src/k8s/loopback/lb-models.js';
import { citedText, findings, samples } from '../support.js';

const ID = 'health-probe-martian';

describe(ID, () => {
  it('fires for each LB IP bound on kube-ipvs0: probes from it are martians (kubernetes#79783)', () => {
    const found = findings(samples('ipvs-bound-lb'), ID);
    expect(found.map((f) => f.title)).toEqual([
      'ipvs-bound-lb: health probes from 203.0.113.11 would be dropped as martians (203.0.113.11 is bound on kube-ipvs0)',
      'ipvs-bound-lb: health probes from 203.0.113.10 would be dropped as martians (203.0.113.10 is bound on kube-ipvs0)',
    ]);
    expect(found.every((f) => f.severity === 'warning')).toBe(true);
    expect(found[1]!.services).toEqual(['172.21.9.80:443/tcp', '172.21.9.80:80/tcp']);
    expect(citedText(found[1]!)[0]).toContain('inet 203.0.113.10/32 scope global kube-ipvs0');
  });

  it('--lb-model decides how much it matters: error when the LB probes from its VIP, info when not', () => {
    expect(findings(samples('ipvs-bound-lb'), ID, { lbModel: LB_MODELS['tencent-clb'] }).map((f) => f.severity)).toEqual(['error', 'error']);
    expect(findings(samples('ipvs-bound-lb'), ID, { lbModel: LB_MODELS['aliyun-slb'] }).map((f) => f.severity)).toEqual(['info', 'info']);
  });

  it('does not fire where the LB IP is not bound on the node', () => {
    expect(findings(samples('ipvs-local'), ID)).toEqual([]);
    expect(findings(samples('iptables-current'), ID)).toEqual([]);
  });
});
