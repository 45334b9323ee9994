import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { citedText, findings, samples, samplesDir, sampleWith } from '../support.js';

const ID = 'ipvs-conntrack-disabled';
const sysctl = (): string => readFileSync(join(samplesDir, 'ipvs-local', 'sysctl.txt'), 'utf8');

describe(ID, () => {
  it('reports net.ipv4.vs.conntrack = 0 on an IPVS node, citing the line', () => {
    const found = findings([sampleWith('ipvs-local', 'node', { 'sysctl.txt': sysctl().replace('net.ipv4.vs.conntrack = 1', 'net.ipv4.vs.conntrack = 0') })], ID);
    expect(found.map((f) => f.severity)).toEqual(['error']);
    expect(citedText(found[0]!)).toEqual(['net.ipv4.vs.conntrack = 0']);
  });

  it('says nothing when it is 1, when the dump does not give it, or on an iptables-mode node', () => {
    expect(findings(samples('ipvs-local'), ID)).toEqual([]);
    expect(findings([sampleWith('ipvs-local', 'node', { 'sysctl.txt': sysctl().replace(/net\.ipv4\.vs\.conntrack = 1\n/, '') })], ID)).toEqual([]);
    expect(findings(samples('iptables-current'), ID)).toEqual([]);
  });
});
