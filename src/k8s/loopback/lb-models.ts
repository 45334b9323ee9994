/**
 * Load balancer models, each with the documentation it follows. Only what decides the loopback
 * question is modelled: SNAT or not, whether a backend equal to the source is avoided, retries,
 * backend kind, health checks, and where health probes come from.
 */
import type { LbModel, LbModelId } from './types.js';

export const LB_MODELS: Readonly<Record<LbModelId, LbModel>> = {
  'tencent-clb': {
    id: 'tencent-clb',
    title: 'Tencent Cloud internal CLB, layer 4',
    source:
      'Tencent Cloud TKE docs "CLB loopback" (seeds 001/003): no SNAT; a backend whose IP equals the source is not chosen; L4 does not retry; health probes come from the CLB VIP',
    snat: false,
    snatAddress: '100.127.0.1',
    avoidsSourceBackend: true,
    retryAfterSeconds: null,
    backends: 'nodeport',
    healthChecked: true,
    probeFromVip: true,
  },
  'tencent-clb-l7': {
    id: 'tencent-clb-l7',
    title: 'Tencent Cloud internal CLB, layer 7 (Ingress)',
    source: 'Tencent Cloud TKE docs (seeds 001/003): L7 retries the next backend after about 4 s; optional L7 SNAT + keep-alive (source 100.127.0.0/16)',
    snat: false,
    snatAddress: '100.127.0.1',
    avoidsSourceBackend: true,
    retryAfterSeconds: 4,
    backends: 'nodeport',
    healthChecked: true,
    probeFromVip: true,
  },
  'aliyun-slb': {
    id: 'aliyun-slb',
    title: 'Alibaba Cloud SLB (ACK)',
    source: 'ACK troubleshooting (seed 002): kube-proxy binds the SLB IP on kube-ipvs0, so in-cluster calls never reach the SLB; health probes come from 100.64.0.0/10',
    snat: false,
    snatAddress: '100.64.0.1',
    avoidsSourceBackend: false,
    retryAfterSeconds: null,
    backends: 'nodeport',
    healthChecked: true,
    probeFromVip: false,
  },
  'aws-nlb': {
    id: 'aws-nlb',
    title: 'AWS Network Load Balancer (instance targets, client IP preservation on)',
    source: 'AWS ELB docs "Client IP preservation": on by default for instance targets; a target cannot receive its own traffic through the NLB ("hairpinning" is not supported)',
    snat: false,
    snatAddress: '10.0.255.254',
    avoidsSourceBackend: false,
    retryAfterSeconds: null,
    backends: 'nodeport',
    healthChecked: true,
    probeFromVip: false,
  },
  generic: {
    id: 'generic',
    title: 'Generic L4 load balancer (no SNAT, any backend)',
    source: 'parameters given by flags',
    snat: false,
    snatAddress: '192.0.2.1',
    avoidsSourceBackend: false,
    retryAfterSeconds: null,
    backends: 'nodeport',
    healthChecked: false,
    probeFromVip: false,
  },
};

export function lbModel(id: string, overrides: Partial<Omit<LbModel, 'id' | 'title' | 'source'>> = {}): LbModel | null {
  const base = (LB_MODELS as Record<string, LbModel | undefined>)[id];
  if (!base) return null;
  return { ...base, ...overrides };
}
