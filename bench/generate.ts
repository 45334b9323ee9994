/**
 * A deterministic kube-proxy node, as the dump files a user collects from it.
 *
 * `generateNode({ services, mode, generation, seed })` synthesises a cluster (Services with 1–4
 * endpoints, some on this node; ClusterIP / NodePort / LoadBalancer; `Local` and `Cluster` external
 * policies; session affinity; a few Services without endpoints) and prints what the node would
 * show: `iptables-save` (and, in IPVS mode, `ipset save`, `ipvsadm -Ln`, `ip -d addr`).
 *
 * The rule layouts mirror kubernetes/kubernetes (read for this file, not copied):
 *  - pkg/proxy/iptables/proxier.go, 1.28+ ("current"): KUBE-SVC/SVL/EXT/FW/SEP chains, KUBE-PROXY-FIREWALL,
 *    KUBE-EXTERNAL-SERVICES, comments dropped from SVC/SEP rules past 1000 endpoints (largeClusterMode).
 *  - the same file in 1.19–1.21 ("pre124"): masquerade rules in KUBE-SERVICES, KUBE-XLB-* for `Local`,
 *    KUBE-FW-* ending in KUBE-MARK-DROP, kubelet's KUBE-MARK-DROP / KUBE-FIREWALL.
 *  - pkg/proxy/ipvs/proxier.go + ipset.go, 1.28+ ("current": KUBE-IPVS-FILTER, KUBE-PROXY-FIREWALL,
 *    a Local Service without local endpoints keeps every endpoint, kubernetes#97081) and 1.18 ("pre124":
 *    nat KUBE-FIREWALL, mark-matching MASQUERADE, a Local Service without local endpoints has none).
 * What the tools print (option order, `/32`, quoted comments, 11-digit probabilities, `--set-xmark`,
 * `recent --mask … --rsource`, sorted chains) is checked against the real iptables-save by
 * test/bench/generate.test.ts, which loads the output into a network namespace and saves it again.
 *
 * Size: this file is long on purpose. The cluster model, kube-proxy's two rule layouts per mode and
 * the printers must agree on every chain name and address, and samples/build-samples.ts reuses all
 * of them for the hand-specified sample nodes; one file keeps that contract in one place.
 */
import { createHash } from 'node:crypto';

// ─── Options and the cluster model ──────────────────────────────────────────────────────────────

export type ProxyMode = 'iptables' | 'ipvs';
/** `current` = kube-proxy 1.28+; `pre124` = iptables 1.19–1.21 layout, IPVS 1.18 layout. */
export type ProxyGeneration = 'current' | 'pre124';

export interface GenerateOptions {
  /** Number of Service objects (kube-dns counts as one; it has three ports). */
  readonly services: number;
  readonly mode: ProxyMode;
  readonly generation?: ProxyGeneration;
  /** PRNG seed; the same options always give byte-identical files. Default 1. */
  readonly seed?: number;
}

export interface GeneratedNode {
  /** File name (`iptables-save.txt`, …) → contents. */
  readonly files: Record<string, string>;
  /** The cluster the files were printed from (ground truth for tests and benchmarks). */
  readonly cluster: ClusterModel;
}

export type Family = 'ipv4' | 'ipv6';
export type L4Protocol = 'tcp' | 'udp';
export type ExternalPolicy = 'Cluster' | 'Local';

export interface EndpointModel {
  readonly ip: string;
  readonly port: number;
  /** Node the endpoint runs on. */
  readonly nodeName: string;
  /** True when the endpoint runs on the node the dump is from. */
  readonly local: boolean;
}

/** One port of one Service: kube-proxy's unit of work (a "ServicePortName"). */
export interface ServicePortModel {
  readonly namespace: string;
  readonly name: string;
  /** Port name; empty for a single unnamed port. */
  readonly portName: string;
  readonly protocol: L4Protocol;
  readonly clusterIP: string;
  readonly port: number;
  readonly nodePort?: number;
  readonly loadBalancerIPs: readonly string[];
  readonly externalPolicy: ExternalPolicy;
  /** Set by the API server for LoadBalancer Services with `externalTrafficPolicy: Local`. */
  readonly healthCheckNodePort?: number;
  /** `loadBalancerSourceRanges`. */
  readonly sourceRanges: readonly string[];
  /** `sessionAffinity: ClientIP` timeout in seconds; absent for no affinity. */
  readonly affinityTimeout?: number;
  readonly endpoints: readonly EndpointModel[];
}

export interface NodeAddress {
  readonly ip: string;
  readonly dev: string;
}

export interface NodeModel {
  readonly name: string;
  readonly family: Family;
  /** Primary address (kube-proxy's node IP, `--hostname-override` node). */
  readonly ip: string;
  /** This node's pod CIDR. */
  readonly podCidr: string;
  /** Every local address outside kube-ipvs0 (IPVS NodePorts listen on them). */
  readonly localAddresses: readonly NodeAddress[];
}

export interface ClusterModel {
  readonly node: NodeModel;
  /** kube-proxy `--cluster-cidr` (its local-traffic detector). */
  readonly clusterCidr: string;
  readonly serviceCidr: string;
  readonly services: readonly ServicePortModel[];
  /**
   * IPVS: whether LoadBalancer IPs are bound on kube-ipvs0. Upstream kube-proxy binds them; TKE's
   * does not (CLB health probes come from the VIP and would be dropped as martians otherwise).
   */
  readonly bindLoadBalancerIPs: boolean;
}

// ─── Seeded PRNG (no Math.random: outputs must repeat for a seed) ──────────────────────────────

export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: tiny, fast, good enough to spread test data. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

// ─── Addresses and kube-proxy's chain names ─────────────────────────────────────────────────────

export function ipv4ToInt(ip: string): number {
  const [a = 0, b = 0, c = 0, d = 0] = ip.split('.').map(Number);
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

export function intToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** How iptables-save prints a host address: with its prefix length. */
function hostPrefix(address: string): string {
  if (address.includes('/')) return address;
  return address.includes(':') ? `${address}/128` : `${address}/32`;
}

/** `ip:port` as Go's net.JoinHostPort writes it (kube-proxy's endpoint string). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** First 16 characters of base32(sha256(text)), as pkg/proxy/iptables/proxier.go portProtoHash. */
export function kubeHash(text: string): string {
  const digest = createHash('sha256').update(text).digest();
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 16) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === 16) break;
  }
  return out;
}

/** kube-proxy's ServicePortName.String(): `ns/name:port`, or `ns/name` for an unnamed port. */
export function servicePortName(s: ServicePortModel): string {
  return s.portName === '' ? `${s.namespace}/${s.name}` : `${s.namespace}/${s.name}:${s.portName}`;
}

export interface ServiceChains {
  readonly svc: string;
  readonly svl: string;
  readonly ext: string;
  readonly fw: string;
  readonly xlb: string;
  sep(endpoint: EndpointModel): string;
}

export function serviceChains(s: ServicePortModel): ServiceChains {
  const name = servicePortName(s);
  const hash = kubeHash(name + s.protocol);
  return {
    svc: `KUBE-SVC-${hash}`,
    svl: `KUBE-SVL-${hash}`,
    ext: `KUBE-EXT-${hash}`,
    fw: `KUBE-FW-${hash}`,
    xlb: `KUBE-XLB-${hash}`,
    sep: (e) => `KUBE-SEP-${kubeHash(name + s.protocol + joinHostPort(e.ip, e.port))}`,
  };
}

/**
 * What iptables-save prints for kube-proxy's `--probability` of 1/n. kube-proxy writes `%0.10f`;
 * libxt_statistic stores lround(p * 2^31) and prints stored / 2^31 with `%.11f`.
 */
export function savedProbability(n: number): string {
  const written = Number((1 / n).toFixed(10));
  const stored = Math.round(written * 0x80000000);
  return (stored / 0x80000000).toFixed(11);
}

// ─── A ruleset, printed as iptables-save prints it ──────────────────────────────────────────────

export type TableName = 'raw' | 'mangle' | 'filter' | 'nat';

export interface BuiltinChain {
  readonly name: string;
  readonly policy: 'ACCEPT' | 'DROP';
  packets: number;
  bytes: number;
}

export interface Table {
  readonly name: TableName;
  readonly builtins: BuiltinChain[];
  /** User chains (declared even when empty). */
  readonly userChains: Set<string>;
  /** Chain → rule bodies (the text after `-A CHAIN `), in order. */
  readonly rules: Map<string, string[]>;
}

export interface Ruleset {
  readonly family: Family;
  /** In the order iptables-save prints them (nft: creation order; legacy: newest module first). */
  readonly tables: Table[];
}

const BUILTINS: Record<TableName, readonly string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

/** The tables of a kube-proxy node with the nft backend (creation order; printing sorts them). */
export const NFT_TABLE_ORDER: readonly TableName[] = ['mangle', 'filter', 'nat'];
/** iptables-nft-save walks a fixed list (nft-shared's xtables_ipv4: mangle, security, raw, filter, nat). */
const NFT_PRINT_ORDER: readonly TableName[] = ['mangle', 'raw', 'filter', 'nat'];
/**
 * iptables-legacy-save follows /proc/net/ip_tables_names, newest-registered module first: on a node
 * where docker or kubelet loaded filter, then nat, and kube-proxy's canary loaded mangle last, that
 * is mangle, nat, filter. Rulesets keep this order when printed with the legacy flavor.
 */
export const LEGACY_TABLE_ORDER: readonly TableName[] = ['mangle', 'nat', 'filter'];

export function createRuleset(family: Family, tableOrder: readonly TableName[]): Ruleset {
  return {
    family,
    tables: tableOrder.map((name) => ({
      name,
      builtins: BUILTINS[name].map((chain) => ({ name: chain, policy: 'ACCEPT' as const, packets: 0, bytes: 0 })),
      userChains: new Set<string>(),
      rules: new Map<string, string[]>(),
    })),
  };
}

export function tableOf(rs: Ruleset, name: TableName): Table {
  const table = rs.tables.find((t) => t.name === name);
  if (table === undefined) throw new Error(`ruleset has no ${name} table`);
  return table;
}

export function declareChain(table: Table, chain: string): void {
  if (!table.builtins.some((b) => b.name === chain)) table.userChains.add(chain);
}

/** Append a rule body; user chains it names as `-A` are declared on the way. */
export function appendRule(table: Table, chain: string, body: string): void {
  declareChain(table, chain);
  let list = table.rules.get(chain);
  if (list === undefined) {
    list = [];
    table.rules.set(chain, list);
  }
  list.push(body);
}

/** The parts of a rule in the order iptables-save prints them. */
export interface RuleParts {
  readonly src?: string;
  readonly notSrc?: boolean;
  readonly dst?: string;
  readonly notDst?: boolean;
  readonly in?: string;
  readonly out?: string;
  readonly proto?: string;
  /** Matches, each already in saved form (`-m tcp --dport 80`). */
  readonly matches?: readonly string[];
  /** Target with its options (`-j KUBE-MARK-MASQ`), absent for a rule without target. */
  readonly jump?: string;
}

/**
 * iptables-save order (iptables/iptables.c print_firewall → save): addresses, interfaces, protocol,
 * then matches in the order given, then the target. Hosts get their /32 or /128.
 */
export function ruleBody(p: RuleParts): string {
  const parts: string[] = [];
  if (p.src !== undefined) parts.push(`${p.notSrc === true ? '! ' : ''}-s ${hostPrefix(p.src)}`);
  if (p.dst !== undefined) parts.push(`${p.notDst === true ? '! ' : ''}-d ${hostPrefix(p.dst)}`);
  if (p.in !== undefined) parts.push(`-i ${p.in}`);
  if (p.out !== undefined) parts.push(`-o ${p.out}`);
  if (p.proto !== undefined) parts.push(`-p ${p.proto}`);
  if (p.matches !== undefined) parts.push(...p.matches);
  if (p.jump !== undefined) parts.push(p.jump);
  return parts.join(' ');
}

/**
 * A string option as iptables-save prints it (libxtables xtables_save_string): bare when it is
 * only `[A-Za-z0-9_-]`, otherwise double-quoted with `"`, `\\` and `'` backslash-escaped.
 */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return value;
  return `"${value.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** Append a rule given by its parts. */
export function rule(table: Table, chain: string, parts: RuleParts): void {
  appendRule(table, chain, ruleBody(parts));
}

export function comment(text: string): string {
  return `-m comment --comment ${saveString(text)}`;
}

export type SaveFlavor = 'nft' | 'legacy';

export interface SaveHeader {
  readonly flavor: SaveFlavor;
  /** iptables version, e.g. `1.8.9`. */
  readonly version: string;
  /** The `on …` date, as ctime prints it. */
  readonly date: string;
}

export function printIptablesSave(rs: Ruleset, header: SaveHeader): string {
  const v6 = rs.family === 'ipv6' ? '6' : '';
  const tool = header.flavor === 'nft' ? `ip${v6}tables-nft-save v${header.version} (nf_tables)` : `ip${v6}tables-save v${header.version}`;
  const out: string[] = [];
  const rank = (t: Table): number => NFT_PRINT_ORDER.indexOf(t.name);
  const tables = header.flavor === 'nft' ? [...rs.tables].sort((a, b) => rank(a) - rank(b)) : rs.tables;
  for (const table of tables) {
    out.push(`# Generated by ${tool} on ${header.date}`, `*${table.name}`);
    for (const b of table.builtins) out.push(`:${b.name} ${b.policy} [${b.packets}:${b.bytes}]`);
    const user = [...table.userChains].sort();
    for (const chain of user) out.push(`:${chain} - [0:0]`);
    for (const chain of [...table.builtins.map((b) => b.name), ...user]) {
      for (const body of table.rules.get(chain) ?? []) out.push(`-A ${chain} ${body}`);
    }
    out.push('COMMIT', `# Completed on ${header.date}`);
  }
  return `${out.join('\n')}\n`;
}

// ─── kube-proxy, iptables mode ──────────────────────────────────────────────────────────────────

const MASQ_MARK = '0x4000';
const DROP_MARK = '0x8000';
/** kube-proxy switches to largeClusterMode (no comments on SVC/SEP rules) past this many endpoints. */
const LARGE_CLUSTER_ENDPOINTS = 1000;
const CT_NEW = '-m conntrack --ctstate NEW';
const NODEPORTS_LAST = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain';

function l4(s: ServicePortModel, port: number): string {
  return `-m ${s.protocol} --dport ${port}`;
}

function rejectTarget(family: Family): string {
  return family === 'ipv4' ? '-j REJECT --reject-with icmp-port-unreachable' : '-j REJECT --reject-with icmp6-port-unreachable';
}

function loopbackCidr(family: Family): string {
  return family === 'ipv4' ? '127.0.0.0/8' : '::1/128';
}

function recentCheck(sep: string, seconds: number, family: Family): string {
  const mask = family === 'ipv4' ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
  return `-m recent --rcheck --seconds ${seconds} --reap --name ${sep} --mask ${mask} --rsource`;
}

function recentSet(sep: string, family: Family): string {
  const mask = family === 'ipv4' ? '255.255.255.255' : 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
  return `-m recent --set --name ${sep} --mask ${mask} --rsource`;
}

function totalEndpoints(c: ClusterModel): number {
  return c.services.reduce((n, s) => n + s.endpoints.length, 0);
}

/** KUBE-SEP-* chains: hairpin masquerade, then DNAT (optionally recording affinity). */
function writeEndpointChains(
  nat: Table,
  c: ClusterModel,
  s: ServicePortModel,
  names: ServiceChains,
  eps: readonly EndpointModel[],
  large: boolean,
): void {
  const spn = servicePortName(s);
  const family = c.node.family;
  for (const e of eps) {
    const sep = names.sep(e);
    const cmt = large ? [] : [comment(spn)];
    declareChain(nat, sep);
    rule(nat, sep, { src: e.ip, matches: cmt, jump: '-j KUBE-MARK-MASQ' });
    const affinity = s.affinityTimeout !== undefined ? [recentSet(sep, family)] : [];
    rule(nat, sep, {
      proto: s.protocol,
      matches: [...cmt, ...affinity, `-m ${s.protocol}`],
      jump: `-j DNAT --to-destination ${joinHostPort(e.ip, e.port)}`,
    });
  }
}

/** kube-proxy writeServiceToEndpointRules: affinity checks, then 1/n, 1/(n-1), … statistic rules. */
function writeBalancing(
  nat: Table,
  c: ClusterModel,
  s: ServicePortModel,
  chain: string,
  names: ServiceChains,
  eps: readonly EndpointModel[],
  commentOf: (e: EndpointModel, i: number) => string | undefined,
): void {
  if (s.affinityTimeout !== undefined) {
    for (const [i, e] of eps.entries()) {
      const text = commentOf(e, i);
      rule(nat, chain, {
        matches: [...(text === undefined ? [] : [comment(text)]), recentCheck(names.sep(e), s.affinityTimeout, c.node.family)],
        jump: `-j ${names.sep(e)}`,
      });
    }
  }
  for (const [i, e] of eps.entries()) {
    const text = commentOf(e, i);
    const matches = text === undefined ? [] : [comment(text)];
    if (i < eps.length - 1) matches.push(`-m statistic --mode random --probability ${savedProbability(eps.length - i)}`);
    rule(nat, chain, { matches, jump: `-j ${names.sep(e)}` });
  }
}

function kubeletCanaries(rs: Ruleset, tables: readonly TableName[], chains: readonly string[]): void {
  for (const t of tables) for (const chain of chains) declareChain(tableOf(rs, t), chain);
}

/** kube-proxy 1.28+ iptables mode (pkg/proxy/iptables/proxier.go syncProxyRules). */
export function kubeProxyIptablesCurrent(c: ClusterModel): Ruleset {
  const family = c.node.family;
  const v4 = family === 'ipv4';
  const rs = createRuleset(family, NFT_TABLE_ORDER);
  const filter = tableOf(rs, 'filter');
  const nat = tableOf(rs, 'nat');
  declareChain(tableOf(rs, 'mangle'), 'KUBE-IPTABLES-HINT');
  kubeletCanaries(rs, ['mangle', 'filter', 'nat'], ['KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY']);
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    declareChain(filter, chain);
  }
  for (const chain of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']) declareChain(nat, chain);

  // Jump rules: iptablesJumpChains are each *prepended*, so per chain the list reads bottom-up.
  rule(filter, 'INPUT', { matches: [CT_NEW, comment('kubernetes load balancer firewall')], jump: '-j KUBE-PROXY-FIREWALL' });
  rule(filter, 'INPUT', { matches: [comment('kubernetes health check service ports')], jump: '-j KUBE-NODEPORTS' });
  rule(filter, 'INPUT', { matches: [CT_NEW, comment('kubernetes externally-visible service portals')], jump: '-j KUBE-EXTERNAL-SERVICES' });
  if (v4) appendRule(filter, 'INPUT', '-j KUBE-FIREWALL');
  rule(filter, 'FORWARD', { matches: [CT_NEW, comment('kubernetes load balancer firewall')], jump: '-j KUBE-PROXY-FIREWALL' });
  rule(filter, 'FORWARD', { matches: [comment('kubernetes forwarding rules')], jump: '-j KUBE-FORWARD' });
  rule(filter, 'FORWARD', { matches: [CT_NEW, comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(filter, 'FORWARD', {
    matches: [CT_NEW, comment('kubernetes externally-visible service portals')],
    jump: '-j KUBE-EXTERNAL-SERVICES',
  });
  rule(filter, 'OUTPUT', { matches: [CT_NEW, comment('kubernetes load balancer firewall')], jump: '-j KUBE-PROXY-FIREWALL' });
  rule(filter, 'OUTPUT', { matches: [CT_NEW, comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  if (v4) appendRule(filter, 'OUTPUT', '-j KUBE-FIREWALL');
  rule(nat, 'PREROUTING', { matches: [comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(nat, 'OUTPUT', { matches: [comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(nat, 'POSTROUTING', { matches: [comment('kubernetes postrouting rules')], jump: '-j KUBE-POSTROUTING' });

  rule(nat, 'KUBE-POSTROUTING', { matches: [`-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK}`], jump: '-j RETURN' });
  rule(nat, 'KUBE-POSTROUTING', { jump: `-j MARK --set-xmark ${MASQ_MARK}/0x0` });
  rule(nat, 'KUBE-POSTROUTING', { matches: [comment('kubernetes service traffic requiring SNAT')], jump: '-j MASQUERADE --random-fully' });
  rule(nat, 'KUBE-MARK-MASQ', { jump: `-j MARK --set-xmark ${MASQ_MARK}/${MASQ_MARK}` });
  if (v4) {
    // localhostNodePorts (default on for IPv4) installs kubelet's anti-martian rule too.
    rule(filter, 'KUBE-FIREWALL', {
      src: '127.0.0.0/8',
      notSrc: true,
      dst: '127.0.0.0/8',
      matches: [comment('block incoming localnet connections'), '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT'],
      jump: '-j DROP',
    });
  }

  const large = totalEndpoints(c) > LARGE_CLUSTER_ENDPOINTS;
  for (const s of c.services) {
    const spn = servicePortName(s);
    const names = serviceChains(s);
    const local = s.endpoints.filter((e) => e.local);
    const hasEndpoints = s.endpoints.length > 0;
    const localPolicy = s.externalPolicy === 'Local';
    const hasExternalEndpoints = hasEndpoints && (!localPolicy || local.length > 0);
    const externallyAccessible = s.nodePort !== undefined || s.loadBalancerIPs.length > 0;
    const usesExt = hasEndpoints && externallyAccessible;
    const usesFw = hasEndpoints && s.loadBalancerIPs.length > 0 && s.sourceRanges.length > 0;
    const lbChain = usesFw ? names.fw : names.ext;
    const filterTarget = !hasEndpoints ? rejectTarget(family) : '-j DROP';
    const filterComment = !hasEndpoints ? `${spn} has no endpoints` : `${spn} has no local endpoints`;

    if (hasEndpoints) {
      rule(nat, 'KUBE-SERVICES', {
        dst: s.clusterIP,
        proto: s.protocol,
        matches: [comment(`${spn} cluster IP`), l4(s, s.port)],
        jump: `-j ${names.svc}`,
      });
    } else {
      rule(filter, 'KUBE-SERVICES', {
        dst: s.clusterIP,
        proto: s.protocol,
        matches: [comment(filterComment), l4(s, s.port)],
        jump: filterTarget,
      });
    }
    for (const lb of s.loadBalancerIPs) {
      if (hasEndpoints) rule(nat, 'KUBE-SERVICES', {
        dst: lb,
        proto: s.protocol,
        matches: [comment(`${spn} loadbalancer IP`), l4(s, s.port)],
        jump: `-j ${lbChain}`,
      });
      if (usesFw) rule(filter, 'KUBE-PROXY-FIREWALL', {
        dst: lb,
        proto: s.protocol,
        matches: [comment(`${spn} traffic not accepted by ${names.fw}`), l4(s, s.port)],
        jump: '-j DROP',
      });
    }
    if (!hasExternalEndpoints) {
      for (const lb of s.loadBalancerIPs) rule(filter, 'KUBE-EXTERNAL-SERVICES', {
        dst: lb,
        proto: s.protocol,
        matches: [comment(filterComment), l4(s, s.port)],
        jump: filterTarget,
      });
    }
    if (s.nodePort !== undefined) {
      if (hasEndpoints) rule(nat, 'KUBE-NODEPORTS', {
        proto: s.protocol,
        matches: [comment(spn), l4(s, s.nodePort)],
        jump: `-j ${names.ext}`,
      });
      if (!hasExternalEndpoints) rule(filter, 'KUBE-EXTERNAL-SERVICES', {
        proto: s.protocol,
        matches: [comment(filterComment), '-m addrtype --dst-type LOCAL', l4(s, s.nodePort)],
        jump: filterTarget,
      });
    }
    if (s.healthCheckNodePort !== undefined) {
      rule(filter, 'KUBE-NODEPORTS', {
        proto: 'tcp',
        matches: [comment(`${spn} health check node port`), `-m tcp --dport ${s.healthCheckNodePort}`],
        jump: '-j ACCEPT',
      });
    }
    if (!hasEndpoints) continue;

    // Internal traffic: masquerade what does not come from a pod (LocalTrafficDetector by cluster CIDR).
    rule(nat, names.svc, {
      src: c.clusterCidr,
      notSrc: true,
      dst: s.clusterIP,
      proto: s.protocol,
      matches: [comment(`${spn} cluster IP`), l4(s, s.port)],
      jump: '-j KUBE-MARK-MASQ',
    });
    if (usesExt) {
      declareChain(nat, names.ext);
      if (!localPolicy) {
        rule(nat, names.ext, { matches: [comment(`masquerade traffic for ${spn} external destinations`)], jump: '-j KUBE-MARK-MASQ' });
      } else {
        rule(nat, names.ext, {
          src: c.clusterCidr,
          matches: [comment(`pod traffic for ${spn} external destinations`)],
          jump: `-j ${names.svc}`,
        });
        rule(nat, names.ext, {
          matches: [comment(`masquerade LOCAL traffic for ${spn} external destinations`), '-m addrtype --src-type LOCAL'],
          jump: '-j KUBE-MARK-MASQ',
        });
        rule(nat, names.ext, {
          matches: [comment(`route LOCAL traffic for ${spn} external destinations`), '-m addrtype --src-type LOCAL'],
          jump: `-j ${names.svc}`,
        });
      }
      if (hasExternalEndpoints) rule(nat, names.ext, { jump: `-j ${localPolicy ? names.svl : names.svc}` });
    }
    if (usesFw) {
      const nodeInRange = s.sourceRanges.some((range) => cidrContains(range, c.node.ip));
      for (const range of s.sourceRanges) rule(nat, names.fw, {
        src: range,
        matches: [comment(`${spn} loadbalancer IP`)],
        jump: `-j ${names.ext}`,
      });
      if (nodeInRange) for (const lb of s.loadBalancerIPs) rule(nat, names.fw, {
        src: lb,
        matches: [comment(`${spn} loadbalancer IP`)],
        jump: `-j ${names.ext}`,
      });
      rule(nat, names.fw, { matches: [comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`)] });
    }
    const toEndpoint = (e: EndpointModel): string | undefined => (large ? undefined : `${spn} -> ${joinHostPort(e.ip, e.port)}`);
    writeBalancing(nat, c, s, names.svc, names, s.endpoints, toEndpoint);
    if (localPolicy && local.length > 0) writeBalancing(nat, c, s, names.svl, names, local, toEndpoint);
    writeEndpointChains(nat, c, s, names, s.endpoints, large);
  }

  // localhostNodePorts: IPv4 NodePorts answer on 127.0.0.1 too; IPv6 never does on ::1.
  const notLoopback: RuleParts = v4 ? {} : { dst: '::1/128', notDst: true };
  rule(nat, 'KUBE-SERVICES', {
    ...notLoopback,
    matches: [comment(NODEPORTS_LAST), '-m addrtype --dst-type LOCAL'],
    jump: '-j KUBE-NODEPORTS',
  });
  rule(filter, 'KUBE-FORWARD', { matches: ['-m conntrack --ctstate INVALID'], jump: '-j DROP' });
  rule(filter, 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding rules'), `-m mark --mark ${MASQ_MARK}/${MASQ_MARK}`],
    jump: '-j ACCEPT',
  });
  rule(filter, 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding conntrack rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'],
    jump: '-j ACCEPT',
  });
  return rs;
}

/** kube-proxy 1.19–1.21 iptables mode plus the chains kubelet of that era owned. */
export function kubeProxyIptablesPre124(c: ClusterModel): Ruleset {
  const family = c.node.family;
  const rs = createRuleset(family, LEGACY_TABLE_ORDER);
  const filter = tableOf(rs, 'filter');
  const nat = tableOf(rs, 'nat');
  kubeletCanaries(rs, ['mangle', 'filter', 'nat'], ['KUBE-KUBELET-CANARY', 'KUBE-PROXY-CANARY']);
  for (const chain of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-FIREWALL']) {
    declareChain(filter, chain);
  }
  for (const chain of ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ', 'KUBE-MARK-DROP']) declareChain(nat, chain);

  rule(filter, 'INPUT', { matches: [comment('kubernetes health check service ports')], jump: '-j KUBE-NODEPORTS' });
  rule(filter, 'INPUT', { matches: [CT_NEW, comment('kubernetes externally-visible service portals')], jump: '-j KUBE-EXTERNAL-SERVICES' });
  appendRule(filter, 'INPUT', '-j KUBE-FIREWALL');
  rule(filter, 'FORWARD', { matches: [comment('kubernetes forwarding rules')], jump: '-j KUBE-FORWARD' });
  rule(filter, 'FORWARD', { matches: [CT_NEW, comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(filter, 'FORWARD', {
    matches: [CT_NEW, comment('kubernetes externally-visible service portals')],
    jump: '-j KUBE-EXTERNAL-SERVICES',
  });
  rule(filter, 'OUTPUT', { matches: [CT_NEW, comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  appendRule(filter, 'OUTPUT', '-j KUBE-FIREWALL');
  rule(nat, 'PREROUTING', { matches: [comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(nat, 'OUTPUT', { matches: [comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(nat, 'POSTROUTING', { matches: [comment('kubernetes postrouting rules')], jump: '-j KUBE-POSTROUTING' });

  // kubelet (pkg/kubelet/kubelet_network_linux.go) and kube-proxy both write these.
  rule(filter, 'KUBE-FIREWALL', {
    matches: [comment('kubernetes firewall for dropping marked packets'), `-m mark --mark ${DROP_MARK}/${DROP_MARK}`],
    jump: '-j DROP',
  });
  if (family === 'ipv4') rule(filter, 'KUBE-FIREWALL', {
    src: '127.0.0.0/8',
    notSrc: true,
    dst: '127.0.0.0/8',
    matches: [comment('block incoming localnet connections'), '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT'],
    jump: '-j DROP',
  });
  rule(nat, 'KUBE-MARK-DROP', { jump: `-j MARK --set-xmark ${DROP_MARK}/${DROP_MARK}` });
  rule(nat, 'KUBE-MARK-MASQ', { jump: `-j MARK --set-xmark ${MASQ_MARK}/${MASQ_MARK}` });
  rule(nat, 'KUBE-POSTROUTING', { matches: [`-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK}`], jump: '-j RETURN' });
  rule(nat, 'KUBE-POSTROUTING', { jump: `-j MARK --set-xmark ${MASQ_MARK}/0x0` });
  rule(nat, 'KUBE-POSTROUTING', { matches: [comment('kubernetes service traffic requiring SNAT')], jump: '-j MASQUERADE --random-fully' });

  const large = totalEndpoints(c) > LARGE_CLUSTER_ENDPOINTS;
  for (const s of c.services) {
    const spn = servicePortName(s);
    const names = serviceChains(s);
    const local = s.endpoints.filter((e) => e.local);
    const hasEndpoints = s.endpoints.length > 0;
    const localPolicy = s.externalPolicy === 'Local';
    const noEndpoints = `${spn} has no endpoints`;
    if (hasEndpoints) declareChain(nat, names.svc);
    if (localPolicy) declareChain(nat, names.xlb);

    if (hasEndpoints) {
      rule(nat, 'KUBE-SERVICES', {
        src: c.clusterCidr,
        notSrc: true,
        dst: s.clusterIP,
        proto: s.protocol,
        matches: [comment(`${spn} cluster IP`), l4(s, s.port)],
        jump: '-j KUBE-MARK-MASQ',
      });
      rule(nat, 'KUBE-SERVICES', {
        dst: s.clusterIP,
        proto: s.protocol,
        matches: [comment(`${spn} cluster IP`), l4(s, s.port)],
        jump: `-j ${names.svc}`,
      });
    } else {
      rule(filter, 'KUBE-SERVICES', {
        dst: s.clusterIP,
        proto: s.protocol,
        matches: [comment(noEndpoints), l4(s, s.port)],
        jump: rejectTarget(family),
      });
    }
    for (const lb of s.loadBalancerIPs) {
      if (!hasEndpoints) {
        rule(filter, 'KUBE-EXTERNAL-SERVICES', {
          dst: lb,
          proto: s.protocol,
          matches: [comment(noEndpoints), l4(s, s.port)],
          jump: rejectTarget(family),
        });
        continue;
      }
      rule(nat, 'KUBE-SERVICES', {
        dst: lb,
        proto: s.protocol,
        matches: [comment(`${spn} loadbalancer IP`), l4(s, s.port)],
        jump: `-j ${names.fw}`,
      });
      const fwComment = comment(`${spn} loadbalancer IP`);
      const chosen = localPolicy ? names.xlb : names.svc;
      if (!localPolicy) rule(nat, names.fw, { matches: [fwComment], jump: '-j KUBE-MARK-MASQ' });
      if (s.sourceRanges.length === 0) {
        rule(nat, names.fw, { matches: [fwComment], jump: `-j ${chosen}` });
      } else {
        for (const range of s.sourceRanges) rule(nat, names.fw, { src: range, matches: [fwComment], jump: `-j ${chosen}` });
        if (s.sourceRanges.some((range) => cidrContains(range, c.node.ip))) rule(nat, names.fw, {
          src: lb,
          matches: [fwComment],
          jump: `-j ${chosen}`,
        });
      }
      rule(nat, names.fw, { matches: [fwComment], jump: '-j KUBE-MARK-DROP' });
    }
    if (s.nodePort !== undefined) {
      if (!hasEndpoints) {
        rule(filter, 'KUBE-EXTERNAL-SERVICES', {
          proto: s.protocol,
          matches: [comment(noEndpoints), '-m addrtype --dst-type LOCAL', l4(s, s.nodePort)],
          jump: rejectTarget(family),
        });
      } else if (!localPolicy) {
        rule(nat, 'KUBE-NODEPORTS', { proto: s.protocol, matches: [comment(spn), l4(s, s.nodePort)], jump: '-j KUBE-MARK-MASQ' });
        rule(nat, 'KUBE-NODEPORTS', { proto: s.protocol, matches: [comment(spn), l4(s, s.nodePort)], jump: `-j ${names.svc}` });
      } else {
        // "Fix localhost martian source error": loopback callers are masqueraded.
        rule(nat, 'KUBE-NODEPORTS', {
          src: loopbackCidr(family),
          proto: s.protocol,
          matches: [comment(spn), l4(s, s.nodePort)],
          jump: '-j KUBE-MARK-MASQ',
        });
        rule(nat, 'KUBE-NODEPORTS', { proto: s.protocol, matches: [comment(spn), l4(s, s.nodePort)], jump: `-j ${names.xlb}` });
      }
    }
    if (s.healthCheckNodePort !== undefined) {
      rule(filter, 'KUBE-NODEPORTS', {
        proto: 'tcp',
        matches: [comment(`${spn} health check node port`), `-m tcp --dport ${s.healthCheckNodePort}`],
        jump: '-j ACCEPT',
      });
    }
    if (!hasEndpoints) continue;

    writeBalancing(nat, c, s, names.svc, names, s.endpoints, () => (large ? undefined : spn));
    writeEndpointChains(nat, c, s, names, s.endpoints, large);
    if (!localPolicy) continue;
    rule(nat, names.xlb, {
      src: c.clusterCidr,
      matches: [comment('Redirect pods trying to reach external loadbalancer VIP to clusterIP')],
      jump: `-j ${names.svc}`,
    });
    rule(nat, names.xlb, {
      matches: [comment(`masquerade LOCAL traffic for ${spn} LB IP`), '-m addrtype --src-type LOCAL'],
      jump: '-j KUBE-MARK-MASQ',
    });
    rule(nat, names.xlb, {
      matches: [comment(`route LOCAL traffic for ${spn} LB IP to service chain`), '-m addrtype --src-type LOCAL'],
      jump: `-j ${names.svc}`,
    });
    if (local.length === 0) {
      rule(nat, names.xlb, { matches: [comment(`${spn} has no local endpoints`)], jump: '-j KUBE-MARK-DROP' });
    } else {
      if (s.affinityTimeout !== undefined) {
        for (const e of local) rule(nat, names.xlb, {
          matches: [comment(spn), recentCheck(names.sep(e), s.affinityTimeout, family)],
          jump: `-j ${names.sep(e)}`,
        });
      }
      for (const [i, e] of local.entries()) {
        const matches = [comment(`Balancing rule ${i} for ${spn}`)];
        if (i < local.length - 1) matches.push(`-m statistic --mode random --probability ${savedProbability(local.length - i)}`);
        rule(nat, names.xlb, { matches, jump: `-j ${names.sep(e)}` });
      }
    }
  }

  rule(nat, 'KUBE-SERVICES', { matches: [comment(NODEPORTS_LAST), '-m addrtype --dst-type LOCAL'], jump: '-j KUBE-NODEPORTS' });
  rule(filter, 'KUBE-FORWARD', { matches: ['-m conntrack --ctstate INVALID'], jump: '-j DROP' });
  rule(filter, 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding rules'), `-m mark --mark ${MASQ_MARK}/${MASQ_MARK}`],
    jump: '-j ACCEPT',
  });
  rule(filter, 'KUBE-FORWARD', {
    src: c.clusterCidr,
    matches: [comment('kubernetes forwarding conntrack pod source rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'],
    jump: '-j ACCEPT',
  });
  rule(filter, 'KUBE-FORWARD', {
    dst: c.clusterCidr,
    matches: [comment('kubernetes forwarding conntrack pod destination rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'],
    jump: '-j ACCEPT',
  });
  return rs;
}

/** IPv4 CIDR containment (source ranges vs the node IP); IPv6 ranges never contain an IPv4 node. */
export function cidrContains(cidr: string, ip: string): boolean {
  if (cidr.includes(':') || ip.includes(':')) return cidr.includes(':') && ip.includes(':') && cidrContains6(cidr, ip);
  const [base = '', lenText = '32'] = cidr.split('/');
  const len = Number(lenText);
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
  return ((ipv4ToInt(base) & mask) >>> 0) === ((ipv4ToInt(ip) & mask) >>> 0);
}

function expand6(ip: string): bigint {
  const [head = '', tail = ''] = ip.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = ip.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((acc: bigint, g: string) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function cidrContains6(cidr: string, ip: string): boolean {
  const [base = '', lenText = '128'] = cidr.split('/');
  const shift = BigInt(128 - Number(lenText));
  return expand6(base) >> shift === expand6(ip) >> shift;
}

// ─── kube-proxy, IPVS mode ──────────────────────────────────────────────────────────────────────

export type IpsetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'bitmap:port';

export interface IpsetModel {
  readonly name: string;
  readonly type: IpsetType;
  readonly entries: string[];
}

export interface RealServer {
  readonly ip: string;
  readonly port: number;
  readonly weight: number;
  activeConn: number;
  inactConn: number;
}

export interface VirtualServer {
  readonly protocol: 'TCP' | 'UDP';
  readonly ip: string;
  readonly port: number;
  readonly scheduler: string;
  /** `persistent N` (sessionAffinity ClientIP). */
  readonly persistent?: number;
  readonly dests: RealServer[];
}

export interface IpvsState {
  readonly sets: IpsetModel[];
  readonly virtualServers: VirtualServer[];
  /** Addresses bound on kube-ipvs0, in bind order. */
  readonly bound: string[];
}

/** pkg/proxy/ipvs/ipset.go names + comments; the order is proxier.go's ipsetInfo. */
const IPSETS: readonly { name: string; type: IpsetType; comment: string; since: ProxyGeneration }[] = [
  {
    name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', since: 'pre124',
    comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose',
  },
  {
    name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', since: 'pre124',
    comment: 'Kubernetes service cluster ip + port for masquerade purpose',
  },
  {
    name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', since: 'pre124',
    comment: 'Kubernetes service external ip + port for masquerade and filter purpose',
  },
  {
    name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', since: 'pre124',
    comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local',
  },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal', since: 'pre124' },
  {
    name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', since: 'pre124',
    comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange',
  },
  {
    name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', since: 'pre124',
    comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local',
  },
  {
    name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', since: 'pre124',
    comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose',
  },
  {
    name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', since: 'pre124',
    comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose',
  },
  {
    name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', since: 'pre124',
    comment: 'Kubernetes nodeport TCP port for masquerade purpose',
  },
  {
    name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', since: 'pre124',
    comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local',
  },
  {
    name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', since: 'pre124',
    comment: 'Kubernetes nodeport UDP port for masquerade purpose',
  },
  {
    name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', since: 'pre124',
    comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local',
  },
  {
    name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', since: 'pre124',
    comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'",
  },
  {
    name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', since: 'pre124',
    comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'",
  },
  {
    name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', since: 'current',
    comment: 'Kubernetes health check node port',
  },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Kubernetes service IP list for ipvs', since: 'current' },
];

function setComment(name: string): string {
  return IPSETS.find((s) => s.name === name)?.comment ?? name;
}

/** IPv6 sets are named KUBE-6-… (ipset.go NewIPSet); bitmap:port sets are family-less. */
export function ipsetName(base: string, family: Family): string {
  const type = IPSETS.find((s) => s.name === base)?.type ?? 'hash:ip,port';
  if (family === 'ipv4' || type === 'bitmap:port') return base;
  return base.replace('KUBE-', 'KUBE-6-').slice(0, 31);
}

/** What syncProxyRules puts into ipsets, IPVS and kube-ipvs0 for the Services. */
export function kubeProxyIpvsState(c: ClusterModel, generation: ProxyGeneration): IpvsState {
  const family = c.node.family;
  const byBase = new Map<string, IpsetModel>();
  for (const info of IPSETS) {
    if (generation === 'pre124' && info.since === 'current') continue;
    byBase.set(info.name, { name: ipsetName(info.name, family), type: info.type, entries: [] });
  }
  const sets = [...byBase.values()];
  const add = (base: string, entry: string): void => {
    const target = byBase.get(base);
    if (target === undefined) throw new Error(`no ipset ${base}`);
    if (!target.entries.includes(entry)) target.entries.push(entry);
  };
  const virtualServers: VirtualServer[] = [];
  const bound: string[] = [];
  // NodePorts listen on every local address but kube-ipvs0's; 1.27+ skips loopback (netlink_linux.go isValidForSet).
  const loopback = (ip: string): boolean => ip.startsWith('127.') || ip === '::1';
  const nodeIPs = c.node.localAddresses.map((a) => a.ip).filter((ip) => generation === 'pre124' || !loopback(ip));
  const entry = (ip: string, s: ServicePortModel): string => `${ip},${s.protocol}:${s.port}`;

  for (const s of c.services) {
    const local = s.endpoints.filter((e) => e.local);
    const proto = s.protocol === 'tcp' ? 'TCP' : 'UDP';
    // syncEndpoint: Local keeps only local endpoints; since 1.21 (#97081) all of them when none is local.
    const keepAll = s.externalPolicy === 'Cluster' || (generation === 'current' && local.length === 0);
    const externalEndpoints = keepAll ? s.endpoints : local;
    const vs = (ip: string, port: number, eps: readonly EndpointModel[]): void => {
      const dests = eps.map((e) => ({ ip: e.ip, port: e.port, weight: 1, activeConn: 0, inactConn: 0 }));
      virtualServers.push({ protocol: proto, ip, port, scheduler: 'rr', persistent: s.affinityTimeout, dests });
    };
    for (const e of local) add('KUBE-LOOP-BACK', `${e.ip},${s.protocol}:${e.port},${e.ip}`);
    add('KUBE-CLUSTER-IP', entry(s.clusterIP, s));
    vs(s.clusterIP, s.port, s.endpoints);
    if (!bound.includes(s.clusterIP)) bound.push(s.clusterIP);
    for (const lb of s.loadBalancerIPs) {
      add('KUBE-LOAD-BALANCER', entry(lb, s));
      if (s.externalPolicy === 'Local') add('KUBE-LOAD-BALANCER-LOCAL', entry(lb, s));
      if (s.sourceRanges.length > 0) {
        add('KUBE-LOAD-BALANCER-FW', entry(lb, s));
        for (const range of s.sourceRanges) add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${lb},${s.protocol}:${s.port},${range}`);
        // A node outside every range would need KUBE-IPVS-OUT-FILTER's `-m ipvs` rule; the
        // generator keeps the node inside one range (see kubeProxyIpvsRules).
        if (s.sourceRanges.some((range) => cidrContains(range, c.node.ip))) {
          add('KUBE-LOAD-BALANCER-SOURCE-IP', `${lb},${s.protocol}:${s.port},${lb}`);
        }
      }
      vs(lb, s.port, externalEndpoints);
      if (c.bindLoadBalancerIPs && !bound.includes(lb)) bound.push(lb);
    }
    if (s.nodePort !== undefined) {
      const suffix = s.protocol.toUpperCase();
      add(`KUBE-NODE-PORT-${suffix}`, String(s.nodePort));
      if (s.externalPolicy === 'Local') add(`KUBE-NODE-PORT-LOCAL-${suffix}`, String(s.nodePort));
      for (const ip of nodeIPs) vs(ip, s.nodePort, externalEndpoints);
    }
    if (s.healthCheckNodePort !== undefined && generation === 'current') add('KUBE-HEALTH-CHECK-NODE-PORT', String(s.healthCheckNodePort));
  }
  if (generation === 'current') for (const ip of bound) add('KUBE-IPVS-IPS', ip);
  return { sets, virtualServers, bound };
}

/** The iptables rules of kube-proxy's IPVS mode (writeIptablesRules), plus kubelet's chains. */
export function kubeProxyIpvsRules(c: ClusterModel, generation: ProxyGeneration, state: IpvsState): Ruleset {
  const family = c.node.family;
  const rs = createRuleset(family, generation === 'current' ? NFT_TABLE_ORDER : LEGACY_TABLE_ORDER);
  const filter = tableOf(rs, 'filter');
  const nat = tableOf(rs, 'nat');
  const nonEmpty = (base: string): IpsetModel | undefined =>
    state.sets.find((s) => s.name === ipsetName(base, family) && s.entries.length > 0);
  const matchSet = (base: string, flags: string): string => `-m set --match-set ${ipsetName(base, family)} ${flags}`;
  const masqMark = `${MASQ_MARK}/${MASQ_MARK}`;

  kubeletCanaries(rs, ['mangle', 'filter', 'nat'], ['KUBE-KUBELET-CANARY']);
  declareChain(filter, 'KUBE-FIREWALL');
  for (const chain of ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ']) {
    declareChain(nat, chain);
  }
  rule(nat, 'PREROUTING', { matches: [comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(nat, 'OUTPUT', { matches: [comment('kubernetes service portals')], jump: '-j KUBE-SERVICES' });
  rule(nat, 'POSTROUTING', { matches: [comment('kubernetes postrouting rules')], jump: '-j KUBE-POSTROUTING' });

  const ipsetRule = (table: Table, chain: string, name: string, flags: string, jump: string, proto?: string): void => {
    if (nonEmpty(name) === undefined) return;
    rule(table, chain, { proto, matches: [comment(setComment(name)), matchSet(name, flags)], jump: `-j ${jump}` });
  };
  const nodePortRules = (): void => {
    ipsetRule(nat, 'KUBE-NODE-PORT', 'KUBE-NODE-PORT-LOCAL-TCP', 'dst', 'RETURN', 'tcp');
    ipsetRule(nat, 'KUBE-NODE-PORT', 'KUBE-NODE-PORT-TCP', 'dst', 'KUBE-MARK-MASQ', 'tcp');
    ipsetRule(nat, 'KUBE-NODE-PORT', 'KUBE-NODE-PORT-LOCAL-UDP', 'dst', 'RETURN', 'udp');
    ipsetRule(nat, 'KUBE-NODE-PORT', 'KUBE-NODE-PORT-UDP', 'dst', 'KUBE-MARK-MASQ', 'udp');
  };
  const servicesTail = (): void => {
    if (nonEmpty('KUBE-CLUSTER-IP') !== undefined) {
      rule(nat, 'KUBE-SERVICES', {
        src: c.clusterCidr,
        notSrc: true,
        matches: [comment(setComment('KUBE-CLUSTER-IP')), matchSet('KUBE-CLUSTER-IP', 'dst,dst')],
        jump: '-j KUBE-MARK-MASQ',
      });
    }
    rule(nat, 'KUBE-SERVICES', { matches: ['-m addrtype --dst-type LOCAL'], jump: '-j KUBE-NODE-PORT' });
  };
  const acceptIpvsTraffic = (): void => {
    for (const name of ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER']) {
      if (nonEmpty(name) !== undefined) rule(nat, 'KUBE-SERVICES', { matches: [matchSet(name, 'dst,dst')], jump: '-j ACCEPT' });
    }
  };

  if (generation === 'current') {
    const filterChains = ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL'];
    for (const chain of [...filterChains, 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER']) declareChain(filter, chain);
    declareChain(tableOf(rs, 'mangle'), 'KUBE-IPTABLES-HINT');
    rule(filter, 'INPUT', { matches: [comment('kubernetes ipvs access filter')], jump: '-j KUBE-IPVS-FILTER' });
    rule(filter, 'INPUT', { matches: [comment('kube-proxy firewall rules')], jump: '-j KUBE-PROXY-FIREWALL' });
    rule(filter, 'INPUT', { matches: [comment('kubernetes health check rules')], jump: '-j KUBE-NODE-PORT' });
    appendRule(filter, 'INPUT', '-j KUBE-FIREWALL');
    rule(filter, 'FORWARD', { matches: [comment('kube-proxy firewall rules')], jump: '-j KUBE-PROXY-FIREWALL' });
    rule(filter, 'FORWARD', { matches: [comment('kubernetes forwarding rules')], jump: '-j KUBE-FORWARD' });
    rule(filter, 'OUTPUT', { matches: [comment('kubernetes ipvs access filter')], jump: '-j KUBE-IPVS-OUT-FILTER' });
    appendRule(filter, 'OUTPUT', '-j KUBE-FIREWALL');
    if (family === 'ipv4') rule(filter, 'KUBE-FIREWALL', {
      src: '127.0.0.0/8',
      notSrc: true,
      dst: '127.0.0.0/8',
      matches: [comment('block incoming localnet connections'), '-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT'],
      jump: '-j DROP',
    });

    rule(nat, 'KUBE-SERVICES', { src: loopbackCidr(family), jump: '-j RETURN' });
    ipsetRule(nat, 'KUBE-POSTROUTING', 'KUBE-LOOP-BACK', 'dst,dst,src', 'MASQUERADE');
    ipsetRule(nat, 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst', 'KUBE-LOAD-BALANCER');
    ipsetRule(nat, 'KUBE-LOAD-BALANCER', 'KUBE-LOAD-BALANCER-LOCAL', 'dst,dst', 'RETURN');
    nodePortRules();
    ipsetRule(filter, 'KUBE-PROXY-FIREWALL', 'KUBE-LOAD-BALANCER-FW', 'dst,dst', 'KUBE-SOURCE-RANGES-FIREWALL');
    ipsetRule(filter, 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-LOAD-BALANCER-SOURCE-CIDR', 'dst,dst,src', 'RETURN');
    ipsetRule(filter, 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-LOAD-BALANCER-SOURCE-IP', 'dst,dst,src', 'RETURN');
    servicesTail();
    rule(nat, 'KUBE-LOAD-BALANCER', { jump: '-j KUBE-MARK-MASQ' });
    rule(filter, 'KUBE-SOURCE-RANGES-FIREWALL', { jump: '-j DROP' });
    acceptIpvsTraffic();
    rule(filter, 'KUBE-FORWARD', { matches: [comment('kubernetes forwarding rules'), `-m mark --mark ${masqMark}`], jump: '-j ACCEPT' });
    rule(filter, 'KUBE-FORWARD', {
      matches: [comment('kubernetes forwarding conntrack rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'],
      jump: '-j ACCEPT',
    });
    rule(filter, 'KUBE-NODE-PORT', {
      matches: [comment(setComment('KUBE-HEALTH-CHECK-NODE-PORT')), matchSet('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')],
      jump: '-j ACCEPT',
    });
    for (const name of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL']) {
      rule(filter, 'KUBE-IPVS-FILTER', { matches: [matchSet(name, 'dst,dst')], jump: '-j RETURN' });
    }
    rule(filter, 'KUBE-IPVS-FILTER', { matches: [matchSet('KUBE-HEALTH-CHECK-NODE-PORT', 'dst')], jump: '-j RETURN' });
    rule(filter, 'KUBE-IPVS-FILTER', { matches: [CT_NEW, matchSet('KUBE-IPVS-IPS', 'dst')], jump: rejectTarget(family) });
    rule(nat, 'KUBE-POSTROUTING', { matches: [`-m mark ! --mark ${masqMark}`], jump: '-j RETURN' });
    rule(nat, 'KUBE-POSTROUTING', { jump: `-j MARK --set-xmark ${MASQ_MARK}/0x0` });
    rule(nat, 'KUBE-POSTROUTING', {
      matches: [comment('kubernetes service traffic requiring SNAT')],
      jump: '-j MASQUERADE --random-fully',
    });
    rule(nat, 'KUBE-MARK-MASQ', { jump: `-j MARK --set-xmark ${MASQ_MARK}/${MASQ_MARK}` });
    return rs;
  }

  // 1.18: nat KUBE-FIREWALL for source ranges, KUBE-MARK-DROP, MASQUERADE matching the mark,
  // no --random-fully (iptables 1.4.21 on the CentOS 7 images of that time has none).
  for (const chain of ['KUBE-FIREWALL', 'KUBE-MARK-DROP']) declareChain(nat, chain);
  declareChain(filter, 'KUBE-FORWARD');
  appendRule(filter, 'INPUT', '-j KUBE-FIREWALL');
  rule(filter, 'FORWARD', { matches: [comment('kubernetes forwarding rules')], jump: '-j KUBE-FORWARD' });
  appendRule(filter, 'OUTPUT', '-j KUBE-FIREWALL');
  rule(filter, 'KUBE-FIREWALL', {
    matches: [comment('kubernetes firewall for dropping marked packets'), `-m mark --mark ${DROP_MARK}/${DROP_MARK}`],
    jump: '-j DROP',
  });
  rule(nat, 'KUBE-MARK-DROP', { jump: `-j MARK --set-xmark ${DROP_MARK}/${DROP_MARK}` });
  rule(nat, 'KUBE-POSTROUTING', {
    matches: [comment('kubernetes service traffic requiring SNAT'), `-m mark --mark ${masqMark}`],
    jump: '-j MASQUERADE',
  });
  rule(nat, 'KUBE-MARK-MASQ', { jump: `-j MARK --set-xmark ${MASQ_MARK}/${MASQ_MARK}` });
  ipsetRule(nat, 'KUBE-POSTROUTING', 'KUBE-LOOP-BACK', 'dst,dst,src', 'MASQUERADE');
  ipsetRule(nat, 'KUBE-SERVICES', 'KUBE-LOAD-BALANCER', 'dst,dst', 'KUBE-LOAD-BALANCER');
  ipsetRule(nat, 'KUBE-LOAD-BALANCER', 'KUBE-LOAD-BALANCER-FW', 'dst,dst', 'KUBE-FIREWALL');
  ipsetRule(nat, 'KUBE-FIREWALL', 'KUBE-LOAD-BALANCER-SOURCE-CIDR', 'dst,dst,src', 'RETURN');
  ipsetRule(nat, 'KUBE-FIREWALL', 'KUBE-LOAD-BALANCER-SOURCE-IP', 'dst,dst,src', 'RETURN');
  ipsetRule(nat, 'KUBE-LOAD-BALANCER', 'KUBE-LOAD-BALANCER-LOCAL', 'dst,dst', 'RETURN');
  nodePortRules();
  servicesTail();
  rule(nat, 'KUBE-LOAD-BALANCER', { jump: '-j KUBE-MARK-MASQ' });
  rule(nat, 'KUBE-FIREWALL', { jump: '-j KUBE-MARK-DROP' });
  acceptIpvsTraffic();
  rule(filter, 'KUBE-FORWARD', { matches: [comment('kubernetes forwarding rules'), `-m mark --mark ${masqMark}`], jump: '-j ACCEPT' });
  rule(filter, 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding conntrack pod source rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'],
    jump: '-j ACCEPT',
  });
  rule(filter, 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding conntrack pod destination rule'), '-m conntrack --ctstate RELATED,ESTABLISHED'],
    jump: '-j ACCEPT',
  });
  return rs;
}

// ─── ipset save ─────────────────────────────────────────────────────────────────────────────────

export interface IpsetSaveStyle {
  /** ipset ≥ 7.? on kernel ≥ 5.10 prints `bucketsize 12 initval 0x…` for hash sets. */
  readonly bucketsize: boolean;
  /** Source of the per-set random `initval` (kernel-chosen; any value is realistic). */
  readonly prng: Prng;
}

/** `ipset save` (ipset/lib/print.c): `create` with the set's header, then its `add` lines. */
export function printIpsetSave(sets: readonly IpsetModel[], family: Family, style: IpsetSaveStyle): string {
  const out: string[] = [];
  for (const set of sets) {
    if (set.type === 'bitmap:port') {
      out.push(`create ${set.name} bitmap:port range 0-65535`);
    } else {
      const tail = style.bucketsize ? ` bucketsize 12 initval 0x${style.prng.int(0, 0xffffffff).toString(16).padStart(8, '0')}` : '';
      out.push(`create ${set.name} ${set.type} family ${family === 'ipv4' ? 'inet' : 'inet6'} hashsize 1024 maxelem 65536${tail}`);
    }
    // A bitmap is walked in port order; hash members come in insertion order here (the kernel's
    // hash walk depends on its random initval).
    const members = set.type === 'bitmap:port' ? [...set.entries].sort((x, y) => Number(x) - Number(y)) : set.entries;
    for (const e of members) out.push(`add ${set.name} ${e}`);
  }
  return `${out.join('\n')}\n`;
}

// ─── ipvsadm ────────────────────────────────────────────────────────────────────────────────────

const PROTO_NUMBER = { TCP: 6, UDP: 17 } as const;

/** ntohl(a) - ntohl(b) as C's `int r = …` keeps it: the 32-bit difference, signed. */
function signedDiff(a: string, b: string): number {
  return (ipv4ToInt(a) - ipv4ToInt(b)) | 0;
}

/** libipvs ipvs_cmp_services: protocol, then address (signed 32-bit difference), then port. */
function compareServices(a: VirtualServer, b: VirtualServer): number {
  return PROTO_NUMBER[a.protocol] - PROTO_NUMBER[b.protocol] || signedDiff(a.ip, b.ip) || a.port - b.port;
}

function compareDests(a: RealServer, b: RealServer): number {
  return signedDiff(a.ip, b.ip) || a.port - b.port;
}

/**
 * glibc's qsort is a merge sort (msort.c): split n/2, sort halves, merge taking the left element
 * while cmp(left, right) <= 0. Replayed here because ipvs_cmp_services is not transitive across
 * addresses 2^31 apart, so the order real ipvsadm prints depends on the algorithm.
 */
function msort<T>(items: readonly T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return [...items];
  const n1 = Math.floor(items.length / 2);
  const left = msort(items.slice(0, n1), cmp);
  const right = msort(items.slice(n1), cmp);
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) out.push(cmp(left[i] as T, right[j] as T) <= 0 ? (left[i++] as T) : (right[j++] as T));
  while (i < left.length) out.push(left[i++] as T);
  while (j < right.length) out.push(right[j++] as T);
  return out;
}

/** `ipvsadm -Ln` (ipvsadm.c print_service_entry; destination lines are `%-28s %-7s %-6d %-10u %-10u`). */
export function printIpvsadmList(virtualServers: readonly VirtualServer[]): string {
  const out = [
    'IP Virtual Server version 1.2.1 (size=4096)',
    'Prot LocalAddress:Port Scheduler Flags',
    '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  ];
  for (const vs of msort(virtualServers, compareServices)) {
    const flags = vs.persistent !== undefined ? ` persistent ${vs.persistent}` : '';
    out.push(`${vs.protocol}  ${joinHostPort(vs.ip, vs.port)} ${vs.scheduler}${flags}`);
    for (const d of msort(vs.dests, compareDests)) {
      const counts = `${String(d.weight).padEnd(6)} ${String(d.activeConn).padEnd(10)} ${String(d.inactConn).padEnd(10)}`;
      out.push(`  -> ${joinHostPort(d.ip, d.port).padEnd(28)} ${'Masq'.padEnd(7)} ${counts}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** `ipvsadm -Sn`: the same table as restore commands. */
export function printIpvsadmSave(virtualServers: readonly VirtualServer[]): string {
  const out: string[] = [];
  for (const vs of msort(virtualServers, compareServices)) {
    const flag = vs.protocol === 'TCP' ? '-t' : '-u';
    const addr = joinHostPort(vs.ip, vs.port);
    out.push(`-A ${flag} ${addr} -s ${vs.scheduler}${vs.persistent !== undefined ? ` -p ${vs.persistent}` : ''}`);
    for (const d of msort(vs.dests, compareDests)) out.push(`-a ${flag} ${addr} -r ${joinHostPort(d.ip, d.port)} -m -w ${d.weight}`);
  }
  return `${out.join('\n')}\n`;
}

// ─── ip -d addr ─────────────────────────────────────────────────────────────────────────────────

export interface InterfaceAddress {
  /** `10.0.0.11/24`, `fe80::1/64`. */
  readonly cidr: string;
  readonly brd?: string;
  readonly scope: 'host' | 'link' | 'global';
  /** Flags printed after the scope (`dynamic`, `noprefixroute`, `tentative`). */
  readonly flags?: readonly string[];
  readonly validLft?: string;
  readonly preferredLft?: string;
}

export interface NetInterface {
  readonly index: number;
  readonly name: string;
  /** `@if5` / `@eth0` suffix for veth and stacked devices. */
  readonly link?: string;
  readonly flags: string;
  readonly mtu: number;
  readonly qdisc: string;
  readonly master?: string;
  readonly state: string;
  /** Absent: no `qlen` (kube-ipvs0, tunnels). */
  readonly qlen?: number;
  readonly linkType: 'loopback' | 'ether' | 'ipip' | 'none';
  readonly mac: string;
  readonly brd: string;
  /** Peer in a named netns (`link-netns cni-…`, CNI pods) … */
  readonly linkNetns?: string;
  /** … or in an unnamed one (`link-netnsid 0`, Docker containers). */
  readonly linkNetnsId?: number;
  readonly promiscuity: number;
  readonly minmtu: number;
  readonly maxmtu: number;
  /** Kind lines printed by `-d` (`dummy`, `veth`, `bridge …`, `bridge_slave …`); empty for a NIC. */
  readonly details: readonly string[];
  readonly txQueues: number;
  readonly tsoMaxSize: number;
  /** `parentbus virtio parentdev virtio1` for a NIC. */
  readonly parent?: string;
  readonly altname?: string;
  readonly addresses: readonly InterfaceAddress[];
}

/** `ip -d addr` as iproute2 6.1 prints it (note its double space before `allmulti`). */
export function printIpAddr(interfaces: readonly NetInterface[]): string {
  const out: string[] = [];
  for (const i of interfaces) {
    const master = i.master !== undefined ? ` master ${i.master}` : '';
    const qlen = i.qlen !== undefined ? ` qlen ${i.qlen}` : '';
    const head = `${i.index}: ${i.name}${i.link ?? ''}: <${i.flags}> mtu ${i.mtu} qdisc ${i.qdisc}${master} state ${i.state}`;
    out.push(`${head} group default${qlen === '' ? ' ' : qlen}`);
    const netns =
      i.linkNetns !== undefined ? ` link-netns ${i.linkNetns}` : i.linkNetnsId !== undefined ? ` link-netnsid ${i.linkNetnsId}` : '';
    const queues =
      `numtxqueues ${i.txQueues} numrxqueues ${i.txQueues} gso_max_size 65536 gso_max_segs 65535 ` +
      `tso_max_size ${i.tsoMaxSize} tso_max_segs 65535 gro_max_size 65536 ${i.parent !== undefined ? `${i.parent} ` : ''}`;
    const linkLine =
      `    link/${i.linkType} ${i.mac} brd ${i.brd}${netns} ` +
      `promiscuity ${i.promiscuity}  allmulti ${i.promiscuity} minmtu ${i.minmtu} maxmtu ${i.maxmtu} `;
    if (i.details.length === 0) {
      out.push(linkLine + queues);
    } else {
      out.push(linkLine);
      i.details.forEach((d, k) => out.push(`    ${d} ${k === i.details.length - 1 ? queues : ''}`));
    }
    if (i.altname !== undefined) out.push(`    altname ${i.altname}`);
    for (const a of i.addresses) {
      const flags = (a.flags ?? []).map((f) => `${f} `).join('');
      if (a.cidr.includes(':')) out.push(`    inet6 ${a.cidr} scope ${a.scope} ${flags}`);
      else out.push(`    inet ${a.cidr}${a.brd !== undefined ? ` brd ${a.brd}` : ''} scope ${a.scope} ${flags}${i.name}`);
      out.push(`       valid_lft ${a.validLft ?? 'forever'} preferred_lft ${a.preferredLft ?? 'forever'}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Fields every interface below shares; each constructor overrides what differs. */
const ETHER = {
  flags: 'BROADCAST,MULTICAST,UP,LOWER_UP', mtu: 1500, state: 'UP', qlen: 1000, linkType: 'ether' as const, brd: 'ff:ff:ff:ff:ff:ff',
  promiscuity: 0, minmtu: 68, maxmtu: 65535, txQueues: 1, tsoMaxSize: 524280,
};

/** A dummy kube-ipvs0 holding the bound Service addresses (netlink_linux.go EnsureDummyDevice). */
export function kubeIpvs0(index: number, mac: string, bound: readonly string[]): NetInterface {
  return {
    ...ETHER, index, name: 'kube-ipvs0', flags: 'BROADCAST,NOARP', qdisc: 'noop', state: 'DOWN', qlen: undefined, mac,
    minmtu: 0, maxmtu: 0, details: ['dummy'],
    addresses: bound.map((ip) => ({ cidr: ip.includes(':') ? `${ip}/128` : `${ip}/32`, scope: 'global' as const })),
  };
}

export function loopbackInterface(): NetInterface {
  return {
    ...ETHER, index: 1, name: 'lo', flags: 'LOOPBACK,UP,LOWER_UP', mtu: 65536, qdisc: 'noqueue', state: 'UNKNOWN', linkType: 'loopback',
    mac: '00:00:00:00:00:00', brd: '00:00:00:00:00:00', minmtu: 0, maxmtu: 0, details: [],
    addresses: [{ cidr: '127.0.0.1/8', scope: 'host' }, { cidr: '::1/128', scope: 'host' }],
  };
}

/** A virtio NIC (`eth0` on a cloud VM). */
export function nicInterface(
  index: number,
  name: string,
  mac: string,
  addresses: readonly InterfaceAddress[],
  altname?: string,
): NetInterface {
  return {
    ...ETHER, index, name, qdisc: 'mq', mac, details: [], txQueues: 2, tsoMaxSize: 65536,
    parent: 'parentbus virtio parentdev virtio1', altname, addresses,
  };
}

const BRIDGE_DETAILS = [
  'forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0',
  'bridge_id {id} designated_root {id} root_port 0 root_path_cost 0 topology_change 0 topology_change_detected 0',
  'hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 gc_timer  141.27 group_fwd_mask 0',
  'group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 mcast_vlan_snooping 0 mcast_router 1',
  'mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 mcast_hash_max 4096 mcast_last_member_count 2',
  'mcast_startup_query_count 2 mcast_last_member_interval 100 mcast_membership_interval 26000 mcast_querier_interval 25500',
  'mcast_query_interval 12500 mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0',
  'mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0',
].join(' ');

const BRIDGE_SLAVE_DETAILS = [
  'state forwarding priority 32 cost 2 hairpin on guard off root_block off fastleave off learning on flood on',
  'port_id 0x800{port} port_no 0x{port} designated_port {dport} designated_cost 0 designated_bridge {id} designated_root {id}',
  'hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 topology_change_ack 0 config_pending 0',
  'proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off mcast_flood on bcast_flood on mcast_to_unicast off',
  'neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 vlan_tunnel off isolated off locked off',
].join(' ');

/** The bridge a bridge-CNI (flannel `cni0`, TKE `cbr0`) attaches pods to. */
export function bridgeInterface(index: number, name: string, mac: string, addresses: readonly InterfaceAddress[]): NetInterface {
  const details = `bridge ${BRIDGE_DETAILS.replaceAll('{id}', `8000.${mac}`)}`;
  return { ...ETHER, index, name, qdisc: 'noqueue', mac, addresses, details: [details] };
}

export interface PodVeth {
  readonly index: number;
  readonly name: string;
  /** Index of the pod's end (`@ifN`). */
  readonly peerIndex: number;
  readonly mac: string;
  readonly bridge: string;
  readonly bridgeMac: string;
  /** Bridge port number (1-based). */
  readonly port: number;
  /** The pod's named network namespace (`cni-…`). */
  readonly netns: string;
  readonly linkLocal: string;
}

/** A pod's host-side veth enslaved to the CNI bridge. */
export function podVethInterface(v: PodVeth): NetInterface {
  const slave = BRIDGE_SLAVE_DETAILS.replaceAll('{id}', `8000.${v.bridgeMac}`)
    .replaceAll('{port}', String(v.port))
    .replace('{dport}', String(32768 + v.port));
  return {
    ...ETHER, index: v.index, name: v.name, link: `@if${v.peerIndex}`, qdisc: 'noqueue', master: v.bridge, mac: v.mac,
    linkNetns: v.netns, promiscuity: 1, txQueues: 2, details: ['veth', `bridge_slave ${slave}`],
    addresses: [{ cidr: `${v.linkLocal}/64`, scope: 'link' }],
  };
}

// ─── A synthetic cluster ────────────────────────────────────────────────────────────────────────

const WORDS = [
  'api', 'auth', 'billing', 'cart', 'catalog', 'checkout', 'config', 'cron', 'data', 'edge', 'events', 'feed',
  'gateway', 'geo', 'graph', 'index', 'ingest', 'inventory', 'ledger', 'mail', 'media', 'metrics', 'notify',
  'orders', 'pay', 'profile', 'queue', 'rank', 'report', 'search', 'session', 'shipping', 'stock', 'store', 'sync',
  'tax', 'users', 'web',
];
const ROLES = ['svc', 'api', 'worker', 'grpc', 'http', 'backend', 'frontend', 'cache', 'db', 'proxy'];

/** Cluster layout: nodes in 10.0.0.0/16, pods in 172.16.0.0/12 (a /24 per node), Services in 10.96.0.0/12. */
const GEN = {
  nodeIP: (k: number): string => intToIpv4(ipv4ToInt('10.0.0.0') + 10 + k),
  podBase: (k: number): number => ipv4ToInt('172.16.0.0') + k * 256,
  clusterCidr: '172.16.0.0/12',
  serviceCidr: '10.96.0.0/12',
  lbBase: ipv4ToInt('10.0.128.0'),
};

/** The Services of a cluster of about `count` Service objects, seen from node 0. */
export function synthesizeCluster(count: number, seed: number): ClusterModel {
  const prng = createPrng(seed);
  const portsPerNode = 100;
  const nodeCount = Math.max(4, Math.ceil((count * 2.6) / portsPerNode));
  const me = 'node-0';
  const nodeIP = GEN.nodeIP(0);
  const bridgeIP = intToIpv4(GEN.podBase(0) + 1);
  const nextPod = new Array<number>(nodeCount).fill(2);
  const podOn = (k: number): string => {
    const offset = nextPod[k] ?? 2;
    nextPod[k] = offset >= 254 ? 2 : offset + 1;
    return intToIpv4(GEN.podBase(k) + offset);
  };
  const usedClusterIPs = new Set<number>();
  const clusterIP = (): string => {
    for (;;) {
      const n = ipv4ToInt('10.96.0.0') + prng.int(11, (1 << 20) - 2);
      if (!usedClusterIPs.has(n)) {
        usedClusterIPs.add(n);
        return intToIpv4(n);
      }
    }
  };
  const freeNodePorts = { tcp: new Set<number>(), udp: new Set<number>() };
  const nodePort = (proto: L4Protocol): number | undefined => {
    const used = freeNodePorts[proto];
    if (used.size >= 2767) return undefined;
    for (;;) {
      const p = prng.int(30000, 32767);
      if (!used.has(p)) {
        used.add(p);
        return p;
      }
    }
  };
  let lbNext = 0;
  const services: ServicePortModel[] = [];
  const endpointsOf = (n: number, port: number): EndpointModel[] => {
    const eps: EndpointModel[] = [];
    const seen = new Set<string>();
    while (eps.length < n) {
      const local = prng.chance(0.15);
      const k = local ? 0 : prng.int(1, nodeCount - 1);
      const ip = podOn(k);
      if (seen.has(ip)) continue;
      seen.add(ip);
      eps.push({ ip, port, nodeName: `node-${k}`, local });
    }
    return eps;
  };

  const plain = { loadBalancerIPs: [], externalPolicy: 'Cluster' as const, sourceRanges: [] };
  // The API servers run host-network on nodes 1-3.
  const apiServers = [1, 2, 3].map((k) => ({ ip: GEN.nodeIP(k), port: 6443, nodeName: `node-${k}`, local: false }));
  services.push({
    ...plain, namespace: 'default', name: 'kubernetes', portName: 'https', protocol: 'tcp', clusterIP: '10.96.0.1', port: 443,
    endpoints: apiServers,
  });
  const dnsPods = endpointsOf(2, 53);
  for (const [portName, protocol, port] of [['dns', 'udp', 53], ['dns-tcp', 'tcp', 53], ['metrics', 'tcp', 9153]] as const) {
    const endpoints = dnsPods.map((e) => ({ ...e, port }));
    services.push({ ...plain, namespace: 'kube-system', name: 'kube-dns', portName, protocol, clusterIP: '10.96.0.10', port, endpoints });
  }
  usedClusterIPs.add(ipv4ToInt('10.96.0.1')).add(ipv4ToInt('10.96.0.10'));

  for (let i = 2; i < count; i++) {
    const group = Math.floor(i / 25);
    const namespace = `${WORDS[group % WORDS.length]}-${Math.floor(group / WORDS.length)}`;
    const name = `${prng.pick(WORDS)}-${prng.pick(ROLES)}-${i}`;
    const protocol: L4Protocol = prng.chance(0.05) ? 'udp' : 'tcp';
    const port = prng.pick(protocol === 'udp' ? [53, 514, 8125, 6831] : [80, 443, 8080, 8443, 9090, 3000, 5432, 6379]);
    const kind = prng.next();
    const type = kind < 0.6 ? 'ClusterIP' : kind < 0.75 ? 'NodePort' : 'LoadBalancer';
    // NodePorts come from 30000-32767; once they run out, NodePort Services cannot exist and
    // LoadBalancers are created with allocateLoadBalancerNodePorts: false.
    const np = type === 'ClusterIP' ? undefined : nodePort(protocol);
    const isLB = type === 'LoadBalancer';
    const externallyReachable = isLB || np !== undefined;
    const wantsLocal = externallyReachable && prng.chance(0.4);
    // The API server gives a Local LoadBalancer a healthCheckNodePort from the same range.
    const hc = wantsLocal && isLB ? nodePort('tcp') : undefined;
    const externalPolicy: ExternalPolicy = wantsLocal && (!isLB || hc !== undefined) ? 'Local' : 'Cluster';
    const epCount = prng.chance(0.03) ? 0 : prng.int(1, 4);
    services.push({
      namespace,
      name,
      portName: prng.chance(0.7) ? (protocol === 'udp' ? 'udp' : prng.pick(['http', 'https', 'grpc', 'metrics'])) : '',
      protocol,
      clusterIP: clusterIP(),
      port,
      nodePort: np,
      loadBalancerIPs: isLB ? [intToIpv4(GEN.lbBase + lbNext++)] : [],
      externalPolicy,
      healthCheckNodePort: externalPolicy === 'Local' ? hc : undefined,
      sourceRanges: isLB && prng.chance(0.1) ? ['203.0.113.0/24', '10.0.0.0/16'] : [],
      affinityTimeout: prng.chance(0.05) ? 10800 : undefined,
      endpoints: endpointsOf(epCount, prng.pick([8080, 8443, 9000, 3000, port])),
    });
  }
  return {
    node: {
      name: me,
      family: 'ipv4',
      ip: nodeIP,
      podCidr: `${intToIpv4(GEN.podBase(0))}/24`,
      localAddresses: [{ ip: '127.0.0.1', dev: 'lo' }, { ip: nodeIP, dev: 'eth0' }, { ip: bridgeIP, dev: 'cni0' }],
    },
    clusterCidr: GEN.clusterCidr,
    serviceCidr: GEN.serviceCidr,
    services,
    bindLoadBalancerIPs: true,
  };
}

const GENERATED_ON = 'Tue Nov 17 09:12:44 2026';

/** Spread a few live connections over the real servers, as a busy node shows them. */
function addTraffic(state: IpvsState, prng: Prng): void {
  for (const vs of state.virtualServers) {
    for (const d of vs.dests) {
      if (prng.chance(0.2)) {
        d.activeConn = prng.int(0, 12);
        d.inactConn = prng.int(0, 40);
      }
    }
  }
}

export function generateNode(options: GenerateOptions): GeneratedNode {
  const generation = options.generation ?? 'current';
  const seed = options.seed ?? 1;
  const cluster = synthesizeCluster(Math.max(2, options.services), seed);
  const header: SaveHeader =
    generation === 'current'
      ? { flavor: 'nft', version: '1.8.9', date: GENERATED_ON }
      : { flavor: 'legacy', version: '1.8.4', date: GENERATED_ON };
  if (options.mode === 'iptables') {
    const rs = generation === 'current' ? kubeProxyIptablesCurrent(cluster) : kubeProxyIptablesPre124(cluster);
    return { files: { 'iptables-save.txt': printIptablesSave(rs, header) }, cluster };
  }
  const prng = createPrng(seed ^ 0x5eed);
  const state = kubeProxyIpvsState(cluster, generation);
  addTraffic(state, prng);
  const rs = kubeProxyIpvsRules(cluster, generation, state);
  const node = cluster.node;
  const interfaces = [
    loopbackInterface(),
    nicInterface(2, 'eth0', '52:54:00:12:00:0a', [
      { cidr: `${node.ip}/16`, brd: '10.0.255.255', scope: 'global' },
      { cidr: 'fe80::5054:ff:fe12:a/64', scope: 'link' },
    ], 'enp0s5'),
    bridgeInterface(3, 'cni0', '0a:58:ac:10:00:01', [
      { cidr: `${intToIpv4(GEN.podBase(0) + 1)}/24`, brd: intToIpv4(GEN.podBase(0) + 255), scope: 'global' },
      { cidr: 'fe80::858:acff:fe10:1/64', scope: 'link' },
    ]),
    kubeIpvs0(4, '6e:2c:51:0d:8a:93', state.bound),
  ];
  return {
    files: {
      'iptables-save.txt': printIptablesSave(rs, header),
      'ipset-save.txt': printIpsetSave(state.sets, node.family, { bucketsize: generation === 'current', prng }),
      'ipvsadm-Ln.txt': printIpvsadmList(state.virtualServers),
      'ip-addr.txt': printIpAddr(interfaces),
    },
    cluster,
  };
}
