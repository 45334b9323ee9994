/**
 * Typed answers about the settings that decide where a packet goes, each mirroring the kernel
 * rule that combines `conf.all` and `conf.<iface>` (include/linux/inetdevice.h), and each saying
 * whether the answer was read or assumed.
 *
 * Per-interface settings: a device takes `conf.default`'s values when it is created
 * (net/ipv4/devinet.c inetdev_init copies net->ipv4.devconf_dflt), so for an interface the dump
 * does not list, `conf.default` stands in for it, and failing that the kernel's built-in default
 * (net/ipv4/devinet.c ipv4_devconf / ipv4_devconf_dflt).
 */
import type { SourceRef } from '../../../grammar/source.js';
import type { RpFilterMode, RpFilterReading, SysctlEntry, SysctlOrigin, SysctlReading, Sysctls } from './types.js';

/** The key of an IPv4 per-interface setting: a dot inside the interface name is printed as `/` (procps sysctl). */
export function confKey(iface: string, setting: string): string {
  return `net.ipv4.conf.${iface.replace(/\./g, '/')}.${setting}`;
}

function integer(entry: SysctlEntry | undefined): number | null {
  return entry && /^-?\d+$/.test(entry.value) ? Number(entry.value) : null;
}

interface ConfValue {
  readonly value: number;
  readonly source: `conf.${string}` | 'default';
  readonly read: boolean;
  readonly at: SourceRef | null;
}

/** `conf.<iface>`, else `conf.default` (what the device was created with), else the built-in default. */
function ifaceConf(sysctls: Sysctls, iface: string, setting: string, builtin: number): ConfValue {
  const own = sysctls.entries.get(confKey(iface, setting));
  const ownValue = integer(own);
  if (own && ownValue !== null) return { value: ownValue, source: `conf.${iface}`, read: true, at: own.at };
  const dflt = sysctls.entries.get(confKey('default', setting));
  const dfltValue = integer(dflt);
  if (dflt && dfltValue !== null) return { value: dfltValue, source: 'conf.default', read: false, at: dflt.at };
  return { value: builtin, source: 'default', read: false, at: null };
}

function allConf(sysctls: Sysctls, setting: string, builtin: number): ConfValue {
  const all = sysctls.entries.get(confKey('all', setting));
  const value = integer(all);
  if (all && value !== null) return { value, source: 'conf.all', read: true, at: all.at };
  return { value: builtin, source: 'default', read: false, at: null };
}

function origin(...parts: readonly ConfValue[]): SysctlOrigin {
  return parts.every((p) => p.read) ? 'dump' : 'default';
}

/**
 * Reverse-path filtering on `iface`: IN_DEV_RPFILTER(in_dev) is IN_DEV_MAXCONF(in_dev,
 * RP_FILTER), the larger of conf.all and conf.<iface> (include/linux/inetdevice.h), and
 * __fib_validate_source (net/ipv4/fib_frontend.c) treats 1 as strict and any larger value as
 * loose. Built-in default 0.
 */
export function rpFilter(sysctls: Sysctls, iface: string): RpFilterReading {
  const all = allConf(sysctls, 'rp_filter', 0);
  const own = ifaceConf(sysctls, iface, 'rp_filter', 0);
  const decider = own.value > all.value ? own : all.source === 'default' && own.source !== 'default' ? own : all;
  const raw = Math.max(all.value, own.value);
  const value: RpFilterMode = raw <= 0 ? 0 : raw === 1 ? 1 : 2;
  return { value, source: decider.source, origin: origin(all, own), at: decider.at };
}

/** An OR of conf.all and conf.<iface> (IN_DEV_ORCONF). */
function orConf(sysctls: Sysctls, iface: string, setting: string): SysctlReading<boolean> {
  const all = allConf(sysctls, setting, 0);
  const own = ifaceConf(sysctls, iface, setting, 0);
  const decider = all.value !== 0 ? all : own.value !== 0 ? own : own.read ? own : all;
  return { value: all.value !== 0 || own.value !== 0, source: decider.source, origin: origin(all, own), at: decider.at };
}

/**
 * Whether packets to 127.0.0.0/8 may be routed on `iface` (and so DNATed to a node port on
 * localhost): IN_DEV_ROUTE_LOCALNET is IN_DEV_ORCONF(in_dev, ROUTE_LOCALNET), checked in
 * ip_route_input_slow (net/ipv4/route.c). kube-proxy sets conf.all.route_localnet=1 for
 * NodePorts on 127.0.0.1. Built-in default 0.
 */
export function routeLocalnet(sysctls: Sysctls, iface: string): SysctlReading<boolean> {
  return orConf(sysctls, iface, 'route_localnet');
}

/**
 * Whether `iface` accepts packets whose source is a local address: IN_DEV_ACCEPT_LOCAL is
 * IN_DEV_ORCONF(in_dev, ACCEPT_LOCAL), used by __fib_validate_source. Built-in default 0.
 */
export function acceptLocal(sysctls: Sysctls, iface: string): SysctlReading<boolean> {
  return orConf(sysctls, iface, 'accept_local');
}

/**
 * IPv4 forwarding. Without `iface`: net.ipv4.ip_forward (which writes conf.all.forwarding and
 * every device's, net/ipv4/devinet.c devinet_sysctl_forward). With `iface`: the incoming
 * device's own conf.<iface>.forwarding, which ip_route_input_slow checks (IN_DEV_FORWARD)
 * before forwarding. Built-in default 0.
 */
export function ipForward(sysctls: Sysctls, iface?: string): SysctlReading<boolean> {
  if (iface !== undefined) {
    const own = ifaceConf(sysctls, iface, 'forwarding', 0);
    if (own.read) return { value: own.value !== 0, source: own.source, origin: 'dump', at: own.at };
  }
  const entry = sysctls.entries.get('net.ipv4.ip_forward');
  const value = integer(entry);
  if (entry && value !== null) return { value: value !== 0, source: 'net.ipv4.ip_forward', origin: iface === undefined ? 'dump' : 'default', at: entry.at };
  return { value: false, source: 'default', origin: 'default', at: null };
}

/**
 * A setting that exists only while a module is loaded: when a whole `sysctl -a` lacks it the
 * module is not loaded (`absent`, the feature off); when a subset lacks it, the value the module
 * starts with is assumed.
 */
function moduleSetting(sysctls: Sysctls, key: string, whenLoaded: number): SysctlReading<boolean> {
  const entry = sysctls.entries.get(key);
  const value = integer(entry);
  if (entry && value !== null) return { value: value !== 0, source: key, origin: 'dump', at: entry.at };
  if (sysctls.complete && !sysctls.unreadable.has(key)) return { value: false, source: key, origin: 'absent', at: null };
  return { value: whenLoaded !== 0, source: 'default', origin: 'default', at: null };
}

/**
 * Whether bridged IPv4 traffic traverses iptables: net.bridge.bridge-nf-call-iptables, created
 * by br_netfilter with the value 1 (net/bridge/br_netfilter_hooks.c brnf_call_iptables = 1).
 * Without br_netfilter, bridged frames never reach iptables.
 */
export function bridgeNfCallIptables(sysctls: Sysctls): SysctlReading<boolean> {
  return moduleSetting(sysctls, 'net.bridge.bridge-nf-call-iptables', 1);
}

/**
 * Whether IPVS keeps conntrack entries for the connections it handles (needed for iptables
 * rules to see IPVS traffic as NATed): net.ipv4.vs.conntrack, created by ip_vs with the value 0
 * (net/netfilter/ipvs/ip_vs_ctl.c; kube-proxy IPVS mode sets it to 1).
 */
export function vsConntrack(sysctls: Sysctls): SysctlReading<boolean> {
  return moduleSetting(sysctls, 'net.ipv4.vs.conntrack', 0);
}
