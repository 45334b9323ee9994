import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citedText, findings, samples, samplesDir, sampleWith } from '../support.js';

const ID = 'ipvs-bound-without-service';

describe(ID, () => {
  it('reports an address on kube-ipvs0 no virtual service uses', () => {
    const addr = readFileSync(join(samplesDir, 'ipvs-local', 'ip-addr.txt'), 'utf8').replace(
      '    inet 10.96.0.1/32 scope global kube-ipvs0\n',
      '    inet 10.96.0.1/32 scope global kube-ipvs0\n       valid_lft forever preferred_lft forever\n    inet 10.96.77.7/32 scope global kube-ipvs0\n',
    );
    const found = findings([sampleWith('ipvs-local', 'node', { 'ip-addr.txt': addr })], ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([['warning', '10.96.77.7 is bound on kube-ipvs0 but has no IPVS virtual service']]);
    expect(citedText(found[0]!)[0]).toContain('inet 10.96.77.7/32 scope global kube-ipvs0');
  });

  it('finds nothing in the IPVS samples', () => {
    for (const s of ['ipvs-local', 'ipvs-cluster', 'ipvs-bound-lb']) expect(findings(samples(s), ID), s).toEqual([]);
  });
});
