/**
 * The observer: an nftables table `inet iptl_observe` in every namespace of a topology that
 * records, per interface and per stage of the netfilter path, the TCP SYNs and UDP datagrams that
 * pass (addresses, ports, protocol) in dynamic sets, plus the ICMP errors and TCP resets that
 * arrive. It only adds set elements and accepts: it never changes a verdict.
 *
 * Why nft, in a table of its own: it coexists with both iptables backends (iptables-nft only lists
 * its own tables, iptables-legacy does not see nft at all), so the rules under test and their
 * `iptables-save` output stay exactly as loaded; and base-chain priorities put each stage where we
 * want it relative to the iptables tables (include/uapi/linux/netfilter_ipv4.h, nf_ip_hook_priorities:
 * raw -300, conntrack -200, mangle -150, nat DNAT -100, filter 0, security 50, nat SNAT 100,
 * conntrack confirm INT_MAX; IPv6 uses the same values).
 *
 * Why per-interface sets and not an interface field in the element: nft 1.0.6 mis-prints sets
 * whose concatenation has an `ifname` or `iface_index` part in JSON (wrong types, garbled values).
 * Only TCP packets with SYN and without ACK are recorded, so replies and the rest of a connection
 * never show up; UDP datagrams are all recorded (nothing in the topology answers UDP).
 */
import { canonicalAddress } from './address.js';
import type { Family, Netns, NamespaceRole, Observation, ObservationStage, Protocol, RejectSignal } from './types.js';

export const observerTable = 'iptl_observe';

interface StageHook {
  readonly stage: ObservationStage;
  /** Chain and set name stem (nft names cannot contain `-`). */
  readonly id: string;
  readonly hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
  readonly priority: number;
  readonly direction: 'iifname' | 'oifname';
}

export const stageHooks: readonly StageHook[] = [
  { stage: 'arrived', id: 'arrived', hook: 'prerouting', priority: -450, direction: 'iifname' },
  { stage: 'sent', id: 'sent', hook: 'output', priority: -450, direction: 'oifname' },
  { stage: 'routed-in', id: 'routed_in', hook: 'input', priority: -500, direction: 'iifname' },
  { stage: 'routed-through', id: 'routed_through', hook: 'forward', priority: -500, direction: 'oifname' },
  // After nat OUTPUT (-100), whose DNAT re-routes the packet (nf_nat_ipv4_local_fn → ip_route_me_harder).
  { stage: 'routed-out', id: 'routed_out', hook: 'output', priority: -50, direction: 'oifname' },
  { stage: 'delivered', id: 'delivered', hook: 'input', priority: 1000, direction: 'iifname' },
  { stage: 'left', id: 'left', hook: 'postrouting', priority: 1000, direction: 'oifname' },
];

/** Per family: set-name tag, `meta nfproto` value, payload keyword and nft address type. */
interface FamilySyntax {
  readonly family: Family;
  readonly tag: '4' | '6';
  readonly proto: string;
  readonly addr: string;
  readonly type: string;
}

const families: readonly FamilySyntax[] = [
  { family: 'ipv4', tag: '4', proto: 'ipv4', addr: 'ip', type: 'ipv4_addr' },
  { family: 'ipv6', tag: '6', proto: 'ipv6', addr: 'ip6', type: 'ipv6_addr' },
];

interface SetMeaning {
  readonly stage: ObservationStage;
  readonly family: Family;
  readonly iface: string;
}

/** The table for one namespace: its nft script and what each set records. */
export interface ObserverLayout {
  readonly role: NamespaceRole;
  readonly ifaces: readonly string[];
  readonly script: string;
  readonly sets: ReadonlyMap<string, SetMeaning>;
}

const otherIface = '?';

function quoted(name: string): string {
  return `"${name.replace(/["\\]/g, '')}"`;
}

/**
 * The nft script for a namespace with these interfaces. `trackConnections` adds a `ct state`
 * rule, which makes the kernel register conntrack for the namespace (nf_ct_netns_get), as on a
 * real node where conntrack is always loaded; the leaves do without.
 */
export function observerLayout(role: NamespaceRole, ifaces: readonly string[], trackConnections: boolean): ObserverLayout {
  const sets = new Map<string, SetMeaning>();
  const setLines: string[] = [];
  const chainLines: string[] = [];
  // One slot per listed interface, plus one for any other (a link made after the topology).
  const slots: ReadonlyArray<readonly [string, (direction: string) => string]> = [
    ...ifaces.map((name, k) => [String(k), (d: string) => `${d} ${quoted(name)}`] as const),
    ['other', (d: string) => `${d} != { ${ifaces.map(quoted).join(', ')} }`] as const,
  ];
  for (const s of stageHooks) {
    const rules: string[] = [];
    for (const [slot, match] of slots) {
      const iface = slot === 'other' ? otherIface : (ifaces[Number(slot)] ?? otherIface);
      for (const f of families) {
        const set = `${s.id}_${f.tag}_${slot}`;
        sets.set(set, { stage: s.stage, family: f.family, iface });
        setLines.push(`  set ${set} { type ${f.type} . inet_service . ${f.type} . inet_service . inet_proto; flags dynamic; size 256; }`);
        const m = match(s.direction);
        rules.push(`    ${m} meta nfproto ${f.proto} tcp flags & (syn | ack) == syn add @${set} { ${f.addr} saddr . tcp sport . ${f.addr} daddr . tcp dport . meta l4proto }`);
        rules.push(`    ${m} meta nfproto ${f.proto} meta l4proto udp add @${set} { ${f.addr} saddr . udp sport . ${f.addr} daddr . udp dport . meta l4proto }`);
      }
    }
    chainLines.push(`  chain ${s.id} {`, `    type filter hook ${s.hook} priority ${s.priority}; policy accept;`, ...rules, '  }');
  }
  setLines.push(
    '  set icmp_4 { type ipv4_addr . icmp_type . icmp_code; flags dynamic; size 256; }',
    '  set icmp_6 { type ipv6_addr . icmpv6_type . icmpv6_code; flags dynamic; size 256; }',
    '  set rst_4 { type ipv4_addr . inet_service . ipv4_addr . inet_service; flags dynamic; size 256; }',
    '  set rst_6 { type ipv6_addr . inet_service . ipv6_addr . inet_service; flags dynamic; size 256; }',
  );
  chainLines.push(
    '  chain signals {',
    '    type filter hook prerouting priority -450; policy accept;',
    '    meta nfproto ipv4 icmp type { destination-unreachable, time-exceeded, parameter-problem } add @icmp_4 { ip saddr . icmp type . icmp code }',
    '    meta nfproto ipv6 icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } add @icmp_6 { ip6 saddr . icmpv6 type . icmpv6 code }',
    '    meta nfproto ipv4 tcp flags & rst == rst add @rst_4 { ip saddr . tcp sport . ip daddr . tcp dport }',
    '    meta nfproto ipv6 tcp flags & rst == rst add @rst_6 { ip6 saddr . tcp sport . ip6 daddr . tcp dport }',
    '  }',
  );
  if (trackConnections) {
    chainLines.push('  chain track {', '    type filter hook prerouting priority -450; policy accept;', '    ct state new counter', '  }');
  }
  // Create-then-delete makes the script idempotent: applying it again empties every set.
  const script = [`table inet ${observerTable}`, `delete table inet ${observerTable}`, `table inet ${observerTable} {`, ...setLines, ...chainLines, '}', ''].join('\n');
  return { role, ifaces, script, sets };
}

/** Interface names of a namespace, from `ip -j link show`. */
export async function listInterfaces(ns: Netns): Promise<string[]> {
  const out = await ns.ip(['-j', 'link', 'show']);
  const links = JSON.parse(out) as Array<{ ifname?: string }>;
  return links.map((l) => l.ifname).filter((n): n is string => typeof n === 'string');
}

/** Installs the table, or empties it when installed. */
export async function resetObserver(ns: Netns, layout: ObserverLayout): Promise<void> {
  await ns.run(['nft', '-f', '-'], { input: layout.script });
}

/** What one namespace's table holds. */
export interface ObserverReading {
  readonly observations: readonly Observation[];
  readonly signals: readonly RejectSignal[];
}

type JsonValue = string | number | boolean | null | { readonly [k: string]: JsonValue } | readonly JsonValue[];

/** nft prints an element as `{"concat": […]}` or, with per-element data, `{"elem": {"val": …}}`. */
function elementValues(elem: JsonValue): readonly JsonValue[] | null {
  if (elem === null || typeof elem !== 'object' || Array.isArray(elem)) return null;
  const obj = elem as { readonly [k: string]: JsonValue };
  const inner = obj['elem'];
  if (inner !== undefined && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
    return elementValues((inner as { readonly [k: string]: JsonValue })['val'] ?? null);
  }
  const concat = obj['concat'];
  return Array.isArray(concat) ? (concat as readonly JsonValue[]) : null;
}

function asProtocol(v: JsonValue | undefined): Protocol | null {
  if (v === 'tcp' || v === 6) return 'tcp';
  if (v === 'udp' || v === 17) return 'udp';
  return null;
}

function asAddress(v: JsonValue | undefined, family: Family): string | null {
  if (typeof v !== 'string') return null;
  const text = canonicalAddress(v);
  return text !== null && v.includes(':') === (family === 'ipv6') ? text : null;
}

function asPort(v: JsonValue | undefined): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535 ? v : null;
}

function asCode(v: JsonValue | undefined): string | number | null {
  return typeof v === 'string' || typeof v === 'number' ? v : null;
}

/** Reads `nft -j list table inet iptl_observe` output (pure, so it can be tested on text). */
export function readObserverJson(role: NamespaceRole, layout: ObserverLayout, json: string): ObserverReading {
  const doc = JSON.parse(json) as { nftables?: ReadonlyArray<{ readonly [k: string]: JsonValue }> };
  const observations: Observation[] = [];
  const signals: RejectSignal[] = [];
  for (const item of doc.nftables ?? []) {
    const set = item['set'];
    if (!set || typeof set !== 'object' || Array.isArray(set)) continue;
    const s = set as { readonly [k: string]: JsonValue };
    const name = s['name'];
    const elems = s['elem'];
    if (typeof name !== 'string' || !Array.isArray(elems)) continue;
    for (const elem of elems as readonly JsonValue[]) {
      const v = elementValues(elem);
      if (!v) continue;
      const meaning = layout.sets.get(name);
      if (meaning) {
        const src = asAddress(v[0], meaning.family);
        const sport = asPort(v[1]);
        const dst = asAddress(v[2], meaning.family);
        const dport = asPort(v[3]);
        const protocol = asProtocol(v[4]);
        if (src === null || sport === null || dst === null || dport === null || protocol === null) continue;
        observations.push({ ns: role, stage: meaning.stage, iface: meaning.iface, flow: { protocol, src, sport, dst, dport } });
      } else if (name === 'icmp_4' || name === 'icmp_6') {
        const family: Family = name === 'icmp_4' ? 'ipv4' : 'ipv6';
        const from = asAddress(v[0], family);
        const type = asCode(v[1]);
        const code = asCode(v[2]);
        if (from !== null && type !== null && code !== null) signals.push({ kind: 'icmp', family, from, type, code });
      } else if (name === 'rst_4' || name === 'rst_6') {
        const family: Family = name === 'rst_4' ? 'ipv4' : 'ipv6';
        const from = asAddress(v[0], family);
        const sport = asPort(v[1]);
        const to = asAddress(v[2], family);
        const dport = asPort(v[3]);
        if (from !== null && sport !== null && to !== null && dport !== null) {
          signals.push({ kind: 'tcp-reset', from: { ip: from, port: sport }, to: { ip: to, port: dport } });
        }
      }
    }
  }
  return { observations, signals };
}

/** Lists the namespace's table and reads it. */
export async function readObserver(ns: Netns, layout: ObserverLayout): Promise<ObserverReading> {
  const json = await ns.run(['nft', '-j', 'list', 'table', 'inet', observerTable]);
  return readObserverJson(layout.role, layout, json);
}
