/**
 * Writes every sample bundle under samples/ from the node specifications below.
 *
 *   npx tsx samples/build-samples.ts            # rewrite the files (root: also captures `ipset list`)
 *
 * kube-proxy's rules come from bench/generate.ts (the same renderers the benchmark generator
 * uses); CNI, Docker and Calico rules are written here in iptables-save form. Every file is
 * checked by test/samples/samples.test.ts: it must load into a real kernel, and saving it again
 * must print the same rules (so each file is what the real command prints on such a node).
 *
 * Size: one builder for all bundles on purpose: the bundles share one cluster (addresses, Services,
 * pods) and the point of the samples is that they agree with each other.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  appendRule, bridgeInterface, comment, createPrng, createRuleset, declareChain, kubeIpvs0, kubeProxyIptablesCurrent,
  kubeProxyIptablesPre124, kubeProxyIpvsRules, kubeProxyIpvsState, loopbackInterface, nicInterface, podVethInterface,
  printIpAddr, printIpsetSave, printIpvsadmList, printIpvsadmSave, printIptablesSave, ruleBody, tableOf,
  type ClusterModel, type EndpointModel, type ExternalPolicy, type InterfaceAddress, type IpvsState, type NetInterface,
  type RuleParts, type Ruleset, type SaveHeader, type ServicePortModel, type Table, type TableName,
} from '../bench/generate.js';

const here = dirname(fileURLToPath(import.meta.url));

// ─── The shared cluster ─────────────────────────────────────────────────────────────────────────
// VPC subnet 10.0.0.0/24 (gateway 10.0.0.1), pods 10.244.0.0/16 (a /24 per node), Services 10.96.0.0/12.

interface ClusterNode {
  readonly name: string;
  readonly ip: string;
  /** Third octet of the node's 10.244.N.0/24. */
  readonly podNet: number;
}

const CP1: ClusterNode = { name: 'cp-1', ip: '10.0.0.10', podNet: 0 };
const NODE_A: ClusterNode = { name: 'node-a', ip: '10.0.0.11', podNet: 1 };
const NODE_B: ClusterNode = { name: 'node-b', ip: '10.0.0.12', podNet: 2 };
const NODE_C: ClusterNode = { name: 'node-c', ip: '10.0.0.13', podNet: 3 };
const NODES = [CP1, NODE_A, NODE_B, NODE_C];

function pod(node: ClusterNode, host: number): { ip: string; node: string } {
  return { ip: `10.244.${node.podNet}.${host}`, node: node.name };
}

type PodRef = { ip: string; node: string };

interface ServiceSpec {
  readonly namespace: string;
  readonly name: string;
  readonly portName: string;
  readonly protocol: 'tcp' | 'udp';
  readonly clusterIP: string;
  readonly port: number;
  readonly targetPort: number;
  readonly nodePort?: number;
  readonly lb?: string;
  readonly policy?: ExternalPolicy;
  readonly healthCheckNodePort?: number;
  readonly sourceRanges?: readonly string[];
  readonly affinity?: number;
  readonly pods: readonly PodRef[];
}

const DNS_PODS = [pod(CP1, 2), pod(NODE_A, 3)];

/**
 * The Services every kube-proxy sample node programs. `frontend` is the Service of the LB-loopback
 * story: a LoadBalancer at 10.0.0.100:80 (NodePort 30080) whose two endpoints run on node-a and node-c.
 */
function shopServices(frontendPolicy: ExternalPolicy): ServiceSpec[] {
  return [
    {
      namespace: 'default', name: 'kubernetes', portName: 'https', protocol: 'tcp', clusterIP: '10.96.0.1', port: 443,
      targetPort: 6443, pods: [{ ip: CP1.ip, node: CP1.name }],
    },
    {
      namespace: 'kube-system', name: 'kube-dns', portName: 'dns', protocol: 'udp', clusterIP: '10.96.0.10', port: 53,
      targetPort: 53, pods: DNS_PODS,
    },
    {
      namespace: 'kube-system', name: 'kube-dns', portName: 'dns-tcp', protocol: 'tcp', clusterIP: '10.96.0.10', port: 53,
      targetPort: 53, pods: DNS_PODS,
    },
    {
      namespace: 'kube-system', name: 'kube-dns', portName: 'metrics', protocol: 'tcp', clusterIP: '10.96.0.10', port: 9153,
      targetPort: 9153, pods: DNS_PODS,
    },
    {
      namespace: 'shop', name: 'cart', portName: 'http', protocol: 'tcp', clusterIP: '10.96.45.12', port: 8080, targetPort: 8080,
      pods: [pod(NODE_A, 7), pod(NODE_B, 9)],
    },
    {
      namespace: 'shop', name: 'catalog', portName: 'http', protocol: 'tcp', clusterIP: '10.96.88.20', port: 80, targetPort: 8080,
      nodePort: 31080, pods: [pod(NODE_B, 10), pod(NODE_C, 5)],
    },
    {
      namespace: 'web', name: 'frontend', portName: 'http', protocol: 'tcp', clusterIP: '10.96.120.5', port: 80, targetPort: 8080,
      nodePort: 30080, lb: '10.0.0.100',
      policy: frontendPolicy, healthCheckNodePort: frontendPolicy === 'Local' ? 32100 : undefined, pods: [
        pod(NODE_A, 5), pod(NODE_C, 7),
      ],
    },
    {
      namespace: 'web', name: 'api', portName: 'https', protocol: 'tcp', clusterIP: '10.96.130.8', port: 443, targetPort: 8443,
      nodePort: 30443, lb: '10.0.0.101', policy: 'Cluster', pods: [pod(NODE_A, 6), pod(NODE_B, 8), pod(CP1, 9)],
    },
    {
      namespace: 'web', name: 'admin', portName: 'http', protocol: 'tcp', clusterIP: '10.96.140.3', port: 80, targetPort: 8080,
      nodePort: 31500, lb: '10.0.0.102', policy: 'Cluster', sourceRanges: ['203.0.113.0/24', '10.0.0.0/24'],
      pods: [pod(NODE_B, 11)],
    },
    {
      namespace: 'shop', name: 'session', portName: 'http', protocol: 'tcp', clusterIP: '10.96.150.7', port: 8080, targetPort: 8080,
      affinity: 10800, pods: [pod(NODE_A, 9), pod(NODE_B, 12)],
    },
    {
      namespace: 'shop', name: 'legacy', portName: 'http', protocol: 'tcp', clusterIP: '10.96.160.2', port: 8080, targetPort: 8080,
      pods: [],
    },
  ];
}

function toModel(specs: readonly ServiceSpec[], viewer: string): ServicePortModel[] {
  return specs.map((s) => ({
    namespace: s.namespace, name: s.name, portName: s.portName, protocol: s.protocol, clusterIP: s.clusterIP, port: s.port,
    nodePort: s.nodePort, loadBalancerIPs: s.lb !== undefined ? [s.lb] : [], externalPolicy: s.policy ?? 'Cluster',
    healthCheckNodePort: s.healthCheckNodePort, sourceRanges: s.sourceRanges ?? [], affinityTimeout: s.affinity,
    endpoints: s.pods.map((p): EndpointModel => ({ ip: p.ip, port: s.targetPort, nodeName: p.node, local: p.node === viewer })),
  }));
}

function shopCluster(node: ClusterNode, bridge: string, frontendPolicy: ExternalPolicy, bindLoadBalancerIPs: boolean): ClusterModel {
  return {
    node: {
      name: node.name, family: 'ipv4', ip: node.ip, podCidr: `10.244.${node.podNet}.0/24`,
      localAddresses: [{
        ip: '127.0.0.1', dev: 'lo',
      }, { ip: node.ip, dev: 'eth0' }, { ip: `10.244.${node.podNet}.1`, dev: bridge }],
    },
    clusterCidr: '10.244.0.0/16',
    serviceCidr: '10.96.0.0/12',
    services: toModel(shopServices(frontendPolicy), node.name),
    bindLoadBalancerIPs,
  };
}

// ─── Helpers for hand-written rules and node files ─────────────────────────────────────────────

function add(rs: Ruleset, table: TableName, chain: string, parts: RuleParts | string): void {
  appendRule(tableOf(rs, table), chain, typeof parts === 'string' ? parts : ruleBody(parts));
}

/** Insert before the existing rules of a chain (`iptables -I`), keeping the given order. */
function insertFirst(rs: Ruleset, table: TableName, chain: string, rules: readonly (RuleParts | string)[]): void {
  const t = tableOf(rs, table);
  declareChain(t, chain);
  const list = t.rules.get(chain) ?? [];
  t.rules.set(chain, [...rules.map((r) => (typeof r === 'string' ? r : ruleBody(r))), ...list]);
}

function withTable(rs: Ruleset, name: TableName, at: number): Table {
  const existing = rs.tables.find((t) => t.name === name);
  if (existing !== undefined) return existing;
  const fresh = createRuleset(rs.family, [name]).tables[0] as Table;
  rs.tables.splice(at, 0, fresh);
  return fresh;
}

/** Builtin chain counters as a legacy iptables-save prints them on a node that has been up a while. */
function setCounters(rs: Ruleset, counters: Partial<Record<TableName, Record<string, [number, number]>>>): void {
  for (const t of rs.tables) {
    for (const b of t.builtins) {
      const c = counters[t.name]?.[b.name];
      if (c !== undefined) [b.packets, b.bytes] = c;
    }
  }
}

function v4(cidr: string, brd?: string): InterfaceAddress {
  return { cidr, brd, scope: 'global' };
}

function linkLocal(mac: string): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = b;
  const h = (x: number, y: number): string => ((x << 8) | y).toString(16);
  return `fe80::${h(b0 ^ 2, b1)}:${h(b2, 0xff)}:${h(0xfe, b3)}:${h(b4, b5)}`;
}

function netnsId(seed: string): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  return `cni-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function mac(seed: string, prefix = ''): string {
  const hex = createHash('sha1').update(seed).digest('hex');
  const bytes = Array.from({ length: 6 }, (_, i) => hex.slice(i * 2, i * 2 + 2));
  bytes[0] = ((parseInt(bytes[0] ?? '0', 16) & 0xfe) | 0x02).toString(16).padStart(2, '0');
  return prefix !== '' ? `${prefix}:${bytes.slice(prefix.split(':').length).join(':')}` : bytes.join(':');
}

/** Host-side veths for the pods of a node, attached to its CNI bridge. */
function podVeths(node: ClusterNode, hosts: readonly number[], bridge: string, bridgeMac: string, firstIndex: number): NetInterface[] {
  return hosts.map((host, k) => {
    const name = `veth${createHash('sha1').update(`${node.name}-${host}`).digest('hex').slice(0, 8)}`;
    const m = mac(`${node.name}-veth-${host}`);
    const netns = netnsId(`${node.name}-${host}`);
    const index = firstIndex + k;
    return podVethInterface({ index, name, peerIndex: 3, mac: m, bridge, bridgeMac, port: k + 1, netns, linkLocal: linkLocal(m) });
  });
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

interface LocalRoute {
  readonly type: 'local' | 'broadcast';
  readonly dst: string;
  readonly dev: string;
  readonly src: string;
}

/** `ip route show table all`: main table, then local table in address order (FIB trie walk), then IPv6. */
function routeTableAll(main: readonly string[], local: readonly LocalRoute[], ipv6: readonly string[]): string {
  const key = (r: LocalRoute): number => ipToInt(r.dst.split('/')[0] ?? '') * 64 + Number(r.dst.split('/')[1] ?? 32);
  const line = (r: LocalRoute): string =>
    `${r.type} ${r.dst} dev ${r.dev} table local proto kernel scope ${r.type === 'local' ? 'host' : 'link'} src ${r.src} `;
  const localLines = [...local].sort((a, b) => key(a) - key(b)).map(line);
  return `${[...main, ...localLines, ...ipv6].join('\n')}\n`;
}

function addressRoutes(ip: string, prefix: number, dev: string): LocalRoute[] {
  const routes: LocalRoute[] = [{ type: 'local', dst: ip, dev, src: ip }];
  if (prefix < 31) {
    const n = ipToInt(ip);
    const bcast = (n | (2 ** (32 - prefix) - 1)) >>> 0;
    routes.push({ type: 'broadcast', dst: [24, 16, 8, 0].map((s) => (bcast >>> s) & 255).join('.'), dev, src: ip });
  }
  return routes;
}

const LOOPBACK_ROUTES: LocalRoute[] = [
  { type: 'local', dst: '127.0.0.0/8', dev: 'lo', src: '127.0.0.1' },
  { type: 'local', dst: '127.0.0.1', dev: 'lo', src: '127.0.0.1' },
  { type: 'broadcast', dst: '127.255.255.255', dev: 'lo', src: '127.0.0.1' },
];

function ipv6Routes(devs: readonly { dev: string; lladdr: string }[]): string[] {
  return [
    ...devs.map((d) => `fe80::/64 dev ${d.dev} proto kernel metric 256 pref medium`),
    'local ::1 dev lo table local proto kernel metric 0 pref medium',
    ...devs.map((d) => `local ${d.lladdr} dev ${d.dev} table local proto kernel metric 0 pref medium`),
    ...devs.map((d) => `multicast ff00::/8 dev ${d.dev} table local proto kernel metric 256 pref medium`),
  ];
}

// ─── sysctl ─────────────────────────────────────────────────────────────────────────────────────

/** A subset of `sysctl -a` (note the tab inside ip_local_port_range, as sysctl prints it). */
function sysctlText(overrides: Record<string, string>, interfaces: readonly string[]): string {
  const base: Record<string, string> = {
    'net.bridge.bridge-nf-call-arptables': '1',
    'net.bridge.bridge-nf-call-ip6tables': '1',
    'net.bridge.bridge-nf-call-iptables': '1',
    'net.core.somaxconn': '4096',
    'net.ipv4.conf.all.accept_local': '0',
    'net.ipv4.conf.all.arp_announce': '0',
    'net.ipv4.conf.all.arp_ignore': '0',
    'net.ipv4.conf.all.forwarding': '1',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.conf.all.route_localnet': '0',
    'net.ipv4.conf.default.rp_filter': '2',
    'net.ipv4.ip_forward': '1',
    'net.ipv4.ip_local_port_range': '32768\t60999',
    'net.ipv4.ip_nonlocal_bind': '0',
    'net.ipv4.tcp_fin_timeout': '60',
    'net.ipv4.tcp_tw_reuse': '2',
    'net.ipv6.conf.all.disable_ipv6': '0',
    'net.ipv6.conf.all.forwarding': '0',
    'net.netfilter.nf_conntrack_buckets': '262144',
    'net.netfilter.nf_conntrack_max': '1048576',
    'net.netfilter.nf_conntrack_tcp_be_liberal': '0',
    'net.netfilter.nf_conntrack_tcp_timeout_close_wait': '3600',
    'net.netfilter.nf_conntrack_tcp_timeout_established': '86400',
    'net.nf_conntrack_max': '1048576',
  };
  for (const dev of interfaces) {
    base[`net.ipv4.conf.${dev}.forwarding`] = '1';
    base[`net.ipv4.conf.${dev}.rp_filter`] = dev === 'lo' ? '0' : '2';
    base[`net.ipv4.conf.${dev}.route_localnet`] = '0';
  }
  const merged = { ...base, ...overrides };
  return `${Object.keys(merged).sort().map((k) => `${k} = ${merged[k]}`).join('\n')}\n`;
}

// ─── Bundles ────────────────────────────────────────────────────────────────────────────────────

type Files = Record<string, string>;

const DEBIAN12_NFT = (date: string): SaveHeader => ({ flavor: 'nft', version: '1.8.9', date });

/** flannel (vxlan backend, v0.24) rules for a node whose lease is `podCidr`. */
function addFlannel(rs: Ruleset, clusterCidr: string, podCidr: string): void {
  const masq = comment('flanneld masq');
  add(rs, 'nat', 'POSTROUTING', { matches: [masq], jump: '-j FLANNEL-POSTRTG' });
  add(rs, 'nat', 'FLANNEL-POSTRTG', { matches: ['-m mark --mark 0x4000/0x4000', masq], jump: '-j RETURN' });
  add(rs, 'nat', 'FLANNEL-POSTRTG', { src: podCidr, dst: clusterCidr, matches: [masq], jump: '-j RETURN' });
  add(rs, 'nat', 'FLANNEL-POSTRTG', { src: clusterCidr, dst: podCidr, matches: [masq], jump: '-j RETURN' });
  add(rs, 'nat', 'FLANNEL-POSTRTG', { src: clusterCidr, notSrc: true, dst: podCidr, matches: [masq], jump: '-j RETURN' });
  add(rs, 'nat', 'FLANNEL-POSTRTG', {
    src: clusterCidr,
    dst: rs.family === 'ipv4' ? '224.0.0.0/4' : 'ff00::/8',
    notDst: true,
    matches: [masq],
    jump: '-j MASQUERADE --random-fully',
  });
  add(rs, 'nat', 'FLANNEL-POSTRTG', {
    src: clusterCidr,
    notSrc: true,
    dst: clusterCidr,
    matches: [masq],
    jump: '-j MASQUERADE --random-fully',
  });
  const fwd = comment('flanneld forward');
  add(rs, 'filter', 'FORWARD', { matches: [fwd], jump: '-j FLANNEL-FWD' });
  add(rs, 'filter', 'FLANNEL-FWD', { src: clusterCidr, matches: [fwd], jump: '-j ACCEPT' });
  add(rs, 'filter', 'FLANNEL-FWD', { dst: clusterCidr, matches: [fwd], jump: '-j ACCEPT' });
}

/** The CNI portmap plugin's chains (no hostPort pod on the node, so DNAT/SNAT stay empty). */
function addPortmap(rs: Ruleset): void {
  for (const chain of ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-SNAT', 'CNI-HOSTPORT-SETMARK']) declareChain(tableOf(rs, 'nat'), chain);
  add(rs, 'nat', 'PREROUTING', { matches: ['-m addrtype --dst-type LOCAL'], jump: '-j CNI-HOSTPORT-DNAT' });
  add(rs, 'nat', 'OUTPUT', { matches: ['-m addrtype --dst-type LOCAL'], jump: '-j CNI-HOSTPORT-DNAT' });
  add(rs, 'nat', 'POSTROUTING', { matches: [comment('CNI portfwd requiring masquerade')], jump: '-j CNI-HOSTPORT-MASQ' });
  add(rs, 'nat', 'CNI-HOSTPORT-MASQ', { matches: ['-m mark --mark 0x2000/0x2000'], jump: '-j MASQUERADE' });
  add(rs, 'nat', 'CNI-HOSTPORT-SETMARK', {
    matches: [comment('CNI portfwd masquerade mark')], jump: '-j MARK --set-xmark 0x2000/0x2000',
  });
}

/** ip-masq-agent (TKE/GKE style): pod traffic to the VPC and to pods keeps its source. */
function addIpMasqAgent(rs: Ruleset, nonMasquerade: readonly string[]): void {
  add(rs, 'nat', 'POSTROUTING', {
    matches: [
      comment('ip-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom IP-MASQ-AGENT chain'),
      '-m addrtype ! --dst-type LOCAL',
    ],
    jump: '-j IP-MASQ-AGENT',
  });
  for (const cidr of nonMasquerade) add(rs, 'nat', 'IP-MASQ-AGENT', {
    dst: cidr,
    matches: [comment('ip-masq-agent: local traffic is not subject to MASQUERADE')],
    jump: '-j RETURN',
  });
  add(rs, 'nat', 'IP-MASQ-AGENT', {
    matches: [comment('ip-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)')],
    jump: '-j MASQUERADE',
  });
}

/** flannel's vxlan device: VNI 1, port 8472, the node's /24 network address on it. */
function flannelVxlan(index: number, mac: string, nodeIp: string, address: string): NetInterface {
  return {
    index, name: 'flannel.1', flags: 'BROADCAST,MULTICAST,UP,LOWER_UP', mtu: 1450, qdisc: 'noqueue', state: 'UNKNOWN',
    qlen: 1000, linkType: 'ether', mac, brd: 'ff:ff:ff:ff:ff:ff',
    promiscuity: 0, minmtu: 68, maxmtu: 65535, txQueues: 1, tsoMaxSize: 524280,
    details: [
      `vxlan id 1 local ${nodeIp} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 ` +
        'udpcsum noudp6zerocsumtx noudp6zerocsumrx',
    ],
    addresses: [v4(`${address}/32`), { cidr: `${linkLocal(mac)}/64`, scope: 'link' }],
  };
}

function flannelNodeFiles(node: ClusterNode, localHosts: readonly number[]): { addr: string; route: string } {
  const bridgeMac = mac(`${node.name}-cni0`);
  const flannelMac = mac(`${node.name}-flannel.1`);
  const ethMac = mac(`${node.name}-eth0`, '52:54:00');
  const interfaces: NetInterface[] = [
    loopbackInterface(),
    nicInterface(2, 'eth0', ethMac, [
      { ...v4(`${node.ip}/24`, '10.0.0.255'), flags: ['dynamic'], validLft: '85412sec', preferredLft: '85412sec' },
      { cidr: `${linkLocal(ethMac)}/64`, scope: 'link' },
    ], 'enp0s5'),
    flannelVxlan(3, flannelMac, node.ip, `10.244.${node.podNet}.0`),
    {
      ...bridgeInterface(4, 'cni0', bridgeMac, [
        v4(`10.244.${node.podNet}.1/24`, `10.244.${node.podNet}.255`),
        { cidr: `${linkLocal(bridgeMac)}/64`, scope: 'link' },
      ]),
      mtu: 1450,
    },
    ...podVeths(node, localHosts, 'cni0', bridgeMac, 5).map((i) => ({ ...i, mtu: 1450 })),
  ];
  const others = NODES.filter((n) => n !== node);
  const main = [
    `default via 10.0.0.1 dev eth0 proto dhcp src ${node.ip} metric 100 `,
    `10.0.0.0/24 dev eth0 proto kernel scope link src ${node.ip} metric 100 `,
    `10.0.0.1 dev eth0 proto dhcp scope link src ${node.ip} metric 100 `,
    ...[...others, node]
      .sort((a, b) => a.podNet - b.podNet)
      .map((n) =>
        n === node
          ? `10.244.${n.podNet}.0/24 dev cni0 proto kernel scope link src 10.244.${n.podNet}.1 `
          : `10.244.${n.podNet}.0/24 via 10.244.${n.podNet}.0 dev flannel.1 onlink `,
      ),
  ];
  const vtep = `10.244.${node.podNet}.0`;
  const local = [
    ...addressRoutes(node.ip, 24, 'eth0'), { type: 'local' as const, dst: vtep, dev: 'flannel.1', src: vtep },
    ...addressRoutes(`10.244.${node.podNet}.1`, 24, 'cni0'), ...LOOPBACK_ROUTES,
  ];
  const lls = [
    { dev: 'eth0', lladdr: linkLocal(ethMac) }, { dev: 'flannel.1', lladdr: linkLocal(flannelMac) },
    { dev: 'cni0', lladdr: linkLocal(bridgeMac) }, ...interfaces.slice(4).map((i) => ({ dev: i.name, lladdr: linkLocal(i.mac) })),
  ];
  return { addr: printIpAddr(interfaces), route: routeTableAll(main, local, ipv6Routes(lls)) };
}

const NODE_A_PODS = [3, 5, 6, 7, 9];

function iptablesCurrent(): Files {
  const cluster = shopCluster(NODE_A, 'cni0', 'Local', true);
  const rs = kubeProxyIptablesCurrent(cluster);
  addPortmap(rs);
  addFlannel(rs, cluster.clusterCidr, cluster.node.podCidr);
  const net = flannelNodeFiles(NODE_A, NODE_A_PODS);
  return {
    'iptables-save.txt': printIptablesSave(rs, DEBIAN12_NFT('Mon Nov 16 10:42:17 2026')),
    'ip-addr.txt': net.addr,
    'ip-route.txt': net.route,
    'sysctl.txt': sysctlText({ 'net.ipv4.conf.all.route_localnet': '1' }, ['all', 'cni0', 'default', 'eth0', 'flannel.1', 'lo']),
  };
}

function iptablesLegacyPre124(): Files {
  const cluster = shopCluster(NODE_A, 'cni0', 'Local', true);
  const rs = kubeProxyIptablesPre124(cluster);
  addPortmap(rs);
  addFlannel(rs, cluster.clusterCidr, cluster.node.podCidr);
  setCounters(rs, {
    mangle: {
      PREROUTING: [48213317, 40111254231], INPUT: [21530112, 13925436218], FORWARD: [26673521, 26152884512],
      OUTPUT: [19801127, 5419770356], POSTROUTING: [46481934, 31575112810],
    },
    nat: {
      PREROUTING: [712455, 42981077], INPUT: [60318, 3618971], OUTPUT: [1283331, 77891204], POSTROUTING: [1811062, 109336425],
    },
    filter: { INPUT: [21530112, 13925436218], FORWARD: [26673521, 26152884512], OUTPUT: [19801127, 5419770356] },
  });
  const net = flannelNodeFiles(NODE_A, NODE_A_PODS);
  return {
    'iptables-save.txt': printIptablesSave(rs, { flavor: 'legacy', version: '1.8.4', date: 'Wed Mar 16 08:21:40 2022' }),
    'ip-addr.txt': net.addr,
    'ip-route.txt': net.route,
    'sysctl.txt': sysctlText({
      'net.ipv4.conf.all.route_localnet': '1', 'net.ipv4.tcp_tw_reuse': '2', 'net.netfilter.nf_conntrack_max': '524288',
      'net.nf_conntrack_max': '524288',
    }, ['all', 'cni0', 'default', 'eth0', 'flannel.1', 'lo']),
  };
}

/** A TKE-style IPVS node: cbr0 bridge, VPC-routed pod CIDRs, ip-masq-agent, LB IPs not bound on kube-ipvs0. */
function tkeIpvsNode(
  node: ClusterNode,
  frontendPolicy: ExternalPolicy,
  localHosts: readonly number[],
  date: string,
  seed: number,
): { files: Files; state: IpvsState; rs: Ruleset } {
  const cluster = shopCluster(node, 'cbr0', frontendPolicy, false);
  const state = kubeProxyIpvsState(cluster, 'current');
  const traffic = createPrng(seed);
  for (const vs of state.virtualServers) {
    for (const d of vs.dests) {
      if (traffic.chance(0.35)) {
        d.activeConn = traffic.int(0, 6);
        d.inactConn = traffic.int(0, 25);
      }
    }
  }
  const rs = kubeProxyIpvsRules(cluster, 'current', state);
  addIpMasqAgent(rs, ['10.0.0.0/16', '10.244.0.0/16']);
  const bridgeMac = mac(`${node.name}-cbr0`);
  const ethMac = mac(`${node.name}-eth0`, '52:54:00');
  const interfaces: NetInterface[] = [
    loopbackInterface(),
    nicInterface(2, 'eth0', ethMac, [v4(`${node.ip}/24`, '10.0.0.255'), { cidr: `${linkLocal(ethMac)}/64`, scope: 'link' }], 'enp0s5'),
    bridgeInterface(3, 'cbr0', bridgeMac, [
      v4(`10.244.${node.podNet}.1/24`, `10.244.${node.podNet}.255`),
      { cidr: `${linkLocal(bridgeMac)}/64`, scope: 'link' },
    ]),
    kubeIpvs0(4, mac(`${node.name}-kube-ipvs0`), state.bound),
    ...podVeths(node, localHosts, 'cbr0', bridgeMac, 5),
  ];
  const main = [
    'default via 10.0.0.1 dev eth0 ',
    `10.0.0.0/24 dev eth0 proto kernel scope link src ${node.ip} `,
    `10.244.${node.podNet}.0/24 dev cbr0 proto kernel scope link src 10.244.${node.podNet}.1 `,
  ];
  const local = [
    ...addressRoutes(node.ip, 24, 'eth0'), ...addressRoutes(`10.244.${node.podNet}.1`, 24, 'cbr0'), ...LOOPBACK_ROUTES,
    ...state.bound.map((ip) => ({ type: 'local' as const, dst: ip, dev: 'kube-ipvs0', src: ip })),
  ];
  const lls = [
    { dev: 'eth0', lladdr: linkLocal(ethMac) }, { dev: 'cbr0', lladdr: linkLocal(bridgeMac) },
    ...interfaces.slice(4).map((i) => ({ dev: i.name, lladdr: linkLocal(i.mac) })),
  ];
  const files: Files = {
    'iptables-save.txt': printIptablesSave(rs, DEBIAN12_NFT(date)),
    'ipset-save.txt': printIpsetSave(state.sets, 'ipv4', { bucketsize: true, prng: createPrng(seed + 1) }),
    'ip-addr.txt': printIpAddr(interfaces),
    'ip-route.txt': routeTableAll(main, local, ipv6Routes(lls)),
    'sysctl.txt': sysctlText({
      'net.ipv4.vs.conn_reuse_mode': '1', 'net.ipv4.vs.conntrack': '1', 'net.ipv4.vs.expire_nodest_conn': '1',
      'net.ipv4.vs.expire_quiescent_template': '1', 'net.ipv4.vs.sloppy_tcp': '0',
    }, ['all', 'cbr0', 'default', 'eth0', 'kube-ipvs0', 'lo']),
  };
  return { files, state, rs };
}

/** ACK-style node, kube-proxy 1.18 in IPVS mode: the public SLB IP bound on kube-ipvs0. */
function ackBoundLb(): Files {
  const me = { name: 'cn-hangzhou.192.168.0.21', ip: '192.168.0.21' };
  const ep = (ip: string, node: string, port: number): EndpointModel => ({ ip, port, nodeName: node, local: node === me.name });
  const other2 = 'cn-hangzhou.192.168.0.22';
  const other3 = 'cn-hangzhou.192.168.0.23';
  const dns = [ep('172.20.0.130', other3, 53), ep('172.20.2.5', other2, 53)];
  const services: ServicePortModel[] = [
    {
      namespace: 'default', name: 'kubernetes', portName: 'https', protocol: 'tcp', clusterIP: '172.21.0.1', port: 443,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [],
      endpoints: [{ ip: '192.168.0.200', port: 6443, nodeName: 'master', local: false }],
    },
    {
      namespace: 'kube-system', name: 'kube-dns', portName: 'dns', protocol: 'udp', clusterIP: '172.21.0.10', port: 53,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [], endpoints: dns,
    },
    {
      namespace: 'kube-system', name: 'kube-dns', portName: 'dns-tcp', protocol: 'tcp', clusterIP: '172.21.0.10', port: 53,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [], endpoints: dns,
    },
    {
      namespace: 'kube-system', name: 'kube-dns', portName: 'metrics', protocol: 'tcp', clusterIP: '172.21.0.10', port: 9153,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [], endpoints: dns.map((e) => ({ ...e, port: 9153 })),
    },
    ...(['http', 'https'] as const).map((portName, k): ServicePortModel => ({
      namespace: 'kube-system', name: 'nginx-ingress-lb', portName, protocol: 'tcp', clusterIP: '172.21.9.80',
      port: [80, 443][k] ?? 80, nodePort: [31080, 31443][k],
      loadBalancerIPs: ['203.0.113.10'], externalPolicy: 'Local', healthCheckNodePort: 32201, sourceRanges: [],
      endpoints: [ep('172.20.2.10', other2, [80, 443][k] ?? 80), ep('172.20.3.11', other3, [80, 443][k] ?? 80)],
    })),
    {
      namespace: 'default', name: 'web', portName: 'http', protocol: 'tcp', clusterIP: '172.21.5.20', port: 80, loadBalancerIPs: [],
      externalPolicy: 'Cluster', sourceRanges: [], endpoints: [ep('172.20.1.6', me.name, 8080), ep('172.20.2.7', other2, 8080)],
    },
    {
      namespace: 'default', name: 'shop', portName: 'http', protocol: 'tcp', clusterIP: '172.21.7.33', port: 80, nodePort: 30880,
      loadBalancerIPs: ['203.0.113.11'], externalPolicy: 'Cluster', sourceRanges: [],
      endpoints: [ep('172.20.1.7', me.name, 8080), ep('172.20.3.8', other3, 8080)],
    },
  ];
  const cluster: ClusterModel = {
    node: {
      name: me.name, family: 'ipv4', ip: me.ip, podCidr: '172.20.1.0/25',
      localAddresses: [
        { ip: '127.0.0.1', dev: 'lo' }, { ip: me.ip, dev: 'eth0' }, { ip: '172.17.0.1', dev: 'docker0' },
        { ip: '172.20.1.0', dev: 'flannel.1' }, { ip: '172.20.1.1', dev: 'cni0' },
      ],
    },
    clusterCidr: '172.20.0.0/16',
    serviceCidr: '172.21.0.0/20',
    services,
    bindLoadBalancerIPs: true,
  };
  const state = kubeProxyIpvsState(cluster, 'pre124');
  const rs = kubeProxyIpvsRules(cluster, 'pre124', state);
  // flannel 0.11 (no chains of its own yet) and docker 19.03, as on ACK's CentOS 7 images.
  add(rs, 'nat', 'POSTROUTING', '-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
  add(rs, 'nat', 'POSTROUTING', { src: '172.20.0.0/16', dst: '172.20.0.0/16', jump: '-j RETURN' });
  add(rs, 'nat', 'POSTROUTING', { src: '172.20.0.0/16', dst: '224.0.0.0/4', notDst: true, jump: '-j MASQUERADE' });
  add(rs, 'nat', 'POSTROUTING', { src: '172.20.0.0/16', notSrc: true, dst: '172.20.1.0/25', jump: '-j RETURN' });
  add(rs, 'nat', 'POSTROUTING', { src: '172.20.0.0/16', notSrc: true, dst: '172.20.0.0/16', jump: '-j MASQUERADE' });
  add(rs, 'nat', 'PREROUTING', { matches: ['-m addrtype --dst-type LOCAL'], jump: '-j DOCKER' });
  add(rs, 'nat', 'OUTPUT', { dst: '127.0.0.0/8', notDst: true, matches: ['-m addrtype --dst-type LOCAL'], jump: '-j DOCKER' });
  add(rs, 'nat', 'DOCKER', { in: 'docker0', jump: '-j RETURN' });
  for (const chain of [
    'DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER',
  ]) declareChain(tableOf(rs, 'filter'), chain);
  insertFirst(rs, 'filter', 'FORWARD', ['-j DOCKER-USER', '-j DOCKER-ISOLATION-STAGE-1']);
  add(rs, 'filter', 'FORWARD', { out: 'docker0', matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'], jump: '-j ACCEPT' });
  add(rs, 'filter', 'FORWARD', { out: 'docker0', jump: '-j DOCKER' });
  add(rs, 'filter', 'FORWARD', '-i docker0 ! -o docker0 -j ACCEPT');
  add(rs, 'filter', 'FORWARD', { in: 'docker0', out: 'docker0', jump: '-j ACCEPT' });
  add(rs, 'filter', 'FORWARD', { src: '172.20.0.0/16', jump: '-j ACCEPT' });
  add(rs, 'filter', 'FORWARD', { dst: '172.20.0.0/16', jump: '-j ACCEPT' });
  add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-1', '-i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2');
  add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-1', '-j RETURN');
  add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-2', { out: 'docker0', jump: '-j DROP' });
  add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-2', '-j RETURN');
  add(rs, 'filter', 'DOCKER-USER', '-j RETURN');
  setCounters(rs, {
    mangle: {
      PREROUTING: [93311025, 61907411853], INPUT: [40125876, 20015522981], FORWARD: [53092218, 41870310552],
      OUTPUT: [37715092, 9911874003], POSTROUTING: [90807310, 51782184555],
    },
    nat: {
      PREROUTING: [1092834, 65570040], INPUT: [88121, 5287260], OUTPUT: [2201877, 132112620], POSTROUTING: [2917735, 175064100],
    },
    filter: { INPUT: [40125876, 20015522981], FORWARD: [53092218, 41870310552], OUTPUT: [37715092, 9911874003] },
  });
  const ethMac = '00:16:3e:0c:5a:21';
  const bridgeMac = '0a:58:ac:14:01:01';
  const flannelMac = 'd2:6b:40:58:1f:7e';
  const dockerMac = '02:42:3d:9e:51:0c';
  const interfaces: NetInterface[] = [
    loopbackInterface(),
    {
      ...nicInterface(2, 'eth0', ethMac, [
        { ...v4(`${me.ip}/24`, '192.168.0.255'), flags: ['dynamic'], validLft: '315358253sec', preferredLft: '315358253sec' },
        { cidr: `${linkLocal(ethMac)}/64`, scope: 'link' },
      ]),
      parent: 'parentbus virtio parentdev virtio2',
    },
    {
      ...bridgeInterface(3, 'docker0', dockerMac, [v4('172.17.0.1/16', '172.17.255.255')]),
      flags: 'NO-CARRIER,BROADCAST,MULTICAST,UP', state: 'DOWN',
    },
    flannelVxlan(4, flannelMac, me.ip, '172.20.1.0'),
    {
      ...bridgeInterface(5, 'cni0', bridgeMac, [
        v4('172.20.1.1/25', '172.20.1.127'),
        { cidr: `${linkLocal(bridgeMac)}/64`, scope: 'link' },
      ]),
      mtu: 1450,
    },
    kubeIpvs0(6, '8e:1d:04:7f:b2:6a', state.bound),
    ...['vethb51c8e2f', 'veth2d4a9c71'].map((name, k) => {
      const m = mac(`ack-${name}`);
      const netns = netnsId(`ack-${name}`);
      const index = 7 + k;
      const bridge = 'cni0';
      const veth = podVethInterface({ index, name, peerIndex: 3, mac: m, bridge, bridgeMac, port: k + 1, netns, linkLocal: linkLocal(m) });
      return { ...veth, mtu: 1450 };
    }),
  ];
  const main = [
    'default via 192.168.0.253 dev eth0 ',
    '169.254.0.0/16 dev eth0 scope link metric 1002 ',
    '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 linkdown ',
    '172.20.0.128/25 via 172.20.0.128 dev flannel.1 onlink ',
    '172.20.1.0/25 dev cni0 proto kernel scope link src 172.20.1.1 ',
    '172.20.2.0/25 via 172.20.2.0 dev flannel.1 onlink ',
    '172.20.3.0/25 via 172.20.3.0 dev flannel.1 onlink ',
    `192.168.0.0/24 dev eth0 proto kernel scope link src ${me.ip} `,
  ];
  const local = [
    ...addressRoutes(me.ip, 24, 'eth0'), ...addressRoutes('172.17.0.1', 16, 'docker0').map((r) => ({ ...r })),
    {
      type: 'local' as const, dst: '172.20.1.0', dev: 'flannel.1', src: '172.20.1.0',
    }, ...addressRoutes('172.20.1.1', 25, 'cni0'), ...LOOPBACK_ROUTES,
    ...state.bound.map((ip) => ({ type: 'local' as const, dst: ip, dev: 'kube-ipvs0', src: ip })),
  ];
  const lls = [
    { dev: 'eth0', lladdr: linkLocal(ethMac) }, { dev: 'flannel.1', lladdr: linkLocal(flannelMac) },
    { dev: 'cni0', lladdr: linkLocal(bridgeMac) }, ...interfaces.slice(6).map((i) => ({ dev: i.name, lladdr: linkLocal(i.mac) })),
  ];
  return {
    'iptables-save.txt': printIptablesSave(rs, { flavor: 'legacy', version: '1.4.21', date: 'Thu Jul 16 14:05:33 2020' }),
    'ipset-save.txt': printIpsetSave(state.sets, 'ipv4', { bucketsize: false, prng: createPrng(7) }),
    'ipvsadm-Ln.txt': printIpvsadmList(state.virtualServers),
    'ip-addr.txt': printIpAddr(interfaces),
    'ip-route.txt': routeTableAll(main, local, ipv6Routes(lls)),
    'sysctl.txt': sysctlText({
      'net.ipv4.conf.all.route_localnet': '1', 'net.ipv4.ip_local_port_range': '1024\t65000', 'net.ipv4.vs.conn_reuse_mode': '0',
      'net.ipv4.vs.conntrack': '1',
      'net.ipv4.vs.expire_nodest_conn': '1', 'net.ipv4.vs.expire_quiescent_template': '1', 'net.ipv4.tcp_tw_reuse': '0',
    }, ['all', 'cni0', 'default', 'docker0', 'eth0', 'flannel.1', 'kube-ipvs0', 'lo']),
  };
}

// ─── Calico ─────────────────────────────────────────────────────────────────────────────────────

/** Calico rule ids are 16 characters of a hash chained over the chain's rules (felix rules.go). */
function caliIds(chain: string): () => string {
  let prev = chain;
  return () => {
    prev = createHash('sha224').update(prev).digest('base64url').slice(0, 16);
    return prev;
  };
}

function calico(): Files {
  const me: ClusterNode = { name: 'worker-1', ip: '10.0.0.21', podNet: 41 };
  const block = '10.244.41.64/26';
  const workloads = [
    { iface: 'cali1a2b3c4d5e6', ip: '10.244.41.65', profile: 'kns.default', sa: 'cali-pri-_kY7k1lpV6Fhh36W-zM' },
    { iface: 'cali7f8e9d0c1b2', ip: '10.244.41.66', profile: 'kns.kube-system', sa: 'cali-pri-_u2Tn2rSoAPffvE7JO' },
  ];
  const services: ServicePortModel[] = [
    {
      namespace: 'default', name: 'kubernetes', portName: 'https', protocol: 'tcp', clusterIP: '10.96.0.1', port: 443,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [],
      endpoints: [{ ip: '10.0.0.20', port: 6443, nodeName: 'cp-1', local: false }],
    },
    ...(['dns', 'dns-tcp', 'metrics'] as const).map((portName, k): ServicePortModel => ({
      namespace: 'kube-system', name: 'kube-dns', portName, protocol: k === 0 ? 'udp' : 'tcp', clusterIP: '10.96.0.10',
      port: k === 2 ? 9153 : 53,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [],
      endpoints: [
        { ip: '10.244.7.194', port: k === 2 ? 9153 : 53, nodeName: 'cp-1', local: false },
        { ip: '10.244.41.66', port: k === 2 ? 9153 : 53, nodeName: me.name, local: true },
      ],
    })),
    {
      namespace: 'default', name: 'web', portName: 'http', protocol: 'tcp', clusterIP: '10.96.33.4', port: 80, nodePort: 30180,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [],
      endpoints: [
        { ip: '10.244.41.65', port: 8080, nodeName: me.name, local: true },
        { ip: '10.244.12.5', port: 8080, nodeName: 'worker-2', local: false },
      ],
    },
  ];
  const cluster: ClusterModel = {
    node: {
      name: me.name, family: 'ipv4', ip: me.ip, podCidr: block,
      localAddresses: [{ ip: '127.0.0.1', dev: 'lo' }, { ip: me.ip, dev: 'eth0' }],
    },
    clusterCidr: '10.244.0.0/16', serviceCidr: '10.96.0.0/12', services, bindLoadBalancerIPs: true,
  };
  const rs = kubeProxyIptablesCurrent(cluster);
  // felix's jumps go to the top of the builtin chains (ChainInsertMode=insert).
  withTable(rs, 'raw', 0);
  const cali = (table: TableName, chain: string, rules: readonly RuleParts[], insert = false): void => {
    const id = caliIds(`${table}/${chain}/${insert ? 'insert' : 'append'}`);
    const bodies = rules.map((r) => ruleBody({ ...r, matches: [comment(`cali:${id()}`), ...(r.matches ?? [])] }));
    if (insert) insertFirst(rs, table, chain, bodies);
    else for (const b of bodies) add(rs, table, chain, b);
  };
  const accepted = (text: string): string => comment(text);
  const mark = (m: string): string => `-m mark --mark ${m}`;
  // raw
  cali('raw', 'PREROUTING', [{ jump: '-j cali-PREROUTING' }], true);
  cali('raw', 'OUTPUT', [{ jump: '-j cali-OUTPUT' }], true);
  cali('raw', 'cali-PREROUTING', [
    { jump: '-j MARK --set-xmark 0x0/0xf0000' },
    { in: 'cali+', jump: '-j MARK --set-xmark 0x40000/0x40000' },
    { matches: [mark('0x40000/0x40000')], jump: '-j cali-rpf-skip' },
    { matches: [mark('0x40000/0x40000'), '-m rpfilter --validmark --invert'], jump: '-j DROP' },
    { matches: [mark('0x0/0x40000')], jump: '-j cali-from-host-endpoint' },
    { matches: [mark('0x10000/0x10000')], jump: '-j ACCEPT' },
  ]);
  cali('raw', 'cali-OUTPUT', [
    { jump: '-j MARK --set-xmark 0x0/0xf0000' },
    { jump: '-j cali-to-host-endpoint' },
    { matches: [mark('0x10000/0x10000')], jump: '-j ACCEPT' },
  ]);
  for (const chain of [
    'cali-rpf-skip', 'cali-from-host-endpoint', 'cali-to-host-endpoint',
  ]) declareChain(tableOf(rs, 'raw'), chain);
  // mangle
  cali('mangle', 'PREROUTING', [{ jump: '-j cali-PREROUTING' }], true);
  cali('mangle', 'POSTROUTING', [{ jump: '-j cali-POSTROUTING' }], true);
  cali('mangle', 'cali-PREROUTING', [
    { matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'], jump: '-j ACCEPT' },
    { matches: [mark('0x10000/0x10000')], jump: '-j ACCEPT' },
    { jump: '-j cali-from-host-endpoint' },
    { matches: [accepted('Host endpoint policy accepted packet.'), mark('0x10000/0x10000')], jump: '-j ACCEPT' },
  ]);
  cali('mangle', 'cali-POSTROUTING', [
    { matches: [mark('0x10000/0x10000')], jump: '-j RETURN' },
    { jump: '-j MARK --set-xmark 0x0/0xf0000' },
    { matches: ['-m conntrack --ctstate DNAT'], jump: '-j cali-to-host-endpoint' },
    { matches: [accepted('Host endpoint policy accepted packet.'), mark('0x10000/0x10000')], jump: '-j RETURN' },
  ]);
  for (const chain of ['cali-from-host-endpoint', 'cali-to-host-endpoint']) declareChain(tableOf(rs, 'mangle'), chain);
  // filter
  cali('filter', 'INPUT', [{ jump: '-j cali-INPUT' }], true);
  cali('filter', 'OUTPUT', [{ jump: '-j cali-OUTPUT' }], true);
  cali('filter', 'FORWARD', [{ jump: '-j cali-FORWARD' }], true);
  cali('filter', 'FORWARD', [
    { matches: [accepted('Policy explicitly accepted packet.'), mark('0x10000/0x10000')], jump: '-j ACCEPT' },
    { jump: '-j MARK --set-xmark 0x10000/0x10000' },
  ]);
  cali('filter', 'cali-FORWARD', [
    { jump: '-j MARK --set-xmark 0x0/0xe0000' },
    { matches: [mark('0x0/0x10000')], jump: '-j cali-from-hep-forward' },
    { in: 'cali+', jump: '-j cali-from-wl-dispatch' },
    { out: 'cali+', jump: '-j cali-to-wl-dispatch' },
    { jump: '-j cali-to-hep-forward' },
    { jump: '-j cali-cidr-block' },
  ]);
  cali('filter', 'cali-INPUT', [
    {
      proto: 'ipencap',
      matches: [
        accepted('Allow IPIP packets from Calico hosts'), '-m set --match-set cali40all-hosts-net src',
        '-m addrtype --dst-type LOCAL',
      ],
      jump: '-j ACCEPT',
    },
    { proto: 'ipencap', matches: [accepted('Drop IPIP packets from non-Calico hosts')], jump: '-j DROP' },
    { in: 'cali+', jump: '-g cali-wl-to-host' },
    { matches: [mark('0x10000/0x10000')], jump: '-j ACCEPT' },
    { jump: '-j MARK --set-xmark 0x0/0xf0000' },
    { jump: '-j cali-from-host-endpoint' },
    { matches: [accepted('Host endpoint policy accepted packet.'), mark('0x10000/0x10000')], jump: '-j ACCEPT' },
  ]);
  cali('filter', 'cali-OUTPUT', [
    { matches: [mark('0x10000/0x10000')], jump: '-j ACCEPT' },
    { out: 'cali+', jump: '-j RETURN' },
    {
      proto: 'ipencap',
      matches: [
        accepted('Allow IPIP packets to other Calico hosts'), '-m set --match-set cali40all-hosts-net dst',
        '-m addrtype --src-type LOCAL',
      ],
      jump: '-j ACCEPT',
    },
    { jump: '-j MARK --set-xmark 0x0/0xf0000' },
    { matches: ['-m conntrack ! --ctstate DNAT'], jump: '-j cali-to-host-endpoint' },
    { matches: [accepted('Host endpoint policy accepted packet.'), mark('0x10000/0x10000')], jump: '-j ACCEPT' },
  ]);
  const unknown: RuleParts = { matches: [accepted('Unknown interface')], jump: '-j DROP' };
  cali('filter', 'cali-from-wl-dispatch', [...workloads.map((w) => ({ in: w.iface, jump: `-g cali-fw-${w.iface}` })), unknown]);
  cali('filter', 'cali-to-wl-dispatch', [...workloads.map((w) => ({ out: w.iface, jump: `-g cali-tw-${w.iface}` })), unknown]);
  for (const w of workloads) {
    cali('filter', `cali-fw-${w.iface}`, [
      { matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'], jump: '-j ACCEPT' },
      { matches: ['-m conntrack --ctstate INVALID'], jump: '-j DROP' },
      { jump: '-j MARK --set-xmark 0x0/0x10000' },
      {
        proto: 'udp', matches: [accepted('Drop VXLAN encapped packets originating in workloads'), '-m multiport --dports 4789'],
        jump: '-j DROP',
      },
      { proto: 'ipencap', matches: [accepted('Drop IPinIP encapped packets originating in workloads')], jump: '-j DROP' },
      { jump: `-j cali-pro-${w.profile}` },
      { matches: [accepted('Return if profile accepted'), mark('0x10000/0x10000')], jump: '-j RETURN' },
      { jump: `-j ${w.sa.replace('cali-pri-', 'cali-pro-')}` },
      { matches: [accepted('Return if profile accepted'), mark('0x10000/0x10000')], jump: '-j RETURN' },
      { matches: [accepted('Drop if no profiles matched')], jump: '-j DROP' },
    ]);
    cali('filter', `cali-tw-${w.iface}`, [
      { matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'], jump: '-j ACCEPT' },
      { matches: ['-m conntrack --ctstate INVALID'], jump: '-j DROP' },
      { jump: '-j MARK --set-xmark 0x0/0x10000' },
      { jump: `-j cali-pri-${w.profile}` },
      { matches: [accepted('Return if profile accepted'), mark('0x10000/0x10000')], jump: '-j RETURN' },
      { jump: `-j ${w.sa}` },
      { matches: [accepted('Return if profile accepted'), mark('0x10000/0x10000')], jump: '-j RETURN' },
      { matches: [accepted('Drop if no profiles matched')], jump: '-j DROP' },
    ]);
    for (const prefix of ['cali-pri-', 'cali-pro-']) {
      cali('filter', `${prefix}${w.profile}`, [
        { jump: '-j MARK --set-xmark 0x10000/0x10000' }, { matches: [mark('0x10000/0x10000')], jump: '-j RETURN' },
      ]);
      declareChain(tableOf(rs, 'filter'), w.sa.replace('cali-pri-', prefix));
    }
  }
  cali('filter', 'cali-wl-to-host', [
    { jump: '-j cali-from-wl-dispatch' }, { matches: [accepted('Configured DefaultEndpointToHostAction')], jump: '-j ACCEPT' },
  ]);
  for (const chain of [
    'cali-cidr-block', 'cali-from-hep-forward', 'cali-to-hep-forward', 'cali-from-host-endpoint', 'cali-to-host-endpoint',
  ]) declareChain(tableOf(rs, 'filter'), chain);
  // nat
  cali('nat', 'PREROUTING', [{ jump: '-j cali-PREROUTING' }], true);
  cali('nat', 'OUTPUT', [{ jump: '-j cali-OUTPUT' }], true);
  cali('nat', 'POSTROUTING', [{ jump: '-j cali-POSTROUTING' }], true);
  cali('nat', 'cali-PREROUTING', [{ jump: '-j cali-fip-dnat' }]);
  cali('nat', 'cali-OUTPUT', [{ jump: '-j cali-fip-dnat' }]);
  cali('nat', 'cali-POSTROUTING', [
    { jump: '-j cali-fip-snat' },
    { jump: '-j cali-nat-outgoing' },
    {
      out: 'tunl0', matches: ['-m addrtype ! --src-type LOCAL --limit-iface-out', '-m addrtype --src-type LOCAL'],
      jump: '-j MASQUERADE --random-fully',
    },
  ]);
  cali('nat', 'cali-nat-outgoing', [{
    matches: ['-m set --match-set cali40masq-ipam-pools src', '-m set ! --match-set cali40all-ipam-pools dst'],
    jump: '-j MASQUERADE --random-fully',
  }]);
  for (const chain of ['cali-fip-dnat', 'cali-fip-snat']) declareChain(tableOf(rs, 'nat'), chain);

  const sets = [
    { name: 'cali40all-ipam-pools', type: 'hash:net', entries: ['10.244.0.0/16'] },
    { name: 'cali40masq-ipam-pools', type: 'hash:net', entries: ['10.244.0.0/16'] },
    { name: 'cali40all-hosts-net', type: 'hash:net', entries: ['10.0.0.20', '10.0.0.21', '10.0.0.22'] },
  ];
  const init = createPrng(41);
  const create = (s: { name: string; type: string }): string =>
    `create ${s.name} ${s.type} family inet hashsize 1024 maxelem 1048576 bucketsize 12 ` +
    `initval 0x${init.int(0, 0xffffffff).toString(16).padStart(8, '0')}`;
  const ipset = `${sets.flatMap((s) => [create(s), ...s.entries.map((e) => `add ${s.name} ${e}`)]).join('\n')}\n`;
  const route = [
    'default via 10.0.0.1 dev eth0 proto static ',
    '10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.21 ',
    '10.244.7.192/26 via 10.0.0.20 dev tunl0 proto bird onlink ',
    '10.244.12.0/26 via 10.0.0.22 dev tunl0 proto bird onlink ',
    `blackhole ${block} proto bird `,
    ...workloads.map((w) => `${w.ip} dev ${w.iface} scope link `),
  ];
  return {
    'iptables-save.txt': printIptablesSave(rs, DEBIAN12_NFT('Fri Nov 20 16:03:51 2026')),
    'ipset-save.txt': ipset,
    'ip-route.txt': `${route.join('\n')}\n`,
  };
}

// ─── Docker host ────────────────────────────────────────────────────────────────────────────────

function dockerHost(): Files {
  const rs = createRuleset('ipv4', ['nat', 'filter']);
  const br = 'br-5a1d2c3b4e6f';
  tableOf(rs, 'filter').builtins[1] = { name: 'FORWARD', policy: 'DROP', packets: 0, bytes: 0 };
  for (const chain of [
    'DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER',
  ]) declareChain(tableOf(rs, 'filter'), chain);
  add(rs, 'nat', 'PREROUTING', { matches: ['-m addrtype --dst-type LOCAL'], jump: '-j DOCKER' });
  add(rs, 'nat', 'OUTPUT', { dst: '127.0.0.0/8', notDst: true, matches: ['-m addrtype --dst-type LOCAL'], jump: '-j DOCKER' });
  add(rs, 'nat', 'POSTROUTING', `-s 172.18.0.0/16 ! -o ${br} -j MASQUERADE`);
  add(rs, 'nat', 'POSTROUTING', '-s 172.17.0.0/16 ! -o docker0 -j MASQUERADE');
  add(rs, 'nat', 'POSTROUTING', {
    src: '172.17.0.2',
    dst: '172.17.0.2',
    proto: 'tcp',
    matches: ['-m tcp --dport 80'],
    jump: '-j MASQUERADE',
  });
  add(rs, 'nat', 'POSTROUTING', {
    src: '172.18.0.3',
    dst: '172.18.0.3',
    proto: 'tcp',
    matches: ['-m tcp --dport 5432'],
    jump: '-j MASQUERADE',
  });
  add(rs, 'nat', 'DOCKER', { in: br, jump: '-j RETURN' });
  add(rs, 'nat', 'DOCKER', { in: 'docker0', jump: '-j RETURN' });
  add(rs, 'nat', 'DOCKER', '! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80');
  add(rs, 'nat', 'DOCKER', `-d 127.0.0.1/32 ! -i ${br} -p tcp -m tcp --dport 5432 -j DNAT --to-destination 172.18.0.3:5432`);
  for (const rule of ['-j DOCKER-USER', '-j DOCKER-ISOLATION-STAGE-1']) add(rs, 'filter', 'FORWARD', rule);
  for (const dev of [br, 'docker0']) {
    add(rs, 'filter', 'FORWARD', { out: dev, matches: ['-m conntrack --ctstate RELATED,ESTABLISHED'], jump: '-j ACCEPT' });
    add(rs, 'filter', 'FORWARD', { out: dev, jump: '-j DOCKER' });
    add(rs, 'filter', 'FORWARD', `-i ${dev} ! -o ${dev} -j ACCEPT`);
    add(rs, 'filter', 'FORWARD', { in: dev, out: dev, jump: '-j ACCEPT' });
  }
  add(rs, 'filter', 'DOCKER', `-d 172.17.0.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT`);
  add(rs, 'filter', 'DOCKER', `-d 172.18.0.3/32 ! -i ${br} -o ${br} -p tcp -m tcp --dport 5432 -j ACCEPT`);
  for (const dev of [br, 'docker0']) add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-1', `-i ${dev} ! -o ${dev} -j DOCKER-ISOLATION-STAGE-2`);
  add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-1', '-j RETURN');
  for (const dev of [br, 'docker0']) add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-2', { out: dev, jump: '-j DROP' });
  add(rs, 'filter', 'DOCKER-ISOLATION-STAGE-2', '-j RETURN');
  add(rs, 'filter', 'DOCKER-USER', '-j RETURN');
  setCounters(rs, {
    nat: { PREROUTING: [20934, 1312774], INPUT: [1711, 102341], OUTPUT: [30115, 2141280], POSTROUTING: [30410, 2160916] },
    filter: { INPUT: [1874312, 1411028834], FORWARD: [0, 0], OUTPUT: [1266503, 187314552] },
  });
  const ethMac = '52:54:00:7a:31:c4';
  const dockerMac = '02:42:8c:1d:5e:f0';
  const brMac = '02:42:b7:60:0a:19';
  const veths = [
    { name: 'veth9d2c4a1', bridge: 'docker0', bridgeMac: dockerMac, seed: 'web', peer: 10 },
    { name: 'vethe81f07b', bridge: br, bridgeMac: brMac, seed: 'db', peer: 12 },
  ];
  const interfaces: NetInterface[] = [
    loopbackInterface(),
    nicInterface(2, 'eth0', ethMac, [{
      ...v4('192.168.1.20/24', '192.168.1.255'), flags: ['dynamic'], validLft: '71003sec', preferredLft: '71003sec',
    }, { cidr: `${linkLocal(ethMac)}/64`, scope: 'link' }], 'enp1s0'),
    bridgeInterface(3, 'docker0', dockerMac, [
      v4('172.17.0.1/16', '172.17.255.255'),
      { cidr: `${linkLocal(dockerMac)}/64`, scope: 'link' },
    ]),
    bridgeInterface(4, br, brMac, [v4('172.18.0.1/16', '172.18.255.255'), { cidr: `${linkLocal(brMac)}/64`, scope: 'link' }]),
    ...veths.map((v, k) => {
      const m = mac(`docker-${v.seed}`);
      const i = podVethInterface({
        index: 5 + k, name: v.name, peerIndex: v.peer, mac: m, bridge: v.bridge, bridgeMac: v.bridgeMac, port: 1, netns: '',
        linkLocal: linkLocal(m),
      });
      return { ...i, linkNetns: undefined, linkNetnsId: k, details: i.details.map((d) => d.replace('hairpin on', 'hairpin off')) };
    }),
  ];
  const main = [
    'default via 192.168.1.1 dev eth0 proto dhcp src 192.168.1.20 metric 100 ',
    '172.17.0.0/16 dev docker0 proto kernel scope link src 172.17.0.1 ',
    `172.18.0.0/16 dev ${br} proto kernel scope link src 172.18.0.1 `,
    '192.168.1.0/24 dev eth0 proto kernel scope link src 192.168.1.20 metric 100 ',
    '192.168.1.1 dev eth0 proto dhcp scope link src 192.168.1.20 metric 100 ',
  ];
  const local = [
    ...addressRoutes('192.168.1.20', 24, 'eth0'), ...addressRoutes('172.17.0.1', 16, 'docker0'),
    ...addressRoutes('172.18.0.1', 16, br), ...LOOPBACK_ROUTES,
  ];
  const lls = [
    { dev: 'eth0', lladdr: linkLocal(ethMac) }, { dev: 'docker0', lladdr: linkLocal(dockerMac) },
    { dev: br, lladdr: linkLocal(brMac) }, ...interfaces.slice(4).map((i) => ({ dev: i.name, lladdr: linkLocal(i.mac) })),
  ];
  return {
    'iptables-save.txt': printIptablesSave(rs, { flavor: 'legacy', version: '1.8.4', date: 'Sat Nov 14 19:27:02 2026' }),
    'ip-addr.txt': printIpAddr(interfaces),
    'ip-route.txt': routeTableAll(main, local, ipv6Routes(lls)),
  };
}

// ─── IPv6 (dual-stack kube-proxy, ip6tables side) ───────────────────────────────────────────────

function ipv6Node(): Files {
  const p = (net: number, host: string): string => (net === 0 ? `fd00:10:244::${host}` : `fd00:10:244:${net}::${host}`);
  const ep = (ip: string, node: string, port: number): EndpointModel => ({ ip, port, nodeName: node, local: node === NODE_A.name });
  const dns = [ep(p(0, '2'), CP1.name, 53), ep(p(1, '3'), NODE_A.name, 53)];
  const services: ServicePortModel[] = [
    ...(['dns', 'dns-tcp', 'metrics'] as const).map((portName, k): ServicePortModel => ({
      namespace: 'kube-system', name: 'kube-dns', portName, protocol: k === 0 ? 'udp' : 'tcp', clusterIP: 'fd00:10:96::a',
      port: k === 2 ? 9153 : 53,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [], endpoints: dns.map((e) => ({
        ...e, port: k === 2 ? 9153 : 53,
      })),
    })),
    {
      namespace: 'shop', name: 'cart', portName: 'http', protocol: 'tcp', clusterIP: 'fd00:10:96::2d0c', port: 8080,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [],
      endpoints: [ep(p(1, '7'), NODE_A.name, 8080), ep(p(2, '9'), NODE_B.name, 8080)],
    },
    {
      namespace: 'web', name: 'frontend', portName: 'http', protocol: 'tcp', clusterIP: 'fd00:10:96::7805', port: 80,
      nodePort: 30080, loadBalancerIPs: ['2001:db8:100::64'],
      externalPolicy: 'Local', healthCheckNodePort: 32100, sourceRanges: [], endpoints: [
        ep(p(1, '5'), NODE_A.name, 8080), ep(p(3, '7'), NODE_C.name, 8080),
      ],
    },
    {
      namespace: 'web', name: 'api', portName: 'https', protocol: 'tcp', clusterIP: 'fd00:10:96::8208', port: 443, nodePort: 30443,
      loadBalancerIPs: ['2001:db8:100::65'], externalPolicy: 'Cluster', sourceRanges: [], affinityTimeout: 10800,
      endpoints: [ep(p(1, '6'), NODE_A.name, 8443), ep(p(2, '8'), NODE_B.name, 8443)],
    },
    {
      namespace: 'shop', name: 'legacy', portName: 'http', protocol: 'tcp', clusterIP: 'fd00:10:96::a002', port: 8080,
      loadBalancerIPs: [], externalPolicy: 'Cluster', sourceRanges: [], endpoints: [],
    },
  ];
  const cluster: ClusterModel = {
    node: {
      name: NODE_A.name, family: 'ipv6', ip: '2001:db8:0:1::11', podCidr: 'fd00:10:244:1::/64',
      localAddresses: [{ ip: '2001:db8:0:1::11', dev: 'eth0' }],
    },
    clusterCidr: 'fd00:10:244::/56', serviceCidr: 'fd00:10:96::/112', services, bindLoadBalancerIPs: true,
  };
  const rs = kubeProxyIptablesCurrent(cluster);
  addFlannel(rs, cluster.clusterCidr, cluster.node.podCidr);
  // The image's baseline: ICMPv6 that IPv6 needs (echo, NDP, router discovery, packet too big).
  for (const type of [1, 2, 3, 4, 128, 133, 134, 135, 136]) add(rs, 'filter', 'INPUT', {
    proto: 'ipv6-icmp',
    matches: [`-m icmp6 --icmpv6-type ${type}`],
    jump: '-j ACCEPT',
  });
  return { 'ip6tables-save.txt': printIptablesSave(rs, DEBIAN12_NFT('Mon Nov 16 10:42:17 2026')) };
}

// ─── Writing ────────────────────────────────────────────────────────────────────────────────────

/**
 * The kernel's own `ipset save` and `ipset list` for a bundle's sets, with its rules loaded so the
 * References counts are real. The sets keep the bundle's initval, so the member order (the hash
 * walk) is the same on every run. Undefined when not root or network namespaces are unavailable.
 */
function kernelIpsets(ipsetSave: string, iptablesSave: string, restore: string): { save: string; list: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const ns = `iptl-samples-${process.pid}-build`;
  if (spawnSync('ip', ['netns', 'add', ns]).status !== 0) return undefined;
  try {
    const loaded = spawnSync('ip', ['netns', 'exec', ns, 'ipset', 'restore'], { input: ipsetSave });
    const rules = spawnSync('ip', ['netns', 'exec', ns, restore], { input: iptablesSave });
    if (loaded.status !== 0 || rules.status !== 0) {
      throw new Error(`kernel refused the sets or rules: ${String(loaded.stderr)}${String(rules.stderr)}`);
    }
    const save = spawnSync('ip', ['netns', 'exec', ns, 'ipset', 'save'], { encoding: 'utf8' }).stdout;
    const list = spawnSync('ip', ['netns', 'exec', ns, 'ipset', 'list'], { encoding: 'utf8' }).stdout;
    return { save, list };
  } finally {
    spawnSync('ip', ['netns', 'delete', ns]);
  }
}

/** Replace a bundle's ipset-save.txt by the kernel's (hash order), adding ipset-list.txt when asked. */
function withKernelIpsets(bundle: string, files: Files, restore: string, list: boolean): Files {
  const kernel = kernelIpsets(files['ipset-save.txt'] ?? '', files['iptables-save.txt'] ?? '', restore);
  if (kernel === undefined) {
    process.stderr.write(`${bundle}: ipset files left in generation order; the kernel's order needs root and network namespaces\n`);
    return files;
  }
  return { ...files, 'ipset-save.txt': kernel.save, ...(list ? { 'ipset-list.txt': kernel.list } : {}) };
}

function write(bundle: string, files: Files): void {
  const dir = join(here, bundle);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

function main(): void {
  write('iptables-current', iptablesCurrent());
  write('iptables-legacy-pre124', iptablesLegacyPre124());

  const local = tkeIpvsNode(NODE_A, 'Local', NODE_A_PODS, 'Mon Nov 16 10:58:03 2026', 11);
  write('ipvs-local', withKernelIpsets('ipvs-local', {
    ...local.files, 'ipvsadm-Ln.txt': printIpvsadmList(local.state.virtualServers),
  }, 'iptables-nft-restore', true));

  const cluster = tkeIpvsNode(NODE_A, 'Cluster', NODE_A_PODS, 'Mon Nov 16 11:07:45 2026', 12);
  write('ipvs-cluster', withKernelIpsets('ipvs-cluster', {
    ...cluster.files, 'ipvsadm-Sn.txt': printIpvsadmSave(cluster.state.virtualServers),
  }, 'iptables-nft-restore', false));

  const nodeB = tkeIpvsNode(NODE_B, 'Local', [8, 9, 10, 11, 12], 'Mon Nov 16 10:59:31 2026', 13);
  write('ipvs-local-node-b', withKernelIpsets('ipvs-local-node-b', {
    ...nodeB.files, 'ipvsadm-Ln.txt': printIpvsadmList(nodeB.state.virtualServers),
  }, 'iptables-nft-restore', false));

  const clusterB = tkeIpvsNode(NODE_B, 'Cluster', [8, 9, 10, 11, 12], 'Mon Nov 16 11:08:12 2026', 14);
  write('ipvs-cluster-node-b', withKernelIpsets('ipvs-cluster-node-b', {
    ...clusterB.files, 'ipvsadm-Ln.txt': printIpvsadmList(clusterB.state.virtualServers),
  }, 'iptables-nft-restore', false));

  // ipset 7.1 on the 4.19 kernels of that time prints neither bucketsize nor initval, and the
  // member order of its hash walk is not reproducible here: keep the generation order.
  write('ipvs-bound-lb', ackBoundLb());
  write('calico', withKernelIpsets('calico', calico(), 'iptables-nft-restore', false));
  write('docker-host', dockerHost());
  write('ipv6', ipv6Node());
}

main();
