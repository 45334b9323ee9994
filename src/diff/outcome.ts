/**
 * Comparing two traces of one probe: their outcomes in terms that hold across nodes (what
 * happens to the packet, with B's own addresses renamed to A's and interfaces by role), and,
 * when they differ, the first step where the shown paths part and the facts behind it (the set
 * a rule tested and what each node's set holds).
 */
import type { NodeFacts } from '../eval/facts.js';
import type { Step, TracePath, TraceResult } from '../eval/types.js';
import type { Chain, Rule, Ruleset } from '../model/iptables/types.js';
import { dimensionsOf } from '../model/ipset/dimensions.js';
import type { IpSet } from '../model/ipset/types.js';
import { formatAddress, parseAddress, type Family } from '../model/values/address.js';
import type { Renaming } from './identity.js';
import type { IntervalSet } from '../eval/interval-set.js';
import { ruleKey, type KeyContext } from './rule-keys.js';
import type { FirstDifference, PathOutcome, Side } from './types.js';

/** What a side needs to explain its steps. */
export interface SideView {
  readonly side: Side;
  readonly facts: NodeFacts;
  readonly ipsets: readonly IpSet[] | null;
  readonly keys: KeyContext;
  /** B's renaming (to A's addresses); null on A. */
  readonly renaming: Renaming | null;
  /** Both nodes' pod prefixes: an endpoint there is local to one node and remote to the other. */
  readonly podNets: IntervalSet;
}

const ADDRESS_TOKEN = /(?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}/g;

/** Addresses in a text, renamed (`any except 10.0.0.12` on B reads `any except 10.0.0.11`). */
export function renameAddresses(text: string, renaming: Renaming | null): string {
  if (!renaming || renaming.isIdentity) return text;
  return text.replace(ADDRESS_TOKEN, (token) => (parseAddress(token) ? renaming.text(token).text : token));
}

function renameEndpoint(to: string, renaming: Renaming | null): string {
  if (!renaming || renaming.isIdentity) return to;
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(to);
  if (!m) return renameAddresses(to, renaming);
  const address = m[1]!;
  if (!parseAddress(address)) return renameAddresses(to, renaming);
  const renamed = renaming.text(address).text;
  return to.replace(address, renamed);
}

/**
 * What is compared. Not the packets a path holds for: a single-packet probe's paths all hold for
 * its one packet, and a class probe's parts are only known as text (eval/view.ts shortens large
 * classes to "a, b + N more"), which two nodes may split differently for the same whole.
 */
function outcomeKey(o: Omit<PathOutcome, 'probability'>): string {
  return JSON.stringify([o.disposition, o.dnat, o.snat?.kind ?? null, o.snat?.to ?? null, o.egress]);
}

/**
 * A path's outcome in terms that hold on both nodes. Two nodes of one cluster send a packet for
 * a pod on one node's pod prefix to a local pod (by the bridge, masqueraded to the bridge's
 * address) or to a remote one (by the uplink or tunnel, masqueraded to the node's address): that
 * is where the endpoint runs, not a difference in behaviour, so such a path reads "to the
 * endpoint" and a masquerade to any of the node's own addresses reads "the node".
 */
function pathOutcome(path: TracePath, view: SideView): Omit<PathOutcome, 'probability'> {
  const r = view.renaming;
  const final = single(path.final.dst);
  const toEndpoint = path.dnat !== null && final !== null && view.podNets.has(final) && (path.disposition === 'egress' || path.disposition === 'local-pod');
  const snatTo = (to: string): string => {
    const a = single(to);
    return a !== null && view.facts.isLocal(a) === true ? 'the node' : renameAddresses(to, r);
  };
  return {
    disposition: toEndpoint ? 'egress' : path.disposition,
    dnat: path.dnat ? renameEndpoint(path.dnat.to, r) : null,
    snat: path.snat ? { kind: path.snat.kind, to: snatTo(path.snat.to) } : null,
    egress: toEndpoint ? 'endpoint' : path.egress ? (path.egress.iface.startsWith('(') ? 'unknown' : view.facts.interfaceRole(path.egress.iface)) : null,
    packets: renameAddresses(`${path.packet.src} ${path.packet.dst}:${path.packet.dport}`, r),
  };
}

/**
 * The trace's outcomes, merged by what they do. For one packet the probabilities of its paths
 * (random choices) add up; a class probe's paths are for parts of the class, each with its own
 * probabilities, and how finely a node's rules happen to split the class is no difference, so
 * there the likeliest path of each outcome stands for it.
 */
export function outcomesOf(result: TraceResult, view: SideView): PathOutcome[] {
  const merged = new Map<string, PathOutcome>();
  const single = result.probe.src.single !== null && result.probe.dst.single !== null;
  for (const path of result.paths) {
    const o = pathOutcome(path, view);
    const k = outcomeKey(o);
    const prev = merged.get(k);
    const probability = single ? (prev?.probability ?? 0) + path.probability : Math.max(prev?.probability ?? 0, path.probability);
    const packets = prev && prev.packets !== o.packets ? (prev.packets.endsWith(' …') ? prev.packets : `${prev.packets} …`) : o.packets;
    merged.set(k, { ...o, packets, probability });
  }
  return [...merged.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([, o]) => ({ ...o, probability: Math.round(o.probability * 1e6) / 1e6 }));
}

export function sameOutcomes(a: readonly PathOutcome[], b: readonly PathOutcome[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (outcomeKey(x) !== outcomeKey(y) || Math.abs(x.probability - y.probability) > 1e-6) return false;
  }
  return true;
}

function ruleOf(ruleset: Ruleset | null, step: Step): Rule | null {
  if (step.rule === null || !step.table || !step.chain || !ruleset) return null;
  const chain = ruleset.tables.find((t) => t.name === step.table)?.chainsByName.get(step.chain);
  return chain?.rules[step.rule - 1] ?? null;
}

/** Rule keys by the context they were made in (B's depend on the renaming of the pair). */
const keyMemo = new WeakMap<KeyContext, WeakMap<Rule, string>>();

function memoKey(rule: Rule, keys: KeyContext): string {
  let byRule = keyMemo.get(keys);
  if (!byRule) {
    byRule = new WeakMap();
    keyMemo.set(keys, byRule);
  }
  let k = byRule.get(rule);
  if (k === undefined) {
    k = ruleKey(rule, keys).key;
    byRule.set(rule, k);
  }
  return k;
}

/** A step as it compares across nodes: its hook and rule by meaning, or what it did. */
function stepKey(step: Step, view: SideView): string {
  const rule = ruleOf(view.facts.ruleset, step);
  const where = `${step.hook}|${step.table ?? ''}|${step.chain ? view.keys.chainId(step.chain) : ''}`;
  if (rule) return `${where}|${memoKey(rule, view.keys)}`;
  // Where a route was read from is not what it did.
  const effect = renameAddresses(step.effect.replace(/\s\([^()]*[/\\][^()]*\)/g, ''), view.renaming);
  return `${where}|${effect}`;
}

function commonPrefix(a: TracePath, b: TracePath, va: SideView, vb: SideView): number {
  const n = Math.min(a.steps.length, b.steps.length);
  let i = 0;
  while (i < n && stepKey(a.steps[i]!, va) === stepKey(b.steps[i]!, vb)) i++;
  return i;
}

/** The path of `paths` that stays longest with `other` (the likelier on a tie). */
function closest(paths: readonly TracePath[], other: TracePath, view: SideView, otherView: SideView, mine: 'a' | 'b'): number {
  let best = 0;
  let bestLength = -1;
  paths.forEach((p, i) => {
    const l = mine === 'a' ? commonPrefix(p, other, view, otherView) : commonPrefix(other, p, otherView, view);
    if (l > bestLength) {
      best = i;
      bestLength = l;
    }
  });
  return best;
}

export interface PathChoice {
  readonly a: number;
  readonly b: number;
  readonly firstDifference: FirstDifference;
}

/**
 * The paths to show side by side: a path whose outcome the other node lacks, and the other
 * node's path that stays with it longest; and where they part.
 */
export function choosePaths(a: TraceResult, b: TraceResult, outA: readonly PathOutcome[], outB: readonly PathOutcome[], va: SideView, vb: SideView): PathChoice {
  const keysA = new Set(outA.map(outcomeKey));
  const keysB = new Set(outB.map(outcomeKey));
  const lonelyA = a.paths.findIndex((p) => !keysB.has(outcomeKey(pathOutcome(p, va))));
  const lonelyB = b.paths.findIndex((p) => !keysA.has(outcomeKey(pathOutcome(p, vb))));
  let ia = 0;
  let ib = 0;
  if (a.paths.length && b.paths.length) {
    if (lonelyA >= 0) {
      ia = lonelyA;
      ib = closest(b.paths, a.paths[ia]!, vb, va, 'b');
    } else if (lonelyB >= 0) {
      ib = lonelyB;
      ia = closest(a.paths, b.paths[ib]!, va, vb, 'a');
    }
  }
  const pa = a.paths[ia];
  const pb = b.paths[ib];
  const index = pa && pb ? commonPrefix(pa, pb, va, vb) : 0;
  const sa = pa?.steps[index] ?? null;
  const sb = pb?.steps[index] ?? null;
  return { a: ia, b: ib, firstDifference: { index, a: sa, b: sb, reasons: reasons(sa, sb, pa ?? null, pb ?? null, va, vb) } };
}

// ---- why the paths part ----

interface Fields {
  readonly family: Family;
  readonly src: bigint;
  readonly dst: bigint;
  readonly sport: number;
  readonly dport: number;
  readonly proto: TracePath['packet']['proto'];
}

function single(text: string): bigint | null {
  const a = parseAddress(text);
  return a && a.first === a.last ? a.first : null;
}

/**
 * The packet at a step, as far as a path tells: destination before NAT in PREROUTING and the
 * OUTPUT nat chain (DNAT is decided there), after it elsewhere; the source before SNAT (it is the
 * last thing POSTROUTING does).
 */
function fieldsAt(step: Step, path: TracePath): Fields | null {
  const before = step.hook === 'PREROUTING' || (step.hook === 'OUTPUT' && step.table !== 'filter' && step.table !== 'security');
  const dstView = before ? path.packet : path.final;
  const src = single(path.packet.src);
  const dst = single(dstView.dst);
  const sport = Number(path.packet.sport);
  const dport = Number(dstView.dport);
  if (src === null || dst === null || !Number.isInteger(sport) || !Number.isInteger(dport)) return null;
  const family: Family = path.packet.src.includes(':') ? 'ipv6' : 'ipv4';
  return { family, src, dst, sport, dport, proto: path.packet.proto };
}

function memberText(set: IpSet, flags: readonly ('src' | 'dst')[], f: Fields): string {
  const dims = dimensionsOf(set.type);
  return dims
    .map((kind, i) => {
      const from = flags[i] ?? 'dst';
      switch (kind) {
        case 'ip':
        case 'net':
          return formatAddress(f.family, from === 'src' ? f.src : f.dst);
        case 'port':
          return `${f.proto}:${from === 'src' ? f.sport : f.dport}`;
        default:
          return '…';
      }
    })
    .join(',');
}

function renamedFields(f: Fields, renaming: Renaming | null): Fields {
  if (!renaming) return f;
  return { ...f, src: renaming.host(f.family, f.src), dst: renaming.host(f.family, f.dst) };
}

/** What each node's sets hold of the packet, for the sets the parting rules test. */
function setReasons(rule: Rule, fields: Fields, own: SideView, other: SideView): string[] {
  const out: string[] = [];
  const name = (v: SideView) => v.side.toUpperCase();
  for (const m of rule.matches) {
    if (m.kind !== 'set') continue;
    const mine = own.ipsets?.find((s) => s.name === m.name) ?? null;
    const theirs = other.ipsets?.find((s) => s.name === m.name) ?? null;
    const shape = mine ?? theirs;
    if (!shape) {
      out.push(`neither node's ipset dump has ${m.name}`);
      continue;
    }
    // B's addresses are A's renamed: the other node is asked about its own addresses.
    const otherFields = own.renaming ? renamedFields(fields, own.renaming) : renamedFields(fields, other.renaming);
    const packet = (f: Fields) => ({ family: f.family, src: f.src, dst: f.dst, proto: f.proto, sport: f.sport, dport: f.dport, inIface: null, outIface: null, mark: 0 });
    const answer = (v: SideView, f: Fields): boolean | 'unknown' | 'no-dump' | 'no-set' => {
      if (!v.ipsets) return 'no-dump';
      if (!v.facts.ipsets.exists(m.name)) return 'no-set';
      return v.facts.ipsets.test(m.name, packet(f), m.flags);
    };
    const mineSays = answer(own, fields);
    const theirsSay = answer(other, otherFields);
    if (mineSays === theirsSay) continue;
    const say = (v: SideView, r: ReturnType<typeof answer>, f: Fields, first: boolean): string => {
      const whose = first ? `${name(v)}'s ${m.name}` : `${name(v)}'s`;
      switch (r) {
        case 'no-dump':
          return `${name(v)} gave no ipset dump`;
        case 'no-set':
          return `${name(v)} has no set ${m.name}`;
        case 'unknown':
          return `${whose} members are not listed`;
        case true:
          return `${whose} holds ${memberText(shape, m.flags, f)}`;
        case false:
          return first ? `${whose} does not hold ${memberText(shape, m.flags, f)}` : `${whose} does not`;
      }
    };
    out.push(`${say(own, mineSays, fields, true)}; ${say(other, theirsSay, otherFields, false)}`);
  }
  return out;
}

function reasons(sa: Step | null, sb: Step | null, pa: TracePath | null, pb: TracePath | null, va: SideView, vb: SideView): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (text: string) => {
    if (!seen.has(text)) {
      seen.add(text);
      out.push(text);
    }
  };
  for (const [step, path, own, other] of [
    [sa, pa, va, vb],
    [sb, pb, vb, va],
  ] as const) {
    if (!step || !path) continue;
    if (step.hook === 'ipvs') for (const r of ipvsReasons(step, own, other)) add(r);
    const rule = ruleOf(own.facts.ruleset, step);
    if (!rule) continue;
    const fields = fieldsAt(step, path);
    if (fields) for (const r of setReasons(rule, fields, own, other)) add(r);
    // Does the other node hold this rule at all?
    const otherChain = findChain(other, own, step);
    const key = memoKey(rule, own.keys);
    if (otherChain === undefined) add(`${other.side.toUpperCase()} has no chain ${step.table}/${step.chain}`);
    else if (!otherChain.rules.some((r) => memoKey(r, other.keys) === key)) add(`${other.side.toUpperCase()}'s ${step.table}/${otherChain.name} has no rule like ${own.side.toUpperCase()}'s #${step.rule}`);
  }
  return out;
}

/** The virtual service an IPVS step names (pipeline.ts writes `IPVS TCP 10.0.0.11:30080 → …`). */
const IPVS_STEP = /^IPVS (TCP|UDP|SCTP) \[?([0-9a-fA-F.:]+?)\]?:(\d+)\b/;

/** The real servers each node's virtual service has and the other's lacks. */
function ipvsReasons(step: Step, own: SideView, other: SideView): string[] {
  const m = IPVS_STEP.exec(step.effect);
  const vip = m ? parseAddress(m[2]!) : null;
  if (!m || !vip) return [];
  const proto = m[1]!.toLowerCase() as 'tcp' | 'udp' | 'sctp';
  const port = Number(m[3]);
  const renaming = own.renaming ?? other.renaming;
  const otherVip = renaming ? renaming.host(vip.family, vip.first) : vip.first;
  const mine = own.facts.ipvsService(proto, vip.first, port);
  const theirs = other.facts.ipvsService(proto, otherVip, port);
  const name = (v: SideView) => v.side.toUpperCase();
  const where = `${m[1]} ${formatAddress(vip.family, vip.first)}:${port}`;
  if (!theirs) return [`${name(other)} has no virtual service for ${name(own)}'s ${where}`];
  const servers = (svc: NonNullable<typeof mine>) => new Set(svc.backends.filter((b) => b.weight > 0).map((b) => b.text));
  const a = mine ? servers(mine) : new Set<string>();
  const b = servers(theirs);
  const extra = [...a].filter((x) => !b.has(x));
  return extra.length ? [`${name(own)}'s IPVS ${where} sends to ${extra.join(', ')}, which ${name(other)}'s does not`] : [];
}

function findChain(other: SideView, own: SideView, step: Step): Chain | undefined {
  if (!step.table || !step.chain) return undefined;
  const table = other.facts.ruleset?.tables.find((t) => t.name === step.table);
  if (!table) return undefined;
  const id = own.keys.chainId(step.chain);
  const direct = table.chainsByName.get(step.chain);
  if (direct && other.keys.chainId(direct.name) === id) return direct;
  return table.chains.find((c) => other.keys.chainId(c.name) === id);
}
