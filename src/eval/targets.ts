/**
 * Target semantics: what a rule's target does to the packet and whether the walk goes on
 * (XT_CONTINUE), ends the table for this hook (NF_ACCEPT), or ends everything (NF_DROP).
 * NAT targets return NF_ACCEPT after setting up the binding (nf_nat_setup_info), so they end
 * the nat chain they are in.
 */
import type { Rule } from '../model/iptables/types.js';
import type { ConnmarkTarget, NatRange, NatTarget, NetmapTarget, Target } from '../model/iptables/targets/types.js';
import { formatAddress } from '../model/values/address.js';
import type { EvalContext } from './context.js';
import type { ChainEnd } from './chain.js';
import { IntervalSet } from './interval-set.js';
import { withCondition, withStep, type PacketState } from './state.js';
import { addressSetText, portSetText } from './view.js';

export type TargetResult =
  | { readonly action: 'continue'; readonly state: PacketState }
  | { readonly action: 'end'; readonly state: PacketState; readonly end: ChainEnd; readonly reason: string | null }
  | { readonly action: 'jump' | 'goto'; readonly state: PacketState; readonly chain: string };

function step(state: PacketState, rule: Rule, ctx: EvalContext, effect: string): PacketState {
  return withStep(state, { hook: ctx.hook, table: rule.table, chain: rule.chain, rule: rule.index, at: rule.at, comment: rule.comment, effect });
}

function where(rule: Rule): string {
  return `${rule.table}/${rule.chain}#${rule.index}`;
}

export function applyTarget(rule: Rule, state: PacketState, ctx: EvalContext): TargetResult[] {
  const target: Target | null = rule.target;
  if (!target) return [{ action: 'continue', state: step(state, rule, ctx, 'matched (no target: counted only)') }];
  switch (target.kind) {
    case 'jump':
      return [{ action: 'jump', state: step(state, rule, ctx, `jump ${target.chain}`), chain: target.chain }];
    case 'goto':
      return [{ action: 'goto', state: step(state, rule, ctx, `goto ${target.chain}`), chain: target.chain }];
    case 'ACCEPT':
      return [{ action: 'end', state: step(state, rule, ctx, 'ACCEPT'), end: 'accept', reason: null }];
    case 'DROP':
      return [{ action: 'end', state: step(state, rule, ctx, 'DROP'), end: 'drop', reason: `DROP by ${where(rule)}` }];
    case 'RETURN':
      return [{ action: 'end', state: step(state, rule, ctx, 'RETURN'), end: 'return', reason: null }];
    case 'QUEUE':
      return userspace(state, rule, ctx, 'QUEUE');
    case 'NFQUEUE':
      return userspace(state, rule, ctx, `NFQUEUE ${target.queues.from}${target.queues.to !== target.queues.from ? `:${target.queues.to}` : ''}${target.bypass ? ' (bypass: accepted when no program listens)' : ''}`);
    case 'REJECT':
      return [{ action: 'end', state: step(state, rule, ctx, `REJECT with ${target.with}`), end: 'reject', reason: `REJECT (${target.with}) by ${where(rule)}` }];
    case 'MARK': {
      // xt_MARK.c mark_tg: skb->mark = (skb->mark & ~mask) ^ value
      const mark = ((state.mark & ~target.mask) ^ target.value) >>> 0;
      const masq = ctx.facts.masqueradeBit;
      const seen = state.masqueradeMarkSeen || (mark & masq) === masq;
      return [{ action: 'continue', state: step({ ...state, mark, masqueradeMarkSeen: seen }, rule, ctx, `MARK → 0x${mark.toString(16)}`) }];
    }
    case 'CONNMARK':
      return [{ action: 'continue', state: connmark(state, target, rule, ctx) }];
    case 'DNAT':
    case 'SNAT':
      return [nat(state, target, rule, ctx)];
    case 'MASQUERADE': {
      const iface = state.outIface;
      const address = iface ? ctx.facts.primaryAddress(iface) : null;
      const to = address !== null ? formatAddress(state.family, address) : `address of ${iface ?? 'the output interface'}`;
      const ports = target.ports ? IntervalSet.of(BigInt(target.ports.from), BigInt(target.ports.to)) : state.sport;
      const next: PacketState = { ...state, src: address !== null ? IntervalSet.of(address) : state.src, sport: ports, snat: { kind: 'masquerade', to, at: rule.at }, srcNatDone: true };
      return [{ action: 'end', state: step(next, rule, ctx, `MASQUERADE to ${to}`), end: 'accept', reason: null }];
    }
    case 'REDIRECT': {
      // nf_nat_redirect_ipv4: to the primary address of the input device, or loopback for OUTPUT.
      const local = ctx.hook === 'OUTPUT' ? (state.family === 'ipv4' ? 0x7f000001n : 1n) : state.inIface ? ctx.facts.primaryAddress(state.inIface) : null;
      const ports = target.ports ? IntervalSet.of(BigInt(target.ports.from), BigInt(target.ports.to)) : state.dport;
      const to = `${local !== null ? formatAddress(state.family, local) : `address of ${state.inIface ?? 'the input interface'}`}:${portSetText(ports)}`;
      const next: PacketState = { ...state, dst: local !== null ? IntervalSet.of(local) : state.dst, dport: ports, dnat: { to, at: rule.at }, dstNatDone: true };
      return [{ action: 'end', state: step(next, rule, ctx, `REDIRECT to ${to}`), end: 'accept', reason: null }];
    }
    case 'NETMAP':
      return [netmap(state, target, rule, ctx)];
    case 'NOTRACK':
      return [{ action: 'continue', state: step({ ...state, untracked: true }, rule, ctx, 'NOTRACK: no connection tracking, so no NAT') }];
    case 'CT':
      return [{ action: 'continue', state: step(target.notrack ? { ...state, untracked: true } : state, rule, ctx, target.notrack ? 'CT --notrack: no connection tracking, so no NAT' : `CT${target.helper ? ` helper ${target.helper}` : ''}${target.zone ? ` zone ${target.zone.id}` : ''}`) }];
    case 'TRACE':
      return [{ action: 'continue', state: step(state, rule, ctx, 'TRACE (the kernel logs every rule this packet meets)') }];
    case 'LOG':
      return [{ action: 'continue', state: step(state, rule, ctx, `LOG${target.prefix ? ` "${target.prefix}"` : ''}`) }];
    case 'NFLOG':
      return [{ action: 'continue', state: step(state, rule, ctx, `NFLOG group ${target.group}${target.prefix ? ` "${target.prefix}"` : ''}`) }];
    case 'ULOG':
      return [{ action: 'continue', state: step(state, rule, ctx, `ULOG group ${target.nlgroup}`) }];
    case 'AUDIT':
      return [{ action: 'continue', state: step(state, rule, ctx, `AUDIT ${target.type ?? ''}`.trim()) }];
    case 'TPROXY': {
      const text = `a transparent socket listens on port ${target.port} for ${where(rule)}`;
      const marked = ((state.mark & ~target.mark.mask) ^ target.mark.value) >>> 0;
      return [
        { action: 'end', state: withCondition(step({ ...state, mark: marked }, rule, ctx, `TPROXY to port ${target.port}`), { kind: 'undecidable-match', text, at: rule.at }), end: 'accept', reason: null },
        { action: 'end', state: withCondition(step(state, rule, ctx, 'TPROXY: no socket, dropped'), { kind: 'undecidable-match', text: `not: ${text}`, at: rule.at }), end: 'drop', reason: `TPROXY at ${where(rule)} found no socket` },
      ];
    }
    case 'CHECKSUM':
    case 'TCPMSS':
    case 'CLASSIFY':
    case 'DSCP':
    case 'TOS':
    case 'SECMARK':
    case 'CONNSECMARK':
    case 'HMARK':
      return [{ action: 'continue', state: step(state, rule, ctx, `${target.kind} (does not change where the packet goes)`) }];
    case 'SET':
      return [{ action: 'continue', state: step(state, rule, ctx, `SET ${target.add ? `add to ${target.add.name}` : target.del ? `delete from ${target.del.name}` : target.map ? `map by ${target.map.name}` : ''}`.trim()) }];
    case 'TEE':
      return [{ action: 'continue', state: step(state, rule, ctx, `TEE: a copy goes to ${target.gateway ? target.gateway.text : 'the gateway'}`) }];
    case 'unknown': {
      const text = `unknown target ${target.name}`;
      const goesOn = withCondition(step(state, rule, ctx, `${target.name} (unknown target: assumed to continue)`), { kind: 'unknown-target', text: `${text} lets the packet continue`, at: rule.at });
      const stops = withCondition(step(state, rule, ctx, `${target.name} (unknown target: assumed to drop)`), { kind: 'unknown-target', text: `${text} drops the packet`, at: rule.at });
      return [
        { action: 'continue', state: goesOn },
        { action: 'end', state: stops, end: 'drop', reason: `${target.name} by ${where(rule)} (unknown target)` },
      ];
    }
    default: {
      const never: never = target;
      return never;
    }
  }
}

function rangeSet(range: NatRange, fallback: IntervalSet): { addresses: IntervalSet; ports: IntervalSet | null } {
  const addresses = range.addresses ? IntervalSet.of(range.addresses.first, range.addresses.last) : fallback;
  const ports = range.ports ? IntervalSet.of(BigInt(range.ports.from), BigInt(range.ports.to)) : null;
  return { addresses, ports };
}

/** DNAT/SNAT: the binding is set up for the connection and the nat chain ends (NF_ACCEPT). */
function nat(state: PacketState, target: NatTarget, rule: Rule, ctx: EvalContext): TargetResult {
  const range = target.ranges[0];
  const dst = target.kind === 'DNAT';
  const current = dst ? state.dst : state.src;
  const { addresses, ports } = range ? rangeSet(range, current) : { addresses: current, ports: null };
  const portText = ports ? `:${portSetText(ports)}` : '';
  const to = `${addressSetText(state.family, addresses)}${portText}`;
  const next: PacketState = dst
    ? { ...state, dst: addresses, dport: ports ?? state.dport, dnat: { to, at: rule.at }, dstNatDone: true }
    : { ...state, src: addresses, sport: ports ?? state.sport, snat: { kind: 'snat', to, at: rule.at }, srcNatDone: true };
  return { action: 'end', state: step(next, rule, ctx, `${target.kind} to ${to}`), end: 'accept', reason: null };
}

/** NETMAP: one prefix onto another, host bits kept (xt_NETMAP.c). */
function netmap(state: PacketState, target: NetmapTarget, rule: Rule, ctx: EvalContext): TargetResult {
  const to = target.to;
  if (!to) return { action: 'continue', state: step(state, rule, ctx, 'NETMAP without a prefix (ignored)') };
  const dst = ctx.hook === 'PREROUTING' || ctx.hook === 'OUTPUT';
  const field = dst ? state.dst : state.src;
  const size = to.last - to.first;
  const single = field.single;
  const mapped = single !== null ? IntervalSet.of(to.first + (single & size)) : IntervalSet.of(to.first, to.last);
  const text = addressSetText(state.family, mapped);
  const next: PacketState = dst
    ? { ...state, dst: mapped, dnat: { to: text, at: rule.at }, dstNatDone: true }
    : { ...state, src: mapped, snat: { kind: 'snat', to: text, at: rule.at }, srcNatDone: true };
  return { action: 'end', state: step(next, rule, ctx, `NETMAP to ${text}`), end: 'accept', reason: null };
}

/** xt_connmark.c: set, save (packet → connection) and restore (connection → packet) with masks. */
function connmark(state: PacketState, target: ConnmarkTarget, rule: Rule, ctx: EvalContext): PacketState {
  switch (target.mode) {
    case 'set': {
      const ctmark = ((state.ctmark & ~target.mask) ^ target.value) >>> 0;
      return step({ ...state, ctmark }, rule, ctx, `CONNMARK set → 0x${ctmark.toString(16)}`);
    }
    case 'save': {
      const ctmark = ((state.ctmark & ~target.ctmask) ^ (state.mark & target.nfmask)) >>> 0;
      return step({ ...state, ctmark }, rule, ctx, `CONNMARK save → 0x${ctmark.toString(16)}`);
    }
    case 'restore': {
      const mark = ((state.mark & ~target.nfmask) ^ (state.ctmark & target.ctmask)) >>> 0;
      return step({ ...state, mark }, rule, ctx, `CONNMARK restore → mark 0x${mark.toString(16)}`);
    }
    case null:
      return step(state, rule, ctx, 'CONNMARK (no operation)');
    default: {
      const never: never = target;
      return never;
    }
  }
}

/** QUEUE/NFQUEUE: a user-space program decides; both outcomes are possible. */
function userspace(state: PacketState, rule: Rule, ctx: EvalContext, name: string): TargetResult[] {
  const text = `the user-space program behind ${name} at ${where(rule)}`;
  return [
    { action: 'end', state: withCondition(step(state, rule, ctx, `${name}: accepted by user space`), { kind: 'userspace', text: `${text} accepts it`, at: rule.at }), end: 'accept', reason: null },
    { action: 'end', state: withCondition(step(state, rule, ctx, `${name}: dropped by user space`), { kind: 'userspace', text: `${text} drops it`, at: rule.at }), end: 'drop', reason: `${name} at ${where(rule)}: dropped by user space` },
  ];
}
