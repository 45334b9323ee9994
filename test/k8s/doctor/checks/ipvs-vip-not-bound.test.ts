import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findings, samples, samplesDir, sampleWith } from '../support.js';

const ID = 'ipvs-vip-not-bound';

describe(ID, () => {
  it('LB IPs TKE leaves unbound are info', () => {
    const found = findings(samples('ipvs-local'), ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([
      ['info', 'LoadBalancer IP 10.0.0.100 has IPVS virtual services (tcp/80) but is not bound on the node'],
      ['info', 'LoadBalancer IP 10.0.0.101 has IPVS virtual services (tcp/443) but is not bound on the node'],
      ['info', 'LoadBalancer IP 10.0.0.102 has IPVS virtual services (tcp/80) but is not bound on the node'],
    ]);
  });

  it('a cluster IP missing from kube-ipvs0 is an error', () => {
    const addr = readFileSync(join(samplesDir, 'ipvs-cluster', 'ip-addr.txt'), 'utf8').replace(/    inet 10\.96\.0\.10\/32 scope global kube-ipvs0\n.*\n/, '');
    const node = sampleWith('ipvs-cluster', 'node', { 'ip-addr.txt': addr, 'ip-route.txt': readFileSync(join(samplesDir, 'ipvs-cluster', 'ip-route.txt'), 'utf8').replace(/local 10\.96\.0\.10 .*\n/, '') });
    const errors = findings([node], ID).filter((f) => f.severity === 'error');
    expect(errors.map((f) => f.title)).toEqual(['cluster IP 10.96.0.10 has IPVS virtual services (tcp/53, tcp/9153 and udp/53) but is not bound on the node']);
  });

  it('finds nothing where every address is bound', () => {
    expect(findings(samples('ipvs-bound-lb'), ID)).toEqual([]);
  });
});
