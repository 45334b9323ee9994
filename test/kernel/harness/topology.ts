/**
 * The namespaces a probe runs in, wired like a one-node slice of a cluster:
 *
 *     pod ns ──veth── cni0 (bridge) ┐
 *                                   node ns ── eth0 ──veth── upstream ns ──veth── remote ns …
 *     extra local links (kube-ipvs0)┘          10.0.0.11/24    10.0.0.1/24
 *
 * - node: `eth0` 10.0.0.11/24 with default route via upstream 10.0.0.1; bridge `cni0` 10.244.1.1/24
 *   with one veth per pod (a bridge, as the bridge/flannel CNI plugins do, so several pods share a
 *   subnet and hairpin cases can be built); the rules under test are loaded here.
 * - pods: `eth0` 10.244.1.5/24, default via 10.244.1.1.
 * - upstream: the rest of the world; routes the pod subnet and the Service ranges to the node and
 *   each remote address to its remote namespace (Calico-style /32 links: the remote's gateway is
 *   169.254.1.1, an address upstream puts on every remote link).
 * - remotes: endpoints on other nodes, so a DNAT to another node's pod is observable.
 * IPv6 is wired alongside by default (fd00:10::/64 uplink, fd00:10:244:1::/64 pods).
 */
import { parseCidr } from '../../../src/model/values/address.js';
import { ConntrackWatch } from './conntrack-events.js';
import { createNamespace, deleteNamespace } from './netns.js';
import { listInterfaces, observerLayout, resetObserver, type ObserverLayout } from './observer.js';
import { loadSnapshot } from './rules.js';
import type {
  Backend,
  LocalAddressSpec,
  NamespaceRole,
  Netns,
  PodLayout,
  RemoteLayout,
  RuleSnapshot,
  Topology,
  TopologyLayout,
  TopologyOptions,
} from './types.js';

const defaultPods = [{ name: 'pod', address: '10.244.1.5', address6: 'fd00:10:244:1::5' }] as const;
const defaultRoutesViaNode = ['10.96.0.0/12', 'fd00:10:96::/112'] as const;

/**
 * ICMP errors are rate-limited per peer (icmpv4_xrlim_allow: 1 per icmp_ratelimit ms after a
 * burst of 6); a run of probes would then see a REJECT or a closed port answer with silence.
 */
const noIcmpRateLimit: Readonly<Record<string, string>> = {
  'net.ipv4.icmp_ratelimit': '0',
  'net.ipv6.icmp.ratelimit': '0',
};

/** Node sysctls every topology starts with; options.sysctls is applied after them. */
export const defaultNodeSysctls: Readonly<Record<string, string>> = {
  'net.ipv4.ip_forward': '1',
  'net.ipv6.conf.all.forwarding': '1',
  // Strict reverse-path filtering would drop external probes from sources the node routes elsewhere.
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.default.rp_filter': '0',
  // No duplicate address detection: addresses are usable at once instead of after ~1 s.
  'net.ipv6.conf.all.accept_dad': '0',
  'net.ipv6.conf.default.accept_dad': '0',
  'net.ipv4.conf.all.route_localnet': '0',
  ...noIcmpRateLimit,
};

/** Set when the kernel has them; a note says when it does not. */
const bestEffortNodeSysctls: Readonly<Record<string, string>> = {
  // kube-proxy and the bridge CNI plugin need bridged pod traffic to traverse iptables.
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
  // 2 (the default) reports events only when a listener exists; the harness always listens.
  'net.netfilter.nf_conntrack_events': '1',
};

const leafSysctls: Readonly<Record<string, string>> = {
  'net.ipv4.conf.all.rp_filter': '0',
  'net.ipv4.conf.default.rp_filter': '0',
  'net.ipv6.conf.all.accept_dad': '0',
  'net.ipv6.conf.default.accept_dad': '0',
  ...noIcmpRateLimit,
};

const routerSysctls: Readonly<Record<string, string>> = {
  ...leafSysctls,
  'net.ipv4.ip_forward': '1',
  'net.ipv6.conf.all.forwarding': '1',
};

const remoteGateway4 = '169.254.1.1';
const remoteGateway6 = 'fe80::1';

/** `10.0.0.11/24` → address, prefix and the network in CIDR form; throws on a bad option. */
function splitCidr(text: string, what: string): { address: string; prefix: number; network: string; v6: boolean } {
  const slash = text.indexOf('/');
  const cidr = parseCidr(text);
  if (slash < 0 || !cidr) throw new Error(`${what}: ${JSON.stringify(text)} is not an address with a prefix length`);
  return { address: text.slice(0, slash), prefix: cidr.prefix, network: cidr.text, v6: cidr.family === 'ipv6' };
}

function isV6(address: string): boolean {
  return address.includes(':');
}

/** `ip addr add` arguments; IPv6 addresses get `nodad` so they are usable at once. */
function addrArgs(cidr: string, dev: string): string[] {
  return isV6(cidr) ? ['-6', 'addr', 'add', cidr, 'dev', dev, 'nodad'] : ['addr', 'add', cidr, 'dev', dev];
}

async function setSysctls(ns: Netns, values: Readonly<Record<string, string>>): Promise<void> {
  const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  if (args.length > 0) await ns.run(['sysctl', '-q', '-w', ...args]);
}

/** The concrete topology; probe.ts reaches its observer and conntrack watch through this class. */
export class BuiltTopology implements Topology {
  readonly observers = new Map<string, ObserverLayout>();
  readonly conntrack: ConntrackWatch;
  private destroyed = false;
  private portCursor = 20_000 + Math.floor(Math.random() * 30_000);

  constructor(
    readonly area: string,
    readonly backend: Backend,
    readonly layout: TopologyLayout,
    readonly node: Netns,
    readonly upstream: Netns,
    readonly pods: ReadonlyMap<string, Netns>,
    readonly remotes: ReadonlyMap<string, Netns>,
    readonly notes: string[],
  ) {
    this.conntrack = new ConntrackWatch(node);
  }

  roles(): ReadonlyArray<readonly [NamespaceRole, Netns]> {
    return [
      ['node', this.node],
      ['upstream', this.upstream],
      ...[...this.remotes].map(([name, ns]) => [`remote:${name}` as NamespaceRole, ns] as const),
      ...[...this.pods].map(([name, ns]) => [`pod:${name}` as NamespaceRole, ns] as const),
    ];
  }

  namespace(role: NamespaceRole): Netns | undefined {
    return this.roles().find(([r]) => r === role)?.[1];
  }

  /** A source port not used by an earlier probe of this topology (so no old socket or entry clashes). */
  nextSourcePort(): number {
    this.portCursor = this.portCursor >= 59_999 ? 20_000 : this.portCursor + 1;
    return this.portCursor;
  }

  load(rules: RuleSnapshot): Promise<void> {
    return loadSnapshot(this.node, rules, this.backend);
  }

  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    this.conntrack.stop();
    for (const [, ns] of this.roles()) await deleteNamespace(ns);
  }
}

async function addExtraLocal(node: Netns, spec: LocalAddressSpec, notes: string[]): Promise<void> {
  try {
    await node.ip(['link', 'add', spec.iface, 'type', 'dummy']);
  } catch {
    // Some kernels (this harness's CI VM among them) have no dummy driver; a bridge without ports
    // is likewise a link with no carrier whose addresses are local (fib_add_ifaddr adds the
    // local route whatever the link state), which is all kube-ipvs0 is for.
    await node.ip(['link', 'add', spec.iface, 'type', 'bridge']);
    notes.push(`${spec.iface}: the kernel has no dummy link type; made a bridge with no ports instead`);
  }
  for (const a of spec.addresses) {
    const cidr = a.includes('/') ? a : `${a}/${isV6(a) ? 128 : 32}`;
    await node.ip(addrArgs(cidr, spec.iface));
  }
  if (spec.up) await node.ip(['link', 'set', spec.iface, 'up']);
}

/**
 * Builds the namespaces, links, addresses and routes, installs the observers and, when given,
 * loads the rules. On failure everything made so far is deleted and the error is rethrown.
 */
export async function buildTopology(options: TopologyOptions): Promise<Topology> {
  const backend = options.backend ?? 'nft';
  const uplinkOpt = options.uplink ?? {};
  const uplink = splitCidr(uplinkOpt.address ?? '10.0.0.11/24', 'uplink.address');
  const gateway = uplinkOpt.gateway ?? '10.0.0.1';
  const uplink6 = uplinkOpt.address6 === null ? null : splitCidr(uplinkOpt.address6 ?? 'fd00:10::11/64', 'uplink.address6');
  const gateway6 = uplink6 ? (uplinkOpt.gateway6 ?? 'fd00:10::1') : null;
  const bridgeOpt = options.podBridge ?? {};
  const bridge = splitCidr(bridgeOpt.address ?? '10.244.1.1/24', 'podBridge.address');
  const bridge6 = bridgeOpt.address6 === null ? null : splitCidr(bridgeOpt.address6 ?? 'fd00:10:244:1::1/64', 'podBridge.address6');
  const hairpin = bridgeOpt.hairpin ?? true;
  const podSpecs = options.pods ?? defaultPods;
  const remoteSpecs = options.remotes ?? [];
  const names = new Set<string>();
  for (const n of [...podSpecs.map((p) => `pod:${p.name}`), ...remoteSpecs.map((r) => `remote:${r.name}`)]) {
    if (names.has(n)) throw new Error(`topology: two namespaces are called ${n}`);
    names.add(n);
  }

  const made: Netns[] = [];
  const make = async (): Promise<Netns> => {
    const ns = await createNamespace(options.area);
    made.push(ns);
    return ns;
  };
  try {
    const node = await make();
    const upstream = await make();
    const pods = new Map<string, Netns>();
    for (const p of podSpecs) pods.set(p.name, await make());
    const remotes = new Map<string, Netns>();
    for (const r of remoteSpecs) remotes.set(r.name, await make());
    const notes: string[] = [];

    await setSysctls(node, defaultNodeSysctls);
    await setSysctls(upstream, routerSysctls);
    for (const ns of [...pods.values(), ...remotes.values()]) await setSysctls(ns, leafSysctls);

    // Uplink: node eth0 <-> upstream to-node. Links are created inside the node namespace and the
    // peer moved, so nothing ever appears in the root namespace.
    await node.ip(['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'to-node', 'netns', upstream.name]);
    await node.ip(addrArgs(`${uplink.address}/${uplink.prefix}`, 'eth0'));
    await upstream.ip(addrArgs(`${gateway}/${uplink.prefix}`, 'to-node'));
    if (uplink6 && gateway6) {
      await node.ip(addrArgs(`${uplink6.address}/${uplink6.prefix}`, 'eth0'));
      await upstream.ip(addrArgs(`${gateway6}/${uplink6.prefix}`, 'to-node'));
    }
    await node.ip(['link', 'set', 'eth0', 'up']);
    await upstream.ip(['link', 'set', 'to-node', 'up']);
    await node.ip(['route', 'add', 'default', 'via', gateway, 'dev', 'eth0']);
    if (gateway6) await node.ip(['-6', 'route', 'add', 'default', 'via', gateway6, 'dev', 'eth0']);

    // Pods behind the cni0 bridge. forward_delay 0: ports forward at once (no STP listening phase).
    await node.ip(['link', 'add', 'cni0', 'type', 'bridge', 'forward_delay', '0']);
    await node.ip(addrArgs(`${bridge.address}/${bridge.prefix}`, 'cni0'));
    if (bridge6) await node.ip(addrArgs(`${bridge6.address}/${bridge6.prefix}`, 'cni0'));
    await node.ip(['link', 'set', 'cni0', 'up']);
    const podLayouts: PodLayout[] = [];
    let k = 0;
    for (const p of podSpecs) {
      const ns = pods.get(p.name)!;
      const hostIface = `vethpod${k++}`;
      await node.ip(['link', 'add', hostIface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.name]);
      await node.ip(['link', 'set', hostIface, 'master', 'cni0']);
      if (hairpin) await node.ip(['link', 'set', hostIface, 'type', 'bridge_slave', 'hairpin', 'on']);
      await node.ip(['link', 'set', hostIface, 'up']);
      await ns.ip(addrArgs(`${p.address}/${bridge.prefix}`, 'eth0'));
      const address6 = bridge6 && p.address6 ? p.address6 : null;
      if (address6 && bridge6) await ns.ip(addrArgs(`${address6}/${bridge6.prefix}`, 'eth0'));
      await ns.ip(['link', 'set', 'eth0', 'up']);
      await ns.ip(['route', 'add', 'default', 'via', bridge.address, 'dev', 'eth0']);
      if (address6 && bridge6) await ns.ip(['-6', 'route', 'add', 'default', 'via', bridge6.address, 'dev', 'eth0']);
      podLayouts.push({ name: p.name, role: `pod:${p.name}`, address: p.address, address6, hostIface });
    }

    // Remotes: /32 (/128) links from upstream, gateway 169.254.1.1 / fe80::1 on upstream's side.
    const remoteLayouts: RemoteLayout[] = [];
    k = 0;
    for (const r of remoteSpecs) {
      const ns = remotes.get(r.name)!;
      const upstreamIface = `to-remote${k++}`;
      await upstream.ip(['link', 'add', upstreamIface, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns.name]);
      await upstream.ip(addrArgs(`${remoteGateway4}/32`, upstreamIface));
      await upstream.ip(addrArgs(`${remoteGateway6}/64`, upstreamIface));
      await upstream.ip(['link', 'set', upstreamIface, 'up']);
      for (const a of r.addresses) await ns.ip(addrArgs(`${a}/${isV6(a) ? 128 : 32}`, 'eth0'));
      await ns.ip(['link', 'set', 'eth0', 'up']);
      await ns.ip(['route', 'add', remoteGateway4, 'dev', 'eth0', 'scope', 'link']);
      await ns.ip(['route', 'add', 'default', 'via', remoteGateway4, 'dev', 'eth0']);
      await ns.ip(['-6', 'route', 'add', 'default', 'via', remoteGateway6, 'dev', 'eth0']);
      for (const a of r.addresses) {
        await upstream.ip([...(isV6(a) ? ['-6'] : []), 'route', 'add', `${a}/${isV6(a) ? 128 : 32}`, 'dev', upstreamIface]);
      }
      remoteLayouts.push({ name: r.name, role: `remote:${r.name}`, addresses: [...r.addresses], upstreamIface });
    }

    // Upstream sends the node's pod subnets and the Service ranges to the node.
    const viaNode = [bridge.network, ...(bridge6 ? [bridge6.network] : []), ...(options.routesViaNode ?? defaultRoutesViaNode)];
    for (const prefix of viaNode) {
      if (isV6(prefix)) {
        if (uplink6) await upstream.ip(['-6', 'route', 'add', prefix, 'via', uplink6.address]);
      } else {
        await upstream.ip(['route', 'add', prefix, 'via', uplink.address]);
      }
    }

    for (const spec of options.extraLocalAddresses ?? []) await addExtraLocal(node, spec, notes);

    const sysctls: Record<string, string> = { ...defaultNodeSysctls };
    for (const [key, value] of Object.entries(bestEffortNodeSysctls)) {
      const r = await node.exec(['sysctl', '-q', '-w', `${key}=${value}`]);
      if (r.code === 0) sysctls[key] = value;
      else notes.push(`${key}: not available in this kernel (${r.stderr.trim()})`);
    }
    if (options.sysctls) {
      await setSysctls(node, options.sysctls);
      Object.assign(sysctls, options.sysctls);
    }

    const layout: TopologyLayout = {
      uplink: { iface: 'eth0', address: uplink.address, gateway, address6: uplink6?.address ?? null, gateway6 },
      podBridge: { iface: 'cni0', address: bridge.address, address6: bridge6?.address ?? null, hairpin },
      pods: podLayouts,
      remotes: remoteLayouts,
      extraLocal: [...(options.extraLocalAddresses ?? [])],
      localPodIfaces: ['cni0', ...podLayouts.map((p) => p.hostIface)],
      sysctls,
    };
    const topology = new BuiltTopology(options.area, backend, layout, node, upstream, pods, remotes, notes);
    for (const [role, ns] of topology.roles()) {
      const observer = observerLayout(role, await listInterfaces(ns), role === 'node');
      await resetObserver(ns, observer);
      topology.observers.set(ns.name, observer);
    }
    if (options.rules) await topology.load(options.rules);
    return topology;
  } catch (error) {
    for (const ns of made) await deleteNamespace(ns).catch(() => undefined);
    throw error;
  }
}
