import { describe, expect, it } from 'vitest';
import { defineCheck, defineMeta, findingOf } from '../../../src/k8s/doctor/finding.js';
import { CHECKS } from '../../../src/k8s/doctor/index.js';
import { runDoctor } from '../../../src/k8s/doctor/run.js';
import { SEVERITIES } from '../../../src/k8s/doctor/types.js';
import { nodeOf, samples } from './support.js';

describe('runDoctor', () => {
  it('runs every check, sorts findings most serious first, and counts them', () => {
    const r = runDoctor(samples('ipvs-bound-lb'));
    expect(r.checks).toEqual(CHECKS.map((c) => c.meta.id));
    expect(r.failed).toEqual([]);
    const ranks = r.findings.map((f) => SEVERITIES.indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(r.summary).toEqual({
      error: r.findings.filter((f) => f.severity === 'error').length,
      warning: r.findings.filter((f) => f.severity === 'warning').length,
      info: r.findings.filter((f) => f.severity === 'info').length,
      total: r.findings.length,
    });
    expect(r.summary.error).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const a = runDoctor(samples('ipvs-local', 'ipvs-local-node-b'));
    const b = runDoctor(samples('ipvs-local', 'ipvs-local-node-b'));
    const strip = (r: typeof a) => r.findings.map((f) => ({ ...f, evidence: f.evidence.map((e) => `${e.at.source.name}:${e.at.start}:${e.note}`) }));
    expect(strip(a)).toEqual(strip(b));
  });

  it('runs only the checks asked for, and names the unknown ones', () => {
    const r = runDoctor(samples('iptables-current'), { checks: ['service-no-endpoints-anywhere', 'no-such-check'] });
    expect(r.checks).toEqual(['service-no-endpoints-anywhere']);
    expect(r.unknownChecks).toEqual(['no-such-check']);
    expect(new Set(r.findings.map((f) => f.id))).toEqual(new Set(['service-no-endpoints-anywhere']));
  });

  it('lists what it could not check on a node, and only checks that apply to it', () => {
    const r = runDoctor(samples('calico'));
    // Calico's bundle has no ip addr: the kube-proxy checks that need the node's addresses could not look.
    expect(r.skipped.filter((s) => s.missing.includes('interfaces')).map((s) => s.check)).toContain('lb-loopback-unmasqueraded');
    // A node without kube-proxy or IPVS has nothing to say about IPVS.
    const docker = runDoctor(samples('docker-host'));
    expect(docker.skipped.some((s) => s.check.startsWith('ipvs-'))).toBe(false);
    expect(docker.skipped.some((s) => s.check === 'lb-loopback-unmasqueraded')).toBe(false);
  });

  it('keeps the other checks\' findings when one check fails, and reports the failure', () => {
    const meta = defineMeta({
      id: 'always-finds',
      severity: 'warning',
      title: 'test check',
      docs: 'docs/checks/always-finds.md',
      requires: [],
      messages: { found: (node: string) => ({ title: `found on ${node}`, explanation: 'x', remediation: 'y' }) },
    });
    const finds = defineCheck({ meta, run: (ctx) => ctx.nodes.map((n) => findingOf(meta, 'found', [n.name], { node: n.name })) });
    const throws = defineCheck({ meta: { ...meta, id: 'throws' }, run: () => { throw new Error('boom'); } });
    const r = runDoctor([nodeOf('n', {})], { registry: [throws, finds] });
    expect(r.failed).toEqual([{ check: 'throws', message: 'boom' }]);
    expect(r.findings.map((f) => f.title)).toEqual(['found on n']);
  });

  it('no finding text is left with an unfilled placeholder or undefined', () => {
    const r = runDoctor([...samples('ipvs-local', 'ipvs-local-node-b', 'ipvs-bound-lb', 'iptables-current', 'iptables-legacy-pre124')]);
    for (const f of r.findings) for (const t of [f.title, f.explanation, f.remediation]) expect(t, f.id).not.toMatch(/undefined|null|\$\{|NaN|\[object/);
  });
});
