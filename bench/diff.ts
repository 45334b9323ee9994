/**
 * `iptlens diff` on two kube-proxy nodes (iptables mode, current rules) of `services` Services
 * that differ in 1% of them: the same cluster from the generator (bench/generate.ts), with the
 * externalTrafficPolicy of every hundredth externally reachable Service flipped before B is
 * rendered. Both nodes get the generator's `ip -d addr` (lo, eth0, the cni0 pod bridge) and the
 * matching `ip route`, as a collected bundle would. Only `diffNodes` is timed; reading the dumps is reported apart.
 *
 * For the bench runner: `benchDiff(10000)` → `{ ms, … }`; `npx tsx bench/diff.ts 10000` prints it.
 */
import { fileURLToPath } from 'node:url';
import {
  bridgeInterface,
  intToIpv4,
  ipv4ToInt,
  kubeProxyIptablesCurrent,
  loopbackInterface,
  nicInterface,
  printIpAddr,
  printIptablesSave,
  synthesizeCluster,
  type ClusterModel,
  type ServicePortModel,
} from './generate.js';
import { buildNodeSnapshot, type NodeSnapshot } from '../src/model/node.js';
import { diffNodes } from '../src/diff/index.js';

export interface DiffBenchResult {
  readonly services: number;
  /** Service ports whose externalTrafficPolicy differs between the two nodes. */
  readonly flipped: number;
  /** diffNodes(a, b), wall clock. */
  readonly ms: number;
  /** The same, in CPU time of this process (what a busy machine does not inflate). */
  readonly cpuMs: number;
  /** Generating and reading both dumps into snapshots (not part of `ms`). */
  readonly readMs: number;
  readonly structuralChanges: number;
  readonly behaviouralDifferences: number;
  readonly probes: number;
  readonly traced: number;
}

const HEADER = { flavor: 'nft', version: '1.8.9', date: 'Tue Nov 17 09:12:44 2026' } as const;

/** Every hundredth externally reachable Service with its policy flipped (Local gets a health-check port). */
export function flipPolicies(cluster: ClusterModel, share = 0.01): { cluster: ClusterModel; flipped: readonly ServicePortModel[] } {
  const used = new Set<number>();
  for (const s of cluster.services) {
    if (s.nodePort !== undefined) used.add(s.nodePort);
    if (s.healthCheckNodePort !== undefined) used.add(s.healthCheckNodePort);
  }
  let nextPort = 32767;
  const freePort = (): number | undefined => {
    while (nextPort >= 30000 && used.has(nextPort)) nextPort--;
    if (nextPort < 30000) return undefined;
    used.add(nextPort);
    return nextPort;
  };
  const reachable = cluster.services.filter((s) => s.nodePort !== undefined || s.loadBalancerIPs.length > 0);
  const want = Math.max(1, Math.round(cluster.services.length * share));
  const step = Math.max(1, Math.floor(reachable.length / want));
  const chosen = new Set<ServicePortModel>();
  for (let i = 0; i < reachable.length && chosen.size < want; i += step) chosen.add(reachable[i]!);
  const services = cluster.services.map((s): ServicePortModel => {
    if (!chosen.has(s)) return s;
    if (s.externalPolicy === 'Local') return { ...s, externalPolicy: 'Cluster', healthCheckNodePort: undefined };
    const hc = s.loadBalancerIPs.length > 0 ? freePort() : undefined;
    return { ...s, externalPolicy: 'Local', healthCheckNodePort: hc };
  });
  return { cluster: { ...cluster, services }, flipped: [...chosen] };
}

function ipAddr(cluster: ClusterModel): string {
  const node = cluster.node;
  const pod = node.podCidr.split('/')[0]!;
  const bridge = intToIpv4(ipv4ToInt(pod) + 1);
  const broadcast = intToIpv4(ipv4ToInt(pod) + 255);
  return printIpAddr([
    loopbackInterface(),
    nicInterface(2, 'eth0', '52:54:00:12:00:0a', [{ cidr: `${node.ip}/16`, brd: '10.0.255.255', scope: 'global' }], 'enp0s5'),
    bridgeInterface(3, 'cni0', '0a:58:ac:10:00:01', [{ cidr: `${bridge}/24`, brd: broadcast, scope: 'global' }]),
  ]);
}

/** `ip route` of the generator's node: the default route, the node's subnet and its pod bridge. */
function ipRoute(cluster: ClusterModel): string {
  const node = cluster.node;
  const pod = node.podCidr.split('/')[0]!;
  const bridge = intToIpv4(ipv4ToInt(pod) + 1);
  return [
    'default via 10.0.0.1 dev eth0 proto dhcp src ' + node.ip + ' metric 100',
    `10.0.0.0/16 dev eth0 proto kernel scope link src ${node.ip}`,
    `${node.podCidr} dev cni0 proto kernel scope link src ${bridge}`,
    '',
  ].join('\n');
}

function node(name: string, cluster: ClusterModel): NodeSnapshot {
  return buildNodeSnapshot(name, [
    { name: `${name}/iptables-save.txt`, text: printIptablesSave(kubeProxyIptablesCurrent(cluster), HEADER) },
    { name: `${name}/ip-addr.txt`, text: ipAddr(cluster) },
    { name: `${name}/ip-route.txt`, text: ipRoute(cluster) },
  ]);
}

/** The two nodes: A as generated, B with 1% of the Services' policies flipped (and which). */
export function diffBenchNodes(services: number, seed = 1): { a: NodeSnapshot; b: NodeSnapshot; flipped: readonly ServicePortModel[] } {
  const base = synthesizeCluster(Math.max(2, services), seed);
  const { cluster: changed, flipped } = flipPolicies(base);
  return { a: node('node-a', base), b: node('node-b', changed), flipped };
}

export function benchDiff(services: number, seed = 1): DiffBenchResult {
  const t0 = performance.now();
  const { a, b, flipped } = diffBenchNodes(services, seed);
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = diffNodes(a, b);
  const cpu = process.cpuUsage(cpu0);
  const t2 = performance.now();
  return {
    services,
    flipped: flipped.length,
    ms: t2 - t1,
    cpuMs: (cpu.user + cpu.system) / 1000,
    readMs: t1 - t0,
    structuralChanges: result.structural.length,
    behaviouralDifferences: result.behavioural.length,
    probes: result.coverage.total,
    traced: result.coverage.traced,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = Number(process.argv[2] ?? 10000);
  process.stdout.write(JSON.stringify(benchDiff(Number.isFinite(n) && n > 0 ? n : 10000), null, 2) + '\n');
}
