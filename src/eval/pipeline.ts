/**
 * The netfilter pipeline of one node, as the kernel runs it for the first packet of a connection.
 *
 * Hook order and table priorities mirror include/uapi/linux/netfilter_ipv4.h:
 *   PREROUTING  raw(-300) → conntrack(-200) → mangle(-150) → nat/DNAT(-100)
 *   routing decision (ip_route_input: martians, rp_filter, local vs forward)
 *   INPUT       mangle(-150) → filter(0) → security(50) → IPVS(99) → nat/SNAT(100)
 *   FORWARD     mangle(-150) → filter(0) → security(50)
 *   OUTPUT      raw(-300) → mangle(-150) → nat/DNAT(-100) → IPVS(-99) → filter(0) → security(50)
 *   POSTROUTING mangle(-150) → nat/SNAT(100)
 * IPVS hooks (net/netfilter/ipvs/ip_vs_core.c ip_vs_ops4): ip_vs_remote_request4 at LOCAL_IN,
 * NF_IP_PRI_NAT_SRC - 1; ip_vs_local_request4 at LOCAL_OUT, NF_IP_PRI_NAT_DST + 1. A packet IPVS
 * forwards in MASQ mode leaves through the LOCAL_OUT hook and POSTROUTING (ip_vs_xmit.c
 * ip_vs_nat_send_or_cont), where the nat table's SNAT (KUBE-POSTROUTING) still applies.
 * NAT chains are consulted only for a connection's first packet (nf_nat_inet_fn: only when the
 * binding for that manip type is not yet initialised).
 *
 * Size: ~450 lines: the hooks call one another the way the kernel's paths do (input, forward,
 * output, loopback, IPVS), which reads best in one place.
 */
import type { Table, TableName } from '../model/iptables/types.js';
import { runBuiltinChain, type WalkOptions } from './chain.js';
import { newChainIndexCache, type ChainIndexCache } from './chain-index.js';
import type { NodeFacts } from './facts.js';
import { IntervalSet } from './interval-set.js';
import { formatAddress } from '../model/values/address.js';
import { exclude, restrict, stepsOf, withCondition, withStep, type PacketState } from './state.js';
import type { Disposition, Hook, Probe, TracePath, TraceResult } from './types.js';
import { addressSetText, portSetText } from './view.js';

export interface TraceOptions {
  /** How many parts of the class may be explored before further forks are cut (and counted). */
  readonly maxPaths?: number;
}

const LOOPBACK_V4 = IntervalSet.of(0x7f000000n, 0x7fffffffn);
const LOOPBACK_V6 = IntervalSet.of(1n);

interface Tracer {
  readonly facts: NodeFacts;
  readonly tables: ReadonlyMap<TableName, Table>;
  readonly indexes: ChainIndexCache;
  readonly budget: WalkOptions['budget'];
  readonly paths: TracePath[];
  readonly assumptions: Set<string>;
}

function hookStep(state: PacketState, hook: Hook | 'routing' | 'ipvs' | 'origin' | 'delivery', effect: string): PacketState {
  return withStep(state, { hook, table: null, chain: null, rule: null, at: null, comment: null, effect });
}

function finish(t: Tracer, state: PacketState, disposition: Disposition, egress: string | null, reason: string | null): void {
  const view = (s: PacketState, orig: boolean) => ({
    src: addressSetText(s.family, orig ? s.origSrc : s.src),
    sport: portSetText(orig ? s.origSport : s.sport),
    dst: addressSetText(s.family, orig ? s.origDst : s.dst),
    dport: portSetText(orig ? s.origDport : s.dport),
    proto: s.proto,
  });
  t.paths.push({
    probability: state.probability,
    conditions: state.conditions,
    packet: view(state, true),
    steps: stepsOf(state),
    disposition,
    egress: disposition === 'egress' || disposition === 'local-pod' ? { iface: egress ?? '(unknown interface)' } : null,
    final: view(state, false),
    dnat: state.dnat,
    snat: state.snat,
    masqueradeMark: state.masqueradeMarkSeen,
    reason,
  });
}

/** Runs the given tables' built-in chain for a hook; returns what all of them accepted. */
function runHook(t: Tracer, states: PacketState[], hook: Hook, tables: readonly TableName[]): PacketState[] {
  let live = states;
  for (const name of tables) {
    const table = t.tables.get(name);
    if (!table) continue;
    const chain = table.chainsByName.get(hook);
    if (!chain) continue;
    const next: PacketState[] = [];
    for (const s of live) {
      if (name === 'nat' && !natApplies(s, hook)) continue;
      for (const o of runBuiltinChain(s, chain, { facts: t.facts, hook, table, indexes: t.indexes, budget: t.budget })) {
        if (o.end === 'accept' || o.end === 'return') next.push(o.state);
        else finish(t, o.state, o.end === 'drop' ? 'drop' : 'reject', null, o.reason);
      }
    }
    // States the nat table skipped go on unchanged; the others now have their binding for
    // this manip type, even a null one (no rule matched), so nat is not consulted again.
    if (name === 'nat') {
      const dst = hook === 'PREROUTING' || hook === 'OUTPUT';
      const bound = next.map((s) => (dst ? { ...s, dstNatDone: true } : { ...s, srcNatDone: true }));
      for (const s of live) if (!natApplies(s, hook)) bound.push(s);
      live = bound;
      continue;
    }
    live = next;
  }
  return live;
}

/** nf_nat_inet_fn: the nat table is consulted only for a new, tracked connection, once per manip type. */
function natApplies(state: PacketState, hook: Hook): boolean {
  if (state.connState !== 'NEW' || state.untracked) return false;
  return hook === 'PREROUTING' || hook === 'OUTPUT' ? !state.dstNatDone : state.snat === null && !state.srcNatDone;
}

export function trace(facts: NodeFacts, probe: Probe, options: TraceOptions = {}): TraceResult {
  const tables = new Map<TableName, Table>();
  for (const table of facts.ruleset?.tables ?? []) tables.set(table.name, table);
  const t: Tracer = {
    facts,
    tables,
    indexes: newChainIndexCache(),
    budget: { remaining: options.maxPaths ?? 2048, omittedPaths: 0, omittedProbability: 0 },
    paths: [],
    assumptions: new Set(),
  };
  if (!facts.ruleset) t.assumptions.add(`no ${probe.family} iptables-save: every hook is empty (ACCEPT)`);
  const srcSingle = probe.src.single;
  const inIface =
    probe.origin === 'host' ? null : probe.inIface ?? (probe.origin === 'pod' ? (srcSingle !== null ? facts.podInterface(srcSingle) : null) : facts.uplink());
  const start: PacketState = {
    family: probe.family,
    origin: probe.origin,
    proto: probe.proto,
    origSrc: probe.src,
    origDst: probe.dst,
    origSport: probe.sport,
    origDport: probe.dport,
    src: probe.src,
    dst: probe.dst,
    sport: probe.sport,
    dport: probe.dport,
    inIface,
    outIface: null,
    mark: probe.mark,
    ctmark: 0,
    connState: probe.state,
    untracked: false,
    dnat: null,
    snat: null,
    dstNatDone: false,
    srcNatDone: false,
    masqueradeMarkSeen: false,
    conditions: [],
    probability: 1,
    steps: null,
    recentSet: [],
    assumeHistory: probe.assumeHistory,
    ipvsConn: null,
  };
  if (probe.state === 'ESTABLISHED') t.assumptions.add('ESTABLISHED: the nat table is not consulted (NAT was decided on the first packet); the trace shows filtering only');
  if (probe.origin === 'host') output(t, hookStep(start, 'origin', 'sent by a local process'));
  else {
    const where = inIface ?? '(unknown interface)';
    if (inIface === null) t.assumptions.add(`the ${probe.origin === 'pod' ? 'pod' : 'uplink'} interface is unknown (give --in-iface or an ip addr/route dump)`);
    prerouting(t, hookStep(start, 'origin', `arrives on ${where} from ${probe.origin === 'pod' ? 'a pod' : 'outside the node'}`));
  }
  t.paths.sort((a, b) => b.probability - a.probability);
  return {
    probe,
    paths: t.paths,
    omitted: { paths: t.budget.omittedPaths, probability: t.budget.omittedProbability },
    assumptions: [...t.assumptions],
  };
}

function prerouting(t: Tracer, state: PacketState): void {
  for (const s of runHook(t, [state], 'PREROUTING', ['raw', 'mangle', 'nat'])) routeInput(t, { ...s, dstNatDone: true });
}

function sysctlNote(t: Tracer, text: string, assumed: boolean): void {
  if (assumed) t.assumptions.add(text);
}

/**
 * ip_route_input_slow: martian sources and destinations, rp_filter, then local delivery or
 * forwarding.
 */
function routeInput(t: Tracer, state: PacketState): void {
  const facts = t.facts;
  const iface = state.inIface;
  const loopback = state.family === 'ipv4' ? LOOPBACK_V4 : LOOPBACK_V6;
  // Destinations in 127/8 arriving on a non-loopback device are martians unless route_localnet.
  let live: PacketState[] = [state];
  if (iface !== 'lo' && state.family === 'ipv4') {
    const localnet = facts.sysctl('route_localnet', iface);
    sysctlNote(t, localnet.text, localnet.assumed);
    const next: PacketState[] = [];
    for (const s of live) {
      const into = restrict(s, 'dst', loopback);
      const rest = exclude(s, 'dst', loopback);
      if (!into.dst.isEmpty) {
        if (localnet.value) next.push(into);
        else finish(t, hookStep(into, 'routing', `dropped: destination in 127.0.0.0/8 on ${iface ?? 'a non-loopback device'} (martian destination; ${localnet.text})`), 'drop', null, 'martian destination: 127.0.0.0/8 arriving on a non-loopback interface');
      }
      if (!rest.dst.isEmpty) next.push(rest);
    }
    live = next;
  }
  // A packet from outside whose source is one of our own addresses is a martian
  // (fib_validate_source: a local source is refused unless accept_local) — this is what drops
  // LB health probes sourced from a VIP bound on kube-ipvs0.
  if (iface !== 'lo') {
    const acceptLocal = facts.sysctl('accept_local', iface);
    const local = facts.localSet();
    const next: PacketState[] = [];
    for (const s of live) {
      if (local) {
        const own = restrict(s, 'src', local);
        const other = exclude(s, 'src', local);
        if (!own.src.isEmpty) {
          if (acceptLocal.value) next.push(own);
          else finish(t, hookStep(own, 'routing', `dropped: source ${addressSetText(s.family, own.src)} is an address of this node (martian source; ${acceptLocal.text})`), 'drop', null, `martian source: ${addressSetText(s.family, own.src)} is one of this node's own addresses`);
        }
        if (!other.src.isEmpty) next.push(other);
      } else next.push(s);
    }
    live = next;
  }
  // rp_filter (fib_validate_source): strict (1) wants the route back to the source to use the
  // interface the packet came in on; loose (2) wants any route back. 0 checks nothing.
  if (iface !== 'lo' && iface !== null) {
    const rp = facts.sysctl('rp_filter', iface);
    sysctlNote(t, rp.text, rp.assumed);
    if (rp.value > 0) {
      const next: PacketState[] = [];
      for (const s of live) {
        const src = s.src.single;
        const back = src !== null ? facts.routeIface(src) : 'unknown';
        if (back === 'unknown') {
          if (src === null) t.assumptions.add('rp_filter is not evaluated for a class of sources');
          next.push(s);
          continue;
        }
        const pass = rp.value === 1 ? back === iface : back !== null;
        if (pass) next.push(s);
        else {
          const why = back === null ? `there is no route back to ${addressSetText(s.family, s.src)}` : `the route back to ${addressSetText(s.family, s.src)} leaves by ${back}, not ${iface}`;
          finish(t, hookStep(s, 'routing', `dropped by reverse-path filtering: ${why} (${rp.text})`), 'drop', null, `rp_filter: ${why}`);
        }
      }
      live = next;
    }
  }
  for (const s of live) routeDecision(t, s);
}

/** Local delivery or forwarding, by the destination's route (fib_lookup: local table first). */
function routeDecision(t: Tracer, state: PacketState): void {
  const facts = t.facts;
  const local = facts.localSet();
  if (local) {
    const mine = restrict(state, 'dst', local);
    const other = exclude(state, 'dst', local);
    if (!mine.dst.isEmpty) input(t, hookStep(mine, 'routing', `destination ${addressSetText(state.family, mine.dst)} is local${localIfaceText(t, mine)}: local delivery (INPUT)`));
    if (!other.dst.isEmpty) forward(t, other);
    return;
  }
  const dst = state.dst.single;
  const answer = dst !== null ? facts.isLocal(dst) : 'unknown';
  if (answer === true) input(t, hookStep(state, 'routing', 'destination is local: local delivery (INPUT)'));
  else if (answer === false) forward(t, state);
  else {
    const text = `${addressSetText(state.family, state.dst)} is an address of this node`;
    input(t, hookStep(withCondition(state, { kind: 'local-addresses-unknown', text, at: null }), 'routing', 'destination assumed local: local delivery (INPUT)'));
    forward(t, withCondition(state, { kind: 'local-addresses-unknown', text: `not: ${text}`, at: null }));
  }
}

function localIfaceText(t: Tracer, state: PacketState): string {
  const dst = state.dst.single;
  const iface = dst !== null ? t.facts.localInterface(dst) : null;
  return iface ? ` (bound on ${iface})` : '';
}

function input(t: Tracer, state: PacketState): void {
  const accepted = runHook(t, [state], 'INPUT', ['mangle', 'filter', 'security']);
  for (const s of accepted) {
    const taken = ipvsLocalIn(t, s);
    if (taken) continue;
    for (const n of runHook(t, [s], 'INPUT', ['nat'])) {
      finish(t, hookStep(n, 'delivery', 'delivered to a local socket'), 'local', null, null);
    }
  }
}

/** The IPVS backend choice: one branch per real server with its weight share. */
function ipvsLocalIn(t: Tracer, state: PacketState): boolean {
  const facts = t.facts;
  const dst = state.dst.single;
  const dport = state.dport.single;
  if (dst === null || (state.proto !== 'tcp' && state.proto !== 'udp' && state.proto !== 'sctp')) return false;
  const service = (dport !== null ? facts.ipvsService(state.proto, dst, Number(dport)) : null) ?? facts.ipvsFwmarkService(state.mark);
  if (!service) {
    if (!facts.ipvsKnown && facts.localInterface(dst) === 'kube-ipvs0') {
      t.assumptions.add(`${formatAddress(state.family, dst)} is bound on kube-ipvs0 but there is no ipvsadm dump: IPVS backends unknown`);
    }
    return false;
  }
  const backends = service.backends.filter((b) => b.weight > 0);
  if (backends.length === 0) {
    // ip_vs_leave: no destination available → ICMP port unreachable to the client.
    finish(t, hookStep(state, 'ipvs', `IPVS ${service.text}: no real server with weight > 0 — rejected (ICMP port unreachable)`), 'reject', null, `IPVS virtual service ${service.text} has no available real server`);
    return true;
  }
  const total = backends.reduce((a, b) => a + b.weight, 0);
  for (const b of backends) {
    const share = b.weight / total;
    const to = b.port === null ? formatAddress(state.family, b.address) : `${formatAddress(state.family, b.address)}:${b.port}`;
    let s = withCondition(state, { kind: 'ipvs', text: `IPVS (${service.scheduler}) picks real server ${to} (weight ${b.weight}/${total})`, at: null }, share);
    s = hookStep(s, 'ipvs', `IPVS ${service.text} → ${to} (${b.forward}, ${service.scheduler})`);
    const conn = { vip: dst, vport: Number(state.dport.single ?? 0n), proto: state.proto === 'tcp' ? 6 : state.proto === 'udp' ? 17 : 132, method: b.forward === 'masq' ? ('MASQ' as const) : b.forward === 'route' ? ('GATE' as const) : b.forward === 'tunnel' ? ('IPIP' as const) : ('LOCAL' as const) };
    s = { ...s, ipvsConn: conn };
    if (b.forward === 'masq' || b.forward === 'local') {
      s = { ...s, dst: IntervalSet.of(b.address), dport: b.port === null ? s.dport : IntervalSet.of(BigInt(b.port)), dnat: { to, at: null } };
    }
    const isLocal = facts.isLocal(b.address) === true || b.forward === 'local';
    if (isLocal) {
      finish(t, hookStep(s, 'delivery', 'IPVS real server is local: delivered to a local socket'), 'local', null, null);
      continue;
    }
    // The forwarded packet leaves through LOCAL_OUT (its nat was decided) and POSTROUTING.
    const out = routeOut(t, s);
    if (!out) continue;
    for (const o of runHook(t, [out], 'OUTPUT', ['mangle', 'filter', 'security'])) postrouting(t, o);
  }
  return true;
}

function forward(t: Tracer, state: PacketState): void {
  const ipForward = t.facts.sysctl('ip_forward', null);
  sysctlNote(t, ipForward.text, ipForward.assumed);
  if (!ipForward.value) {
    finish(t, hookStep(state, 'routing', `dropped: not for this node and forwarding is off (${ipForward.text})`), 'drop', null, 'IP forwarding is disabled');
    return;
  }
  const routed = routeOut(t, state);
  if (!routed) return;
  for (const s of runHook(t, [routed], 'FORWARD', ['mangle', 'filter', 'security'])) postrouting(t, s);
}

/** Route lookup for a packet leaving: sets the output interface, or ends the path. */
function routeOut(t: Tracer, state: PacketState): PacketState | null {
  const dst = state.dst.single;
  if (dst === null) {
    return hookStep({ ...state, outIface: null }, 'routing', `routed by destination (${addressSetText(state.family, state.dst)})`);
  }
  const route = t.facts.route(dst);
  switch (route.kind) {
    case 'local':
      return hookStep({ ...state, outIface: 'lo' }, 'routing', `destination ${formatAddress(state.family, dst)} is local: via lo`);
    case 'unicast':
      return hookStep({ ...state, outIface: route.iface }, 'routing', route.text);
    case 'blackhole':
      finish(t, hookStep(state, 'routing', `dropped: ${route.text}`), 'drop', null, route.text);
      return null;
    case 'unreachable':
    case 'prohibit':
      finish(t, hookStep(state, 'routing', `rejected: ${route.text}`), 'reject', null, route.text);
      return null;
    case 'unknown':
      t.assumptions.add(route.text);
      return hookStep({ ...state, outIface: null }, 'routing', route.text);
    default: {
      const never: never = route;
      return never;
    }
  }
}

function postrouting(t: Tracer, state: PacketState): void {
  for (const s of runHook(t, [state], 'POSTROUTING', ['mangle', 'nat'])) {
    const iface = s.outIface;
    const role = iface ? t.facts.interfaceRole(iface) : 'other';
    if (iface === 'lo') {
      loopbackInput(t, s);
      continue;
    }
    const disposition: Disposition = role === 'pod' ? 'local-pod' : 'egress';
    finish(t, hookStep(s, 'delivery', `leaves on ${iface ?? '(unknown interface)'}${role === 'pod' ? ' to a pod on this node' : ''}`), disposition, iface, null);
  }
}

/**
 * A locally generated packet to a local address goes OUTPUT → POSTROUTING → lo → PREROUTING →
 * INPUT; its NAT was decided on the way out, so the nat table is not consulted again.
 */
function loopbackInput(t: Tracer, state: PacketState): void {
  let s: PacketState = hookStep({ ...state, inIface: 'lo', outIface: null, dstNatDone: true, srcNatDone: true }, 'routing', 'looped back through lo');
  const pre = runHook(t, [s], 'PREROUTING', ['raw', 'mangle']);
  for (const p of pre) {
    s = p;
    const accepted = runHook(t, [s], 'INPUT', ['mangle', 'filter', 'security']);
    for (const a of accepted) {
      if (ipvsLocalIn(t, a)) continue;
      finish(t, hookStep(a, 'delivery', 'delivered to a local socket'), 'local', null, null);
    }
  }
}

function output(t: Tracer, state: PacketState): void {
  // ip_route_output picks the output device before LOCAL_OUT runs.
  const routed = routeOut(t, state);
  if (!routed) return;
  for (const s of runHook(t, [routed], 'OUTPUT', ['raw', 'mangle', 'nat'])) {
    const afterNat: PacketState = { ...s, dstNatDone: true };
    // ip_vs_local_request4 (LOCAL_OUT, after nat): a local client of a virtual service.
    if (ipvsLocalOut(t, afterNat)) continue;
    const rerouted = afterNat.dnat && afterNat.dnat !== state.dnat ? routeOut(t, hookStep(afterNat, 'routing', 're-routed after DNAT (ip_route_me_harder)')) : afterNat;
    if (!rerouted) continue;
    for (const f of runHook(t, [rerouted], 'OUTPUT', ['filter', 'security'])) postrouting(t, f);
  }
}

function ipvsLocalOut(t: Tracer, state: PacketState): boolean {
  const dst = state.dst.single;
  if (dst === null || t.facts.isLocal(dst) !== true) return false;
  const dport = state.dport.single;
  if (state.proto !== 'tcp' && state.proto !== 'udp' && state.proto !== 'sctp') return false;
  const service = (dport !== null ? t.facts.ipvsService(state.proto, dst, Number(dport)) : null) ?? t.facts.ipvsFwmarkService(state.mark);
  if (!service) return false;
  return ipvsLocalIn(t, state);
}
