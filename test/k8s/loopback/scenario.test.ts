/** The seed cases of the LB-loopback family, reproduced on the samples (see samples/README.md). */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNodes } from '../../../src/cli/inputs.js';
import { lbModel } from '../../../src/k8s/loopback/lb-models.js';
import { simulateLoopback } from '../../../src/k8s/loopback/scenario.js';
import { repoRoot } from '../../support/paths.js';

const sample = (name: string) => join(repoRoot, 'samples', name);

function run(bundles: string[], lb: string, port: number, model: string, clientNode?: string) {
  const answer = simulateLoopback({
    nodes: loadNodes(bundles.map(sample)),
    lb: { ip: lb, port, proto: 'tcp' },
    client: { podIp: null, node: clientNode ?? null },
    model: lbModel(model)!,
  });
  if (!answer.ok) throw new Error(answer.problems.join('; '));
  return answer.result;
}

describe('LB loopback scenarios', () => {
  it('case 1, Local: the pod\'s packet leaves unmasqueraded and the CLB sends it back to its own node', () => {
    const r = run(['ipvs-local', 'ipvs-local-node-b'], '10.0.0.100', 80, 'tencent-clb', 'ipvs-local');
    expect(r.verdict).toBe('loopback');
    expect(r.probability).toBeGreaterThan(0);
    const client = r.outcomes[0]!.hops[0]!;
    expect(client.trace?.paths[0]?.snat).toBeNull();
    expect(client.trace?.paths[0]?.steps.some((s) => s.chain === 'KUBE-LOAD-BALANCER' && s.effect === 'RETURN')).toBe(true);
    expect(r.remediations.map((m) => m.id)).toContain('etp-cluster');
  });

  it('case 1, Cluster: masqueraded to the node address, the CLB avoids the source node, it works', () => {
    const r = run(['ipvs-cluster', 'ipvs-cluster-node-b'], '10.0.0.100', 80, 'tencent-clb', 'ipvs-cluster');
    expect(r.verdict).toBe('works');
    expect(r.outcomes.every((o) => o.hops[0]!.trace?.paths[0]?.snat?.to === '10.0.0.11')).toBe(true);
    expect(r.outcomes.every((o) => !o.hops.some((h) => h.kind === 'backend-node' && h.node === 'ipvs-cluster'))).toBe(true);
  });

  it('case 1 with an LB that does not avoid the source: a generic LB may still loop a Local service back', () => {
    const r = run(['ipvs-local', 'ipvs-local-node-b'], '10.0.0.100', 80, 'generic', 'ipvs-local');
    expect(r.verdict).toBe('loopback');
    expect(r.probability).toBeLessThan(1);
  });

  it('case 2, ACK: SLB IP bound locally, Local service without a local endpoint: refused on the node', () => {
    const r = run(['ipvs-bound-lb'], '203.0.113.10', 80, 'aliyun-slb');
    expect(r.verdict).toBe('blackhole');
    expect(r.outcomes[0]!.effect).toBe('connection refused');
    expect(r.remediations[0]!.id).toBe('ingress-daemonset');
  });

  it('case 5: health probes from a VIP bound on kube-ipvs0 are dropped as martians', () => {
    const r = run(['ipvs-bound-lb'], '203.0.113.10', 80, 'tencent-clb');
    expect(r.healthChecks.some((h) => h.verdict === 'health-check-failure')).toBe(true);
  });
});
