/**
 * From a sample bundle (samples/<name>/) to what the agreement test needs: a topology that has the
 * sample node's addresses, the rules to load (adapted where the harness's node differs), the same
 * texts for iptlens, and the packets to ask about.
 *
 * What is taken from the sample, and what is adapted (each sample's `adaptations` lists it):
 * - the uplink's address, prefix and gateway (ip-addr.txt / ip-route.txt), the pod bridge's
 *   address and prefix; samples without an ip-addr.txt take them from their routes (Calico: the
 *   connected route's `src`, the `blackhole` block of its pod IPs) or from the README (ipv6);
 * - addresses on kube-ipvs0 (IPVS samples) become the topology's extra local addresses;
 * - the pod bridge is always `cni0` in the harness: `cbr0`/`docker0` are renamed in the rules,
 *   and Calico's per-pod links (`cali+`, and the client pod's own `caliXXXX`) become `cni0`;
 * - sysctls the evaluator reads (rp_filter, route_localnet, accept_local, ip_forward) are set on
 *   the node as the sample has them, under the renamed interfaces;
 * - local endpoints become pods on the bridge, other endpoints addresses of one remote namespace,
 *   and upstream routes every probed destination to the node, so that external probes arrive.
 * Where the harness cannot build something (a second bridge, flannel.1, tunl0, the kernel's IPVS),
 * the rules still mention it; both sides see the same rules and the same node.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceText } from '../../../grammar/source.js';
import { buildNodeSnapshot, type NodeSnapshot } from '../../../src/model/node.js';
import type { Ruleset } from '../../../src/model/iptables/types.js';
import { formatAddress, parseAddress, parseCidr, type Cidr, type Family } from '../../../src/model/values/address.js';
import type { Interface, Route } from '../../../src/model/iproute/index.js';
import { roleOfInterfaceName } from '../../../src/eval/node-facts.js';
import type { Backend, PodSpec, RemoteSpec, RuleSnapshot, Topology, TopologyOptions } from '../harness/types.js';
import { renameRuleInterfaces, renameSysctlKey } from './interfaces.js';
import { derivePackets, endpointAddresses, type ServicePort } from './sample-probes.js';
import type { AgreementPacket } from './types.js';

/** An address on a link: `10.0.0.11` in `10.0.0.0/24`. */
export interface LinkAddress {
  readonly address: string;
  readonly prefix: number;
  readonly network: Cidr;
}

export interface SampleAddressing {
  readonly uplink4: (LinkAddress & { readonly gateway: string }) | null;
  readonly uplink6: (LinkAddress & { readonly gateway: string }) | null;
  /** The sample's pod bridge (or Calico block) and its name on the sample node. */
  readonly bridge4: LinkAddress | null;
  readonly bridge6: LinkAddress | null;
  readonly bridgeName: string | null;
  /** Calico-style /32 routes to per-pod links: address → link. */
  readonly podLinks: ReadonlyMap<string, string>;
}

export interface SampleSetup {
  readonly name: string;
  /** The iptables backend the dump was written by, when this kernel has it. */
  readonly backend: Backend;
  readonly topology: Omit<TopologyOptions, 'area' | 'backend' | 'rules'>;
  /** Loaded into the node namespace. */
  readonly rules: RuleSnapshot;
  /** The same texts (and the IPVS table) for iptlens. */
  readonly sources: readonly SourceText[];
  readonly packets: readonly AgreementPacket[];
  readonly services: readonly ServicePort[];
  /** More addresses for a pod, added after the topology is built (see prepareSampleTopology). */
  readonly podAddresses: readonly { readonly pod: string; readonly cidr: string }[];
  /** Endpoint addresses in the uplink's subnet, given to upstream's link to the node. */
  readonly uplinkPeers: readonly string[];
  /** What differs from the sample's own node, in words. */
  readonly adaptations: readonly string[];
}

/** Facts a sample's files do not hold, from its README (samples/README.md) and builder. */
const readmeFacts: Readonly<Record<string, Partial<Pick<SampleAddressing, 'uplink6' | 'bridge6'>>>> = {
  // build-samples.ts ipv6Node(): node-a 2001:db8:0:1::11 on eth0, pod CIDR fd00:10:244:1::/64.
  ipv6: {
    uplink6: { ...linkAddress('2001:db8:0:1::11', 64), gateway: '2001:db8:0:1::1' },
    bridge6: linkAddress('fd00:10:244:1::1', 64),
  },
};

const externalSource: Readonly<Record<Family, string>> = { ipv4: '203.0.113.2', ipv6: '2001:db8:203::2' };
const sampleSysctls = /^net\.ipv4\.(ip_forward|conf\.[^.]+\.(rp_filter|route_localnet|accept_local))$/;

function linkAddress(address: string, prefix: number): LinkAddress {
  const network = parseCidr(`${address}/${prefix}`);
  if (!network) throw new Error(`agreement: bad link address ${address}/${prefix}`);
  return { address, prefix, network };
}

function isMain(r: Route): boolean {
  return r.table === 'main' || r.table === 254;
}

function uplinkOf(snapshot: NodeSnapshot, family: Family): (LinkAddress & { gateway: string }) | null {
  const routes = snapshot.routes ?? [];
  const def = routes.find((r) => r.family === family && isMain(r) && r.destination === 'default' && r.type === 'unicast');
  if (!def?.dev || !def.via) return null;
  const iface = snapshot.interfaces?.find((i) => i.name === def.dev);
  const a = iface?.addresses.find((x) => x.family === family && !x.secondary && x.scope === 'global');
  if (a) return { ...linkAddress(a.address.text, a.prefixLength), gateway: def.via.text };
  // No ip-addr dump: the connected route of the default route's device says the address (`src`).
  const connected = routes.find((r) => r.family === family && isMain(r) && r.dev === def.dev && r.destination !== 'default' && r.src && r.scope === 'link');
  if (connected && connected.destination !== 'default' && connected.src) return { ...linkAddress(connected.src.text, connected.destination.prefix), gateway: def.via.text };
  return null;
}

function bridgeOf(snapshot: NodeSnapshot, family: Family, endpoints: readonly bigint[]): { link: LinkAddress; name: string } | null {
  const bridges: { link: LinkAddress; name: string }[] = [];
  for (const i of snapshot.interfaces ?? []) {
    if (i.kind !== 'bridge' && roleOfInterfaceName(i.name) !== 'pod') continue;
    if (i.name === 'kube-ipvs0' || /^(veth|cali)/.test(i.name)) continue;
    const a = i.addresses.find((x) => x.family === family && !x.secondary && x.scope === 'global');
    if (a) bridges.push({ link: linkAddress(a.address.text, a.prefixLength), name: i.name });
  }
  if (bridges.length > 0) {
    // The bridge holding the most local endpoints (cni0 over a docker0 with no containers).
    const held = (b: { link: LinkAddress }): number => endpoints.filter((e) => e >= b.link.network.first && e <= b.link.network.last).length;
    return bridges.reduce((best, b) => (held(b) > held(best) ? b : best), bridges[0]!);
  }
  // Calico: no bridge; the node's IPAM block is a blackhole route, its pods /32 routes to cali*.
  const block = (snapshot.routes ?? []).find((r) => r.family === family && r.type === 'blackhole' && r.destination !== 'default');
  if (block && block.destination !== 'default') {
    const last = block.destination.last - (family === 'ipv4' ? 1n : 0n);
    return { link: linkAddress(formatAddress(family, last), block.destination.prefix), name: '' };
  }
  return null;
}

function podLinksOf(snapshot: NodeSnapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of snapshot.routes ?? []) {
    if (r.destination === 'default' || !r.dev || r.via || !isMain(r)) continue;
    const full = r.destination.prefix === (r.family === 'ipv4' ? 32 : 128);
    if (full && roleOfInterfaceName(r.dev) === 'pod') out.set(r.destination.text, r.dev);
  }
  return out;
}

export function sampleAddressing(name: string, snapshot: NodeSnapshot, endpoints: readonly Cidr[]): SampleAddressing {
  const facts = readmeFacts[name] ?? {};
  const of = (family: Family) => endpoints.filter((e) => e.family === family).map((e) => e.first);
  const b4 = bridgeOf(snapshot, 'ipv4', of('ipv4'));
  const b6 = bridgeOf(snapshot, 'ipv6', of('ipv6'));
  return {
    uplink4: uplinkOf(snapshot, 'ipv4'),
    uplink6: facts.uplink6 ?? uplinkOf(snapshot, 'ipv6'),
    bridge4: b4?.link ?? null,
    bridge6: facts.bridge6 ?? b6?.link ?? null,
    bridgeName: b4?.name || b6?.name || null,
    podLinks: podLinksOf(snapshot),
  };
}

function readSample(dir: string): SourceText[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** The harness's defaults (docs/kernel-tests.md), for families the sample does not give. */
const harnessDefaults = {
  uplink4: { ...linkAddress('10.0.0.11', 24), gateway: '10.0.0.1' },
  uplink6: { ...linkAddress('fd00:10::11', 64), gateway: 'fd00:10::1' },
  bridge4: linkAddress('10.244.1.1', 24),
  bridge6: linkAddress('fd00:10:244:1::1', 64),
};

function inside(link: LinkAddress | null, address: Cidr): boolean {
  return link !== null && link.network.family === address.family && address.first >= link.network.first && address.first <= link.network.last;
}

function hostIn(link: LinkAddress, offset: bigint): string {
  return formatAddress(link.network.family, link.network.first + offset);
}

/** Reads a sample bundle and plans its agreement run; `backends` are those this kernel loads. */
export function sampleSetup(dir: string, name: string, backends: readonly Backend[]): SampleSetup {
  const files = readSample(dir);
  const original = buildNodeSnapshot(name, files);
  const rulesets = [original.ipv4, original.ipv6].filter((r): r is Ruleset => r !== null);
  const endpoints = endpointAddresses(rulesets, original.ipvs);
  const addressing = sampleAddressing(name, original, endpoints);
  const adaptations: string[] = [];

  // Interface names: the harness's pod bridge is cni0 and its uplink eth0.
  const renames = new Map<string, string>();
  if (addressing.bridgeName && addressing.bridgeName !== 'cni0') renames.set(addressing.bridgeName, 'cni0');
  const uplinkDev = (original.routes ?? []).find((r) => r.destination === 'default' && isMain(r))?.dev;
  if (uplinkDev && uplinkDev !== 'eth0') renames.set(uplinkDev, 'eth0');
  let clientPodLink: string | null = null;
  if (addressing.podLinks.size > 0) {
    // Calico: every pod has its own cali* link; here they share cni0. The client pod keeps its
    // workload chains by having its link renamed; the other workloads' links do not exist.
    const [address, link] = [...addressing.podLinks.entries()].sort(([a], [b]) => (parseAddress(a)!.first < parseAddress(b)!.first ? -1 : 1))[0]!;
    clientPodLink = address;
    if (link.startsWith('cali')) renames.set('cali+', 'cni0');
    renames.set(link, 'cni0');
  }
  for (const [from, to] of renames) adaptations.push(`interface ${from} in the rules is ${to}`);

  const uplink4 = addressing.uplink4 ?? harnessDefaults.uplink4;
  const uplink6 = addressing.uplink6 ?? harnessDefaults.uplink6;
  const bridge4 = addressing.bridge4 ?? harnessDefaults.bridge4;
  const bridge6 = addressing.bridge6 ?? harnessDefaults.bridge6;
  if (addressing.bridgeName === '') adaptations.push(`no pod bridge on the sample node (a Calico IPAM block): pods are on cni0 ${bridge4.address}/${bridge4.prefix}`);
  else if (!addressing.bridge4 && !addressing.bridge6) adaptations.push('no ip-addr.txt: the harness\'s default uplink and bridge addresses');
  else if (!addressing.bridge4 || !addressing.bridge6) adaptations.push(`the sample's bridge has no ${addressing.bridge4 ? 'IPv6' : 'IPv4'} address: the harness's default one`);

  // The client pod: the first Calico workload, else the bridge network's .5 (::5).
  const client4 = clientPodLink ?? hostIn(bridge4, 5n);
  const client6 = hostIn(bridge6, 5n);
  const nodeAddress: Record<Family, string> = { ipv4: uplink4.address, ipv6: uplink6.address };
  const derived = derivePackets(rulesets, original.ipvs, {
    nodeAddress,
    podAddress: { ipv4: client4, ipv6: client6 },
    externalAddress: externalSource,
  });
  const services = derived.services;

  // Endpoints on this node are answered by a pod: a pod's packet DNATed to another pod of the
  // same bridge is bridged, not routed (br_netfilter, br_nf_pre_routing_finish: the new route's
  // device is the one it came in on), and is held for ARP before the FORWARD and POSTROUTING
  // hooks, so without someone to answer it is never seen leaving. One `endpoints` pod holds
  // every local endpoint address (each namespace costs every probe a reset and a read); the
  // client pod keeps its own address, so a Service backed by it shows the hairpin case.
  // Endpoints elsewhere are addresses of one remote namespace, behind upstream.
  const pods: PodSpec[] = [{ name: 'client', address: client4, address6: client6 }];
  const local4: string[] = [];
  const local6: string[] = [];
  const remoteAddresses: string[] = [];
  // Endpoints on the uplink's subnet (the API server on another node, 10.0.0.10:6443) are
  // answered by upstream on that link: unanswered, the node's ARP would fail and, seconds later,
  // its host-unreachable would reach whichever probe runs then.
  const uplinkPeers: string[] = [];
  for (const e of endpoints) {
    const bridge = e.family === 'ipv4' ? bridge4 : bridge6;
    if (inside(bridge, e)) {
      const list = e.family === 'ipv4' ? local4 : local6;
      if (e.text !== (e.family === 'ipv4' ? client4 : client6) && e.text !== bridge.address && !list.includes(e.text)) list.push(e.text);
    } else if (inside(e.family === 'ipv4' ? uplink4 : uplink6, e)) {
      if (e.text !== (e.family === 'ipv4' ? uplink4 : uplink6).address && !uplinkPeers.includes(e.text)) uplinkPeers.push(e.text);
    } else if (!remoteAddresses.includes(e.text)) {
      remoteAddresses.push(e.text);
    }
  }
  const podAddresses: { pod: string; cidr: string }[] = [];
  if (local4.length > 0 || local6.length > 0) {
    // The pod's own IPv4 address: the first local endpoint, or a spare host of the bridge.
    const first4 = local4[0] ?? hostIn(bridge4, 250n);
    pods.push({ name: 'endpoints', address: first4, ...(local6[0] !== undefined ? { address6: local6[0] } : {}) });
    for (const a of local4.slice(1)) podAddresses.push({ pod: 'endpoints', cidr: `${a}/${bridge4.prefix}` });
    for (const a of local6.slice(1)) podAddresses.push({ pod: 'endpoints', cidr: `${a}/${bridge6.prefix}` });
  }
  const remotes: RemoteSpec[] = remoteAddresses.length > 0 ? [{ name: 'endpoints', addresses: remoteAddresses }] : [];

  const ipvsLocal = (original.interfaces ?? []).filter((i: Interface) => i.name === 'kube-ipvs0' || i.kind === 'dummy');
  const extraLocalAddresses = ipvsLocal.map((i) => ({ iface: i.name, addresses: i.addresses.map((a) => a.address.text) }));

  const rules: { -readonly [K in keyof RuleSnapshot]: RuleSnapshot[K] } = {};
  const sources: SourceText[] = [];
  for (const f of files) {
    const base = f.name.split('/').pop()!;
    if (base === 'iptables-save.txt' || base === 'ip6tables-save.txt') {
      const text = renameRuleInterfaces(f.text, renames);
      if (base === 'iptables-save.txt') rules.iptables = text;
      else rules.ip6tables = text;
      sources.push({ name: f.name, text });
    } else if (base === 'ipset-save.txt') {
      rules.ipset = f.text;
      sources.push(f);
    } else if (base.startsWith('ipvsadm')) {
      sources.push(f);
      adaptations.push('the kernel has no IPVS module: packets the evaluator sends through IPVS are not compared');
    }
  }

  const sysctls: Record<string, string> = {};
  for (const [key, entry] of original.sysctls?.entries ?? []) {
    if (!sampleSysctls.test(key)) continue;
    const renamed = renameSysctlKey(key, renames);
    const iface = /^net\.ipv4\.conf\.([^.]+)\./.exec(renamed)?.[1];
    if (iface !== undefined && !['all', 'default', 'lo', 'eth0', 'cni0'].includes(iface)) continue;
    sysctls[renamed] = entry.value;
  }
  if (Object.keys(sysctls).length > 0) adaptations.push(`node sysctls as in the sample: ${Object.entries(sysctls).map(([k, v]) => `${k}=${v}`).join(', ')}`);

  const generator = rulesets[0]?.backend ?? 'unknown';
  const wanted: Backend = generator === 'legacy' ? 'legacy' : 'nft';
  const backend: Backend = backends.includes(wanted) ? wanted : 'nft';
  if (backend !== wanted) adaptations.push(`written by iptables-${wanted}, loaded with iptables-nft (this kernel has no ${wanted} backend)`);

  // Upstream routes a remote endpoint's address to its remote namespace, not to the node: a
  // packet from outside to it never reaches the node, so it is not asked from there.
  const remote = new Set(remoteAddresses);
  const fromOutside = derived.packets.filter((p) => p.origin !== 'external' || !remote.has(parseAddress(p.dst)!.text));
  if (fromOutside.length < derived.packets.length) adaptations.push(`not asked from outside (upstream routes them to their endpoint, not the node): ${[...new Set(derived.packets.filter((p) => !fromOutside.includes(p)).map((p) => p.dst))].join(', ')}`);
  // A pod reaches an address of its own subnet directly on the bridge, without the node's IP
  // stack; one that no namespace owns (a flannel.1 address of the sample node that falls in the
  // harness's bridge subnet) is never answered by ARP and never sent.
  const owned = new Set([bridge4.address, bridge6.address, client4, client6, ...local4, ...local6]);
  const packets = fromOutside.filter((p) => {
    const d = parseAddress(p.dst)!;
    return p.origin !== 'pod' || !inside(d.family === 'ipv4' ? bridge4 : bridge6, d) || owned.has(d.text);
  });
  if (packets.length < fromOutside.length) adaptations.push(`not asked from a pod (in the pod's own subnet, owned by nobody here): ${[...new Set(fromOutside.filter((p) => !packets.includes(p)).map((p) => p.dst))].join(', ')}`);

  // Upstream routes every probed destination to the node (an LB IP in the uplink subnet too: a
  // /32 beats the connected route), besides the harness's default Service ranges.
  const viaNode = new Set(['10.96.0.0/12', 'fd00:10:96::/112']);
  for (const s of services) {
    const d = parseAddress(s.dst)!;
    const mine = d.text === nodeAddress[d.family] || inside(d.family === 'ipv4' ? bridge4 : bridge6, d);
    const loopback = d.family === 'ipv4' ? d.first >> 24n === 127n : d.first === 1n;
    if (!mine && !loopback && !remote.has(d.text)) viaNode.add(`${d.text}/${d.family === 'ipv4' ? 32 : 128}`);
  }

  return {
    name,
    backend,
    topology: {
      uplink: { address: `${uplink4.address}/${uplink4.prefix}`, gateway: uplink4.gateway, address6: `${uplink6.address}/${uplink6.prefix}`, gateway6: uplink6.gateway },
      podBridge: { address: `${bridge4.address}/${bridge4.prefix}`, address6: `${bridge6.address}/${bridge6.prefix}` },
      pods,
      remotes,
      extraLocalAddresses,
      routesViaNode: [...viaNode],
      sysctls,
    },
    podAddresses,
    uplinkPeers: uplinkPeers.filter((a) => !viaNode.has(`${a}/${a.includes(':') ? 128 : 32}`)),
    rules,
    sources,
    packets,
    services,
    adaptations,
  };
}

/** Every sample bundle under `samplesDir`, by folder name. */
export function sampleNames(samplesDir: string): string[] {
  return readdirSync(samplesDir)
    .filter((f) => statSync(join(samplesDir, f)).isDirectory())
    .sort();
}

/** Adds what the harness cannot be asked for at build time: more pod addresses, upstream's peers. */
export async function prepareSampleTopology(topology: Topology, setup: SampleSetup): Promise<void> {
  for (const { pod, cidr } of setup.podAddresses) {
    const ns = topology.pods.get(pod);
    if (!ns) throw new Error(`agreement: the topology has no pod ${pod}`);
    await ns.ip(cidr.includes(':') ? ['-6', 'addr', 'add', cidr, 'dev', 'eth0', 'nodad'] : ['addr', 'add', cidr, 'dev', 'eth0']);
  }
  for (const a of setup.uplinkPeers) {
    await topology.upstream.ip(a.includes(':') ? ['-6', 'addr', 'add', `${a}/128`, 'dev', 'to-node', 'nodad'] : ['addr', 'add', `${a}/32`, 'dev', 'to-node']);
  }
}
