import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findings, samples, samplesDir, sampleWith } from '../support.js';

const ID = 'bridge-nf-call-iptables-off';
const sysctl = (): string => readFileSync(join(samplesDir, 'ipvs-local', 'sysctl.txt'), 'utf8');

describe(ID, () => {
  it('reports pods on a bridge while bridge-nf-call-iptables is 0', () => {
    const found = findings([sampleWith('ipvs-local', 'node', { 'sysctl.txt': sysctl().replace('net.bridge.bridge-nf-call-iptables = 1', 'net.bridge.bridge-nf-call-iptables = 0') })], ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([['error', 'node: pods on bridge cbr0 bypass iptables (net.bridge.bridge-nf-call-iptables is 0)']]);
  });

  it('reads a complete sysctl -a without net.bridge keys as br_netfilter not loaded', () => {
    // A whole `sysctl -a` (kernel, net and vm trees, 100+ keys) in which no net.bridge key appears.
    const padding = Array.from({ length: 60 }, (_, i) => `kernel.sample_${i} = 0\nvm.sample_${i} = 0`).join('\n');
    const found = findings([sampleWith('ipvs-local', 'node', { 'sysctl.txt': `${sysctl().replace(/net\.bridge\.[^\n]*\n/g, '')}${padding}\n` })], ID);
    expect(found.map((f) => f.explanation.includes('br_netfilter is not loaded'))).toEqual([true]);
  });

  it('says nothing with 1, or without a pod bridge', () => {
    expect(findings(samples('ipvs-local', 'iptables-current'), ID)).toEqual([]);
  });
});
