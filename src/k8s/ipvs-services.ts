/**
 * Service ports from kube-proxy's IPVS mode (pkg/proxy/ipvs/proxier.go syncProxyRules): one
 * virtual service per cluster IP, external IP and load-balancer IP and port, and per NodePort on
 * every NodePort address; the real servers are the endpoints. The ipsets (ipset.go) say what
 * each address is and carry the policies IPVS itself cannot express:
 *
 * - KUBE-CLUSTER-IP, KUBE-EXTERNAL-IP, KUBE-LOAD-BALANCER (ip,proto:port): the role of an address;
 * - KUBE-EXTERNAL-IP-LOCAL, KUBE-LOAD-BALANCER-LOCAL, KUBE-NODE-PORT-LOCAL-{TCP,UDP,SCTP-HASH}:
 *   externalTrafficPolicy Local (those skip KUBE-MARK-MASQ);
 * - KUBE-NODE-PORT-{TCP,UDP} (bitmap:port), KUBE-NODE-PORT-SCTP-HASH: the NodePorts;
 * - KUBE-LOAD-BALANCER-FW, -SOURCE-CIDR, -SOURCE-IP: loadBalancerSourceRanges (the SOURCE-IP entry
 *   of an LB IP with itself is the node-loopback allowance, not a range);
 * - KUBE-LOOP-BACK (ip,proto:port,ip): the endpoints local to this node (hairpin masquerade);
 * - KUBE-HEALTH-CHECK-NODE-PORT: health-check NodePorts (tied to a Service only by kubectl JSON).
 * IPv6 sets are named `KUBE-6-…` (cut at ipset's 31 characters).
 *
 * IPVS keeps no names: a virtual service is tied to its Service by kubectl JSON when given, and
 * otherwise by the cluster IP whose ports and real servers contain its own (evidence `grouping`).
 *
 * Size (~480 lines): the set lookups, the classification of virtual services and the two
 * groupings are one reading of pkg/proxy/ipvs; `readIpvsServices`' inner `fill` shares the call's
 * drafts and settings with the groupings (house rule 10), and nothing outlives the call.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceRef } from '../../grammar/source.js';
import type { IpSet, IpSetMember } from '../model/ipset/types.js';
import { SCTP, TCP, UDP } from '../model/ipset/protocols.js';
import type { IpvsTable } from '../model/ipvs/types.js';
import { parseAddress, type Cidr, type Family } from '../model/values/address.js';
import type { DraftTable, ServicePortDraft, SettingsDraft } from './draft.js';
import { servicePortNameString } from './chain-names.js';
import type { KubectlObjects, NodeAddress, ServiceProtocol } from './types.js';

type Role = 'cluster' | 'external' | 'lb' | 'nodeport';

/** A virtual service, or an ipset member standing for one when there is no IPVS table. */
interface Portal {
  role: Role;
  readonly family: Family;
  readonly address: Cidr;
  readonly protocol: ServiceProtocol;
  readonly port: number;
  readonly reals: readonly { readonly address: string; readonly port: number | null; readonly at: SourceRef }[];
  readonly persistence: number | null;
  /** False for a portal made from an ipset member: its real servers are unknown. */
  readonly fromTable: boolean;
  readonly at: SourceRef;
  assigned: boolean;
}

const PROTOCOL_NUMBER: Readonly<Record<ServiceProtocol, number>> = { tcp: TCP, udp: UDP, sctp: SCTP };

/** pkg/proxy/ipvs/ipset.go NewIPSet: IPv6 sets are `KUBE-6-…`, cut to ipset's 31 characters. */
export function ipvsSetName(base: string, family: Family): string {
  return family === 'ipv4' ? base : base.replace('KUBE-', 'KUBE-6-').slice(0, 31);
}

function endpointKey(address: string, port: number | null): string {
  return `${address}|${port ?? ''}`;
}

function portalText(p: Pick<Portal, 'family' | 'address' | 'port' | 'protocol'>): string {
  return `${p.family === 'ipv6' ? `[${p.address.text}]` : p.address.text}:${p.port}/${p.protocol}`;
}

/**
 * kube-proxy's sets, with the member lookups the catalogue needs (each returns the member, for
 * evidence). kube-proxy adds single addresses and ports, so members are indexed by
 * `address|protocol|port` (ports by number); a member holding a prefix or a range (hand-made
 * input) is found by a scan, as the kernel would match it.
 */
class KubeSets {
  private readonly byName: ReadonlyMap<string, IpSet>;
  private readonly exact = new Map<IpSet, Map<string, IpSetMember[]>>();
  private readonly wide = new Map<IpSet, IpSetMember[]>();

  constructor(sets: readonly IpSet[]) {
    this.byName = new Map(sets.map((s) => [s.name, s]));
  }

  get(base: string, family: Family): IpSet | undefined {
    return this.byName.get(ipvsSetName(base, family));
  }

  /** Members by `address|protocol|port` (or `port` for bitmap:port), and those that cover more. */
  private index(set: IpSet): { exact: Map<string, IpSetMember[]>; wide: IpSetMember[] } {
    let exact = this.exact.get(set);
    let wide = this.wide.get(set);
    if (exact && wide) return { exact, wide };
    exact = new Map();
    wide = [];
    for (const m of set.members) {
      const [a, p] = m.dims;
      let key: string | null = null;
      if (a?.kind === 'port' && a.from === a.to) key = String(a.from);
      else if (a?.kind === 'address' && a.first === a.last && p?.kind === 'port' && p.from === p.to && p.protocol !== null) key = `${a.family}|${a.first}|${p.protocol}|${p.from}`;
      if (key === null) wide.push(m);
      else exact.set(key, [...(exact.get(key) ?? []), m]);
    }
    this.exact.set(set, exact);
    this.wide.set(set, wide);
    return { exact, wide };
  }

  /** A hash:ip,port[,…] member for address, protocol and port. */
  ipPort(base: string, family: Family, address: Cidr, protocol: ServiceProtocol, port: number): IpSetMember | null {
    const set = this.get(base, family);
    if (!set) return null;
    const { exact, wide } = this.index(set);
    const hit = exact.get(`${address.family}|${address.first}|${PROTOCOL_NUMBER[protocol]}|${port}`)?.find((m) => !m.nomatch);
    if (hit) return hit;
    for (const m of wide) {
      const [a, p] = m.dims;
      if (a?.kind !== 'address' || p?.kind !== 'port' || m.nomatch) continue;
      if (a.family === address.family && a.first <= address.first && address.first <= a.last && (p.protocol === null || p.protocol === PROTOCOL_NUMBER[protocol]) && p.from <= port && port <= p.to) return m;
    }
    return null;
  }

  /** A bitmap:port member (KUBE-NODE-PORT-TCP/UDP) holding a port. */
  port(base: string, port: number): IpSetMember | null {
    const set = this.byName.get(base);
    if (!set) return null;
    const { exact, wide } = this.index(set);
    const hit = exact.get(String(port))?.[0];
    if (hit) return hit;
    for (const m of wide) {
      const [p] = m.dims;
      if (p?.kind === 'port' && p.from <= port && port <= p.to) return m;
    }
    return null;
  }

  /** The third dimension of hash:ip,port,ip / hash:ip,port,net members for address, protocol and port. */
  thirds(base: string, family: Family, address: Cidr, protocol: ServiceProtocol, port: number): { text: string; member: IpSetMember }[] {
    const set = this.get(base, family);
    if (!set) return [];
    const { exact } = this.index(set);
    const out: { text: string; member: IpSetMember }[] = [];
    for (const m of exact.get(`${address.family}|${address.first}|${PROTOCOL_NUMBER[protocol]}|${port}`) ?? []) {
      const c = m.dims[2];
      if (c?.kind === 'address') out.push({ text: c.text, member: m });
    }
    return out;
  }

  /** KUBE-LOOP-BACK has endpoint,proto:port,endpoint for each local endpoint. */
  loopBack(family: Family, address: Cidr, protocol: ServiceProtocol, port: number): IpSetMember | null {
    return this.thirds('KUBE-LOOP-BACK', family, address, protocol, port).find((t) => t.text === address.text)?.member ?? null;
  }
}

function nodePortMember(sets: KubeSets, local: boolean, p: Pick<Portal, 'family' | 'address' | 'protocol' | 'port'>): IpSetMember | null {
  const infix = local ? 'NODE-PORT-LOCAL' : 'NODE-PORT';
  if (p.protocol === 'sctp') return sets.ipPort(`KUBE-${infix}-SCTP-HASH`, p.family, p.address, 'sctp', p.port);
  return sets.port(ipvsSetName(`KUBE-${infix}-${p.protocol.toUpperCase()}`, p.family), p.port);
}

/** Whether the NodePort set of a portal's protocol and family was given at all. */
function nodePortSetGiven(sets: KubeSets, p: Pick<Portal, 'family' | 'protocol'>): boolean {
  return p.protocol === 'sctp' ? sets.get('KUBE-NODE-PORT-SCTP-HASH', p.family) !== undefined : sets.get(`KUBE-NODE-PORT-${p.protocol.toUpperCase()}`, p.family) !== undefined;
}

function nodePortLocalSetGiven(sets: KubeSets, p: Pick<Portal, 'family' | 'protocol'>): boolean {
  return p.protocol === 'sctp'
    ? sets.get('KUBE-NODE-PORT-LOCAL-SCTP-HASH', p.family) !== undefined
    : sets.get(`KUBE-NODE-PORT-LOCAL-${p.protocol.toUpperCase()}`, p.family) !== undefined;
}

/** kube-proxy's IPVS-mode sets (ipset.go), by their IPv4 names. */
const KUBE_SETS: readonly string[] = [
  'KUBE-LOOP-BACK',
  'KUBE-CLUSTER-IP',
  'KUBE-EXTERNAL-IP',
  'KUBE-EXTERNAL-IP-LOCAL',
  'KUBE-LOAD-BALANCER',
  'KUBE-LOAD-BALANCER-LOCAL',
  'KUBE-LOAD-BALANCER-FW',
  'KUBE-LOAD-BALANCER-SOURCE-IP',
  'KUBE-LOAD-BALANCER-SOURCE-CIDR',
  'KUBE-NODE-PORT-TCP',
  'KUBE-NODE-PORT-LOCAL-TCP',
  'KUBE-NODE-PORT-UDP',
  'KUBE-NODE-PORT-LOCAL-UDP',
  'KUBE-NODE-PORT-SCTP-HASH',
  'KUBE-NODE-PORT-LOCAL-SCTP-HASH',
  'KUBE-HEALTH-CHECK-NODE-PORT',
];

function isLoopback(a: Cidr): boolean {
  return a.family === 'ipv4' ? a.first >> 24n === 127n : a.first === 1n;
}

export interface IpvsReadOptions {
  readonly ipvs: IpvsTable | null;
  readonly ipsets: readonly IpSet[] | null;
  readonly localAddresses: readonly NodeAddress[] | null;
  readonly kubectl: KubectlObjects | null;
}

export function readIpvsServices(options: IpvsReadOptions, drafts: DraftTable, settings: SettingsDraft, diagnostics: Diagnostic[]): void {
  const sets = new KubeSets(options.ipsets ?? []);
  const haveSets = (options.ipsets ?? []).some((set) => KUBE_SETS.includes(set.name.replace(/^KUBE-6-/, 'KUBE-')));
  if (!haveSets) diagnostics.push(diagnose('k8s/ipvs-without-ipsets', options.ipvs?.services[0]?.at ?? null));
  /** A set of kube-proxy's was given (its absence says nothing; an empty one does). */
  const given = (base: string, family: Family): boolean => sets.get(base, family) !== undefined;
  // kube-proxy binds Service IPs to its dummy interface kube-ipvs0 (proxier.go defaultDummyDevice);
  // those are local addresses too, but NodePorts listen on the others.
  const isNodeAddress = (a: Cidr): boolean =>
    (options.localAddresses ?? []).some((n) => n.interface !== 'kube-ipvs0' && n.address.family === a.family && n.address.first <= a.first && a.first <= n.address.last);

  const portals: Portal[] = [];
  if (options.ipvs) {
    const unclassified: Portal[] = [];
    for (const vs of options.ipvs.services) {
      if (vs.protocol === 'fwm' || !vs.address || vs.port === null) continue;
      const protocol = vs.protocol;
      const reals = vs.realServers.filter((r) => r.address !== null).map((r) => ({ address: r.address!.text, port: r.port, at: r.at }));
      const base = { family: vs.family, address: vs.address, protocol, port: vs.port };
      let role: Role | null;
      if (sets.ipPort('KUBE-CLUSTER-IP', vs.family, vs.address, protocol, vs.port)) role = 'cluster';
      else if (sets.ipPort('KUBE-LOAD-BALANCER', vs.family, vs.address, protocol, vs.port)) role = 'lb';
      else if (sets.ipPort('KUBE-EXTERNAL-IP', vs.family, vs.address, protocol, vs.port) || sets.ipPort('KUBE-EXTERNAL-IP-LOCAL', vs.family, vs.address, protocol, vs.port)) role = 'external';
      else if (nodePortMember(sets, false, base)) role = 'nodeport';
      else role = null;
      const portal: Portal = { ...base, role: role ?? 'nodeport', reals, persistence: vs.persistent?.timeout ?? null, fromTable: true, at: vs.at, assigned: false };
      if (role === null) unclassified.push(portal);
      else portals.push(portal);
    }
    // In no set. kube-proxy opens a NodePort on every node address (127.0.0.1 included), all with
    // the same real servers: without the NodePort set, such an address, or one sharing a port and
    // real servers with such an address, is a NodePort. Without the cluster-IP set, any other
    // address is taken as a cluster IP; with both sets given, it is not kube-proxy's.
    const anchor = (p: Portal): boolean => isNodeAddress(p.address) || isLoopback(p.address);
    const shape = (p: Portal): string => `${p.protocol}|${p.port}|${[...realKeys(p)].sort().join(',')}`;
    const anchored = new Set(unclassified.filter(anchor).map(shape));
    for (const p of unclassified) {
      const nodePortLike = anchor(p) || anchored.has(shape(p));
      if (!nodePortSetGiven(sets, p) && nodePortLike) portals.push(p);
      else if (!given('KUBE-CLUSTER-IP', p.family)) portals.push({ ...p, role: 'cluster' });
      else diagnostics.push(diagnose('k8s/unassigned-ipvs-service', p.at, portalText(p), "in none of kube-proxy's ipsets: not a Kubernetes Service; left out"));
    }
  } else if (options.ipsets) {
    diagnostics.push(diagnose('k8s/ipvs-without-table', sets.get('KUBE-CLUSTER-IP', 'ipv4')?.at ?? null));
    for (const family of ['ipv4', 'ipv6'] as const) {
      for (const [base, role] of [
        ['KUBE-CLUSTER-IP', 'cluster'],
        ['KUBE-LOAD-BALANCER', 'lb'],
        ['KUBE-EXTERNAL-IP', 'external'],
        ['KUBE-EXTERNAL-IP-LOCAL', 'external'],
      ] as const) {
        for (const m of sets.get(base, family)?.members ?? []) {
          const [a, p] = m.dims;
          if (a?.kind !== 'address' || p?.kind !== 'port' || a.prefix === null) continue;
          const protocol = p.protocol === TCP ? 'tcp' : p.protocol === UDP ? 'udp' : p.protocol === SCTP ? 'sctp' : null;
          const address = parseAddress(a.text);
          if (!protocol || !address) continue;
          portals.push({ role, family, address, protocol, port: p.from, reals: [], persistence: null, fromTable: false, at: m.at, assigned: false });
        }
      }
    }
  }

  const clusterDraft = new Map<string, ServicePortDraft>();
  const fill = (d: ServicePortDraft, p: Portal, how: string | null): void => {
    p.assigned = true;
    d.foundIn.add('ipvs');
    d.setProtocol(p.protocol);
    const shown = portalText(p);
    if (how) d.note('grouping', `${shown} ${how}`, p.at);
    switch (p.role) {
      case 'cluster':
        d.addClusterIP(p.address.text, p.at, `${shown} (${p.fromTable ? 'IPVS virtual service' : 'KUBE-CLUSTER-IP member'})`);
        d.setPort(p.port);
        clusterDraft.set(shown, d);
        break;
      case 'external': {
        d.addExternalIP(p.address.text, p.at, `${shown} (in KUBE-EXTERNAL-IP${sets.ipPort('KUBE-EXTERNAL-IP-LOCAL', p.family, p.address, p.protocol, p.port) ? '-LOCAL' : ''})`);
        d.setPort(p.port);
        const local = sets.ipPort('KUBE-EXTERNAL-IP-LOCAL', p.family, p.address, p.protocol, p.port);
        if (local) d.setExternalPolicy('Local', local.at, `${shown} is in ${ipvsSetName('KUBE-EXTERNAL-IP-LOCAL', p.family)}`);
        else if (given('KUBE-EXTERNAL-IP-LOCAL', p.family)) d.setExternalPolicy('Cluster', p.at, `${shown} is not in ${ipvsSetName('KUBE-EXTERNAL-IP-LOCAL', p.family)}`);
        break;
      }
      case 'lb': {
        d.addLoadBalancerIP(p.address.text, p.at, `${shown} (in ${ipvsSetName('KUBE-LOAD-BALANCER', p.family)})`);
        d.setPort(p.port);
        const local = sets.ipPort('KUBE-LOAD-BALANCER-LOCAL', p.family, p.address, p.protocol, p.port);
        if (local) d.setExternalPolicy('Local', local.at, `${shown} is in ${ipvsSetName('KUBE-LOAD-BALANCER-LOCAL', p.family)}`);
        else if (given('KUBE-LOAD-BALANCER-LOCAL', p.family)) d.setExternalPolicy('Cluster', p.at, `${shown} is not in ${ipvsSetName('KUBE-LOAD-BALANCER-LOCAL', p.family)}`);
        if (sets.ipPort('KUBE-LOAD-BALANCER-FW', p.family, p.address, p.protocol, p.port)) {
          for (const r of sets.thirds('KUBE-LOAD-BALANCER-SOURCE-CIDR', p.family, p.address, p.protocol, p.port)) {
            d.addSourceRange(r.text, r.member.at, `${r.member.text} in ${ipvsSetName('KUBE-LOAD-BALANCER-SOURCE-CIDR', p.family)}`);
          }
          for (const r of sets.thirds('KUBE-LOAD-BALANCER-SOURCE-IP', p.family, p.address, p.protocol, p.port)) {
            // The LB IP itself is allowed so that the node can reach its own VIP (proxier.go: allowFromNode).
            if (r.text !== p.address.text) d.addSourceRange(r.text, r.member.at, `${r.member.text} in ${ipvsSetName('KUBE-LOAD-BALANCER-SOURCE-IP', p.family)}`);
          }
        }
        break;
      }
      case 'nodeport': {
        d.setNodePort(p.port, p.at, `${shown} (${p.fromTable ? 'IPVS virtual service' : 'ipset member'} on a node address)`);
        settings.addNodePortAddress(p.address.text, p.at, `NodePort virtual service on ${p.address.text}`);
        const local = nodePortMember(sets, true, p);
        if (local) d.setExternalPolicy('Local', local.at, `NodePort ${p.port}/${p.protocol} is in the NodePort LOCAL set`);
        else if (nodePortLocalSetGiven(sets, p)) d.setExternalPolicy('Cluster', p.at, `NodePort ${p.port}/${p.protocol} is not in the NodePort LOCAL set`);
        break;
      }
    }
    if (p.persistence !== null) d.setAffinity(p.persistence, p.at, `${shown} is persistent for ${p.persistence} s`);
    const localPolicy = p.role !== 'cluster' && d.externalTrafficPolicy === 'Local';
    for (const r of p.reals) {
      const e = d.endpoint(r.address, r.port, r.at);
      if (p.role === 'cluster') e.inClusterSet = true;
      if (localPolicy) e.inLocalSet = true;
    }
    if (p.role === 'cluster' && p.fromTable && p.reals.length === 0) d.setNoEndpoints(p.at, `${shown} has no real server`);
  };

  // With kubectl objects, every Service port finds its own virtual services by address and port.
  const byAddress = new Map<string, Portal[]>();
  const add = (key: string, p: Portal): void => {
    const list = byAddress.get(key);
    if (list) list.push(p);
    else byAddress.set(key, [p]);
  };
  for (const p of portals) add(p.role === 'nodeport' ? `nodeport|${p.protocol}|${p.port}` : `${p.role}|${p.address.text}|${p.protocol}|${p.port}`, p);
  for (const svc of options.kubectl?.services ?? []) {
    if (svc.type === 'ExternalName' || svc.clusterIPs.length === 0 || svc.clusterIPs[0] === 'None') continue;
    for (const port of svc.ports) {
      const name = servicePortNameString(svc.namespace, svc.name, port.name);
      const keys = [
        ...svc.clusterIPs.map((ip) => `cluster|${ip}|${port.protocol}|${port.port}`),
        ...svc.externalIPs.map((ip) => `external|${ip}|${port.protocol}|${port.port}`),
        ...svc.loadBalancerIPs.map((ip) => `lb|${ip}|${port.protocol}|${port.port}`),
        ...(port.nodePort !== null ? [`nodeport|${port.protocol}|${port.nodePort}`] : []),
      ];
      const mine = keys.flatMap((k) => byAddress.get(k) ?? []).filter((p) => !p.assigned);
      if (mine.length === 0) continue;
      const d = drafts.forName(name, port.protocol);
      d.setName(name, port.at, diagnostics);
      for (const p of mine) fill(d, p, `matches ${name} in kubectl JSON`);
    }
  }

  // Without names: each cluster IP and port is a Service port of its own.
  for (const p of portals) {
    if (p.assigned || p.role !== 'cluster') continue;
    fill(drafts.forAddressKey(portalText(p)), p, null);
  }

  groupExternalAddresses(portals, clusterDraft, fill, drafts, diagnostics);
  groupNodePorts(portals, clusterDraft, fill, drafts, diagnostics);

  // Local endpoints: KUBE-LOOP-BACK lists each endpoint on this node (proxier.go: epInfo.IsLocal()).
  for (const d of drafts.all()) {
    if (!d.foundIn.has('ipvs')) continue;
    for (const e of d.endpoints.values()) {
      const address = parseAddress(e.address);
      if (!address || e.port === null || e.local !== 'unknown') continue;
      const loop = sets.get('KUBE-LOOP-BACK', address.family);
      if (!loop || !loop.membersKnown) continue;
      const member = sets.loopBack(address.family, address, d.protocol ?? 'tcp', e.port);
      e.local = member !== null;
      if (member) d.note('local-endpoint', `${e.address}:${e.port} is in ${loop.name} (${member.text})`, member.at);
      else if (e.at) d.note('remote-endpoint', `${e.address}:${e.port} is not in ${loop.name}`, e.at);
    }
    // A cluster IP with a remote real server cannot have internalTrafficPolicy Local (only local endpoints then).
    const remote = [...d.endpoints.values()].find((e) => e.inClusterSet && e.local === false);
    if (remote?.at) d.setInternalPolicy('Cluster', remote.at, `the cluster IP's real server ${remote.address} is not local`);
  }

  // Health-check NodePorts: kubectl ties them to Services; the rest stay node-wide.
  const healthSet = sets.get('KUBE-HEALTH-CHECK-NODE-PORT', 'ipv4');
  for (const m of healthSet?.members ?? []) {
    const [p] = m.dims;
    if (p?.kind !== 'port') continue;
    const owner = (options.kubectl?.services ?? []).find((s) => s.healthCheckNodePort === p.from);
    // One health check per Service: every port of it carries the same one (proxier.go HealthCheckNodePort()).
    const mine = owner ? drafts.all().filter((x) => x.namespace === owner.namespace && x.name === owner.name) : [];
    for (const d of mine) d.setHealthCheckNodePort(p.from, m.at, `${p.from} is in ${healthSet!.name}`);
    if (mine.length === 0 && !settings.unassignedHealthCheckNodePorts.includes(p.from)) settings.unassignedHealthCheckNodePorts.push(p.from);
  }
}

type Fill = (d: ServicePortDraft, p: Portal, how: string | null) => void;

const realKeyCache = new WeakMap<Portal, Set<string>>();

function realKeys(p: Portal): Set<string> {
  let keys = realKeyCache.get(p);
  if (!keys) {
    keys = new Set(p.reals.map((r) => endpointKey(r.address, r.port)));
    realKeyCache.set(p, keys);
  }
  return keys;
}

function subset(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * An external or LB address carries every port of its Service, each balanced over (a subset of)
 * the same endpoints as the cluster IP and port: the one cluster IP whose ports include all of
 * the address's ports, with real servers containing each port's, is its Service's.
 */
function groupExternalAddresses(portals: Portal[], clusterDraft: Map<string, ServicePortDraft>, fill: Fill, drafts: DraftTable, diagnostics: Diagnostic[]): void {
  const clusters = new Map<string, Portal[]>();
  for (const p of portals) if (p.role === 'cluster') clusters.set(p.address.text, [...(clusters.get(p.address.text) ?? []), p]);
  const externals = new Map<string, Portal[]>();
  for (const p of portals) if (!p.assigned && (p.role === 'lb' || p.role === 'external')) externals.set(p.address.text, [...(externals.get(p.address.text) ?? []), p]);
  // Candidates are found through an index: by a real server the address balances to, or, for an
  // address without real servers, by the exact set of ports (its only trace of its Service).
  const signature = (ps: readonly Portal[]): string => ps.map((p) => `${p.family}|${p.protocol}|${p.port}`).sort().join(',');
  const bySignature = new Map<string, string[]>();
  const byReal = new Map<string, Set<string>>();
  for (const [address, cps] of clusters) {
    const sig = signature(cps);
    bySignature.set(sig, [...(bySignature.get(sig) ?? []), address]);
    for (const c of cps) for (const key of realKeys(c)) byReal.set(key, (byReal.get(key) ?? new Set()).add(address));
  }
  for (const group of externals.values()) {
    const someReal = group.flatMap((g) => [...realKeys(g)])[0];
    let pick: readonly Portal[] | undefined;
    let how: string;
    if (someReal !== undefined) {
      const candidates = [...(byReal.get(someReal) ?? [])].filter((address) =>
        group.every((g) => clusters.get(address)!.some((c) => c.family === g.family && c.protocol === g.protocol && c.port === g.port && subset(realKeys(g), realKeys(c)))),
      );
      const exact = candidates.filter((address) => clusters.get(address)!.length === group.length);
      const chosen = candidates.length === 1 ? candidates[0] : exact.length === 1 ? exact[0] : undefined;
      pick = chosen === undefined ? undefined : clusters.get(chosen);
      how = "its real servers are among the cluster IP's";
    } else {
      const same = bySignature.get(signature(group)) ?? [];
      pick = same.length === 1 ? clusters.get(same[0]!) : undefined;
      how = 'the only cluster IP with the same ports';
    }
    for (const g of group) {
      const c = pick?.find((x) => x.protocol === g.protocol && x.port === g.port);
      const d = c ? clusterDraft.get(portalText(c)) : undefined;
      if (d && c) {
        fill(d, g, `was tied to cluster IP ${portalText(c)}: ${how}`);
      } else {
        diagnostics.push(diagnose('k8s/unassigned-ipvs-service', g.at, portalText(g), g.role === 'lb' ? 'load-balancer IP' : 'external IP'));
        fill(drafts.forAddressKey(portalText(g)), g, null);
      }
    }
  }
}

/** A NodePort balances over (a subset of) its Service port's endpoints: the one cluster IP whose real servers contain them. */
function groupNodePorts(portals: Portal[], clusterDraft: Map<string, ServicePortDraft>, fill: Fill, drafts: DraftTable, diagnostics: Diagnostic[]): void {
  const byPort = new Map<string, Portal[]>();
  for (const p of portals) if (!p.assigned && p.role === 'nodeport') byPort.set(`${p.protocol}/${p.port}`, [...(byPort.get(`${p.protocol}/${p.port}`) ?? []), p]);
  const byReal = new Map<string, Portal[]>();
  for (const p of portals) {
    if (p.role !== 'cluster') continue;
    for (const key of realKeys(p)) byReal.set(key, [...(byReal.get(key) ?? []), p]);
  }
  for (const group of byPort.values()) {
    const reals = new Set(group.flatMap((g) => [...realKeys(g)]));
    const first = group[0]!;
    const some = reals.values().next();
    const near = some.done ? [] : (byReal.get(some.value) ?? []);
    const candidates = near.filter((c) => c.protocol === first.protocol && subset(reals, realKeys(c)));
    const c = candidates.length === 1 ? candidates[0]! : null;
    const d = c ? clusterDraft.get(portalText(c)) : undefined;
    if (d && c) {
      for (const g of group) fill(d, g, `was tied to cluster IP ${portalText(c)}: its real servers are among the cluster IP's`);
      continue;
    }
    diagnostics.push(diagnose('k8s/unassigned-ipvs-service', first.at, `NodePort ${first.port}/${first.protocol}`, 'NodePort'));
    const own = drafts.forAddressKey(`nodeport:${first.port}/${first.protocol}`);
    for (const g of group) fill(own, g, null);
  }
}
