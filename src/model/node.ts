/**
 * A node snapshot: everything iptlens knows about one node, joined from whatever the user gave
 * (files, a bundle, a pasted session), and what it does not know.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceRef, SourceText } from '../../grammar/source.js';
import { parseIptablesSaveText } from '../../grammar/iptables-save/parse.js';
import { buildRuleset } from './iptables/build.js';
import type { Ruleset } from './iptables/types.js';
import type { InputKind } from './input/detect.js';
import { splitSections } from './input/sections.js';
import { parseIpsetText } from '../../grammar/ipset/parse.js';
import { buildIpsets } from './ipset/build.js';
import type { IpSet } from './ipset/types.js';
import { parseIpvsadmText } from '../../grammar/ipvsadm/parse.js';
import { buildIpvs } from './ipvs/build.js';
import type { IpvsTable } from './ipvs/types.js';
import { parseIpAddrText } from '../../grammar/iproute/parse-addr.js';
import { parseIpRouteText } from '../../grammar/iproute/parse-route.js';
import { parseIpRuleText } from '../../grammar/iproute/parse-rule.js';
import { parseSysctlText } from '../../grammar/sysctl/parse.js';
import { parseIptablesListingText } from '../../grammar/iptables-listing/parse.js';
import { buildInterfaces, buildIpRules, buildRoutes, localAddresses, type Interface, type IpRule, type LocalAddress, type Route } from './iproute/index.js';
import { buildSysctls, type Sysctls } from './sysctl/index.js';
import { buildIptablesListing } from './iptables-listing/build.js';
import { instead, listingLosses } from './iptables-listing/losses.js';

/** A fact the node's files do not give, and what that costs a trace. */
export interface MissingFact {
  readonly what: 'ipv4-rules' | 'ipv6-rules' | 'ipsets' | 'ipvs' | 'interfaces' | 'routes' | 'sysctls';
  /** What iptlens does without it. */
  readonly consequence: string;
}

/** One input (or one section of a pasted session) and what it was read as. */
export interface NodeInput {
  readonly source: SourceText;
  readonly kind: InputKind;
  /** Offsets of the section in the source; the whole text for a plain file. */
  readonly start: number;
  readonly end: number;
  /** The command typed at the prompt before it, in a pasted session. */
  readonly command: string | null;
}

export interface NodeSnapshot {
  /** A name for the node: the bundle or first file name. */
  readonly name: string;
  readonly inputs: readonly NodeInput[];
  readonly ipv4: Ruleset | null;
  readonly ipv6: Ruleset | null;
  /** Every set of the ipset dump(s); null when no ipset dump was given. */
  readonly ipsets: readonly IpSet[] | null;
  /** The IPVS table (ipvsadm -Ln / -Sn); null when not given. */
  readonly ipvs: IpvsTable | null;
  /** Interfaces and their addresses (ip addr); null when not given. */
  readonly interfaces: readonly Interface[] | null;
  /** Routes of every table given (ip route [show table all], ip -6 route); null when not given. */
  readonly routes: readonly Route[] | null;
  /** Policy routing rules (ip rule); null when not given. */
  readonly ipRules: readonly IpRule[] | null;
  /** The node's own addresses: every interface address and local-table route; null without ip addr. */
  readonly localAddresses: readonly LocalAddress[] | null;
  readonly sysctls: Sysctls | null;
  readonly missing: readonly MissingFact[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads each source by the kind its content shows, and joins the results. */
export function buildNodeSnapshot(name: string, sources: readonly SourceText[]): NodeSnapshot {
  const inputs: NodeInput[] = [];
  const diagnostics: Diagnostic[] = [];
  let ipv4: Ruleset | null = null;
  let ipv6: Ruleset | null = null;
  let ipsets: Map<string, IpSet> | null = null;
  let ipvs: IpvsTable | null = null;
  let interfaces: Interface[] | null = null;
  let routes: Route[] | null = null;
  let ipRules: IpRule[] | null = null;
  const sysctlParts: Sysctls[] = [];
  for (const source of sources) {
    for (const section of splitSections(source.text)) {
    const range = { start: section.start, end: section.end };
    inputs.push({ source, kind: section.kind, start: section.start, end: section.end, command: section.command });
    const whole = { source, start: section.start, end: Math.min(section.end, section.start + 1) };
    const detection = { kind: section.kind, detail: source.text.slice(section.start, section.end).trim().split('\n')[0]?.slice(0, 120) ?? '' };
    switch (detection.kind) {
      case 'empty':
        diagnostics.push(diagnose('input/empty', { source, start: 0, end: 0 }));
        break;
      case 'binary':
        diagnostics.push(diagnose('input/binary', whole, binaryDetail(source.text)));
        break;
      case 'iptables-listing': {
        const listing = buildIptablesListing(parseIptablesListingText(source, range));
        diagnostics.push(diagnose('input/iptables-listing', whole, section.command ?? 'iptables -L', listingLosses(listing).join(' '), instead(listing)));
        break;
      }
      case 'nft-ruleset':
        diagnostics.push(diagnose('input/nft-ruleset', whole));
        break;
      case 'iptables-save': {
        const ruleset = buildRuleset(parseIptablesSaveText(source, range), section.command && /ip6tables/.test(section.command) ? { family: 'ipv6' } : {});
        diagnostics.push(...ruleset.diagnostics);
        if (ruleset.family === 'ipv4') ipv4 = ipv4 ? mergeRulesets(ipv4, ruleset, diagnostics) : ruleset;
        else ipv6 = ipv6 ? mergeRulesets(ipv6, ruleset, diagnostics) : ruleset;
        break;
      }
      case 'unknown':
        diagnostics.push(diagnose('input/unrecognised', whole, detection.detail));
        break;
      case 'ipset': {
        const model = buildIpsets(parseIpsetText(source, range));
        diagnostics.push(...model.diagnostics);
        ipsets ??= new Map();
        for (const set of model.sets) ipsets.set(set.name, set);
        break;
      }
      case 'ipvsadm': {
        const model = buildIpvs(parseIpvsadmText(source, range));
        diagnostics.push(...model.diagnostics);
        const previous = ipvs as IpvsTable | null;
        ipvs = previous ? { ...previous, services: [...previous.services, ...model.table.services] } : model.table;
        break;
      }
      case 'ip-addr': {
        const table = buildInterfaces(parseIpAddrText(source, range));
        diagnostics.push(...table.diagnostics);
        interfaces = [...(interfaces ?? []), ...table.interfaces];
        break;
      }
      case 'ip-route': {
        const family = section.command && /\s-6\b/.test(section.command) ? 'ipv6' : undefined;
        const table = buildRoutes(parseIpRouteText(source, range), family ? { family } : {});
        diagnostics.push(...table.diagnostics);
        routes = [...(routes ?? []), ...table.routes];
        break;
      }
      case 'ip-rule': {
        const family = section.command && /\s-6\b/.test(section.command) ? 'ipv6' : undefined;
        const set = buildIpRules(parseIpRuleText(source, range), family ? { family } : {});
        diagnostics.push(...set.diagnostics);
        ipRules = [...(ipRules ?? []), ...set.rules];
        break;
      }
      case 'sysctl': {
        const sysctls = buildSysctls(parseSysctlText(source, range));
        diagnostics.push(...sysctls.diagnostics);
        sysctlParts.push(sysctls);
        break;
      }
      case 'iptlens-manifest':
        // The collect script's own record of what it ran: nothing to read into the snapshot.
        break;
      case 'kubectl-json':
        diagnostics.push(diagnose('input/not-yet-read', whole, detection.kind));
        break;
      default: {
        const never: never = detection.kind;
        void never;
      }
    }
    }
  }
  const missing: MissingFact[] = [];
  if (!ipv4) missing.push({ what: 'ipv4-rules', consequence: 'no IPv4 iptables-save: IPv4 packets are traced through empty tables (everything ACCEPTed)' });
  if (!ipsets && usesIpsets(ipv4, ipv6)) missing.push({ what: 'ipsets', consequence: 'no ipset dump: `-m set` matches will be reported as conditions' });
  if (!ipvs && looksIpvs(ipv4, ipv6)) missing.push({ what: 'ipvs', consequence: 'no ipvsadm dump: IPVS virtual services and their real servers are unknown; traces stop where IPVS would take the packet' });
  if (!interfaces) missing.push({ what: 'interfaces', consequence: 'no ip addr dump: the node\'s own addresses are unknown (addrtype LOCAL and martian checks become conditions; give --local-ip)' });
  if (!routes) missing.push({ what: 'routes', consequence: 'no ip route dump: where a packet leaves and rp_filter are not evaluated' });
  const sysctls = mergeSysctls(sysctlParts);
  if (!sysctls) missing.push({ what: 'sysctls', consequence: 'no sysctl dump: rp_filter, route_localnet, ip_forward and accept_local take assumed values (said in each trace)' });
  const locals = interfaces ? localAddresses(interfaces, routes ?? undefined) : null;
  diagnostics.push(...crossChecks([ipv4, ipv6], ipsets, ipvs, interfaces));
  return { name, inputs, ipv4, ipv6, ipsets: ipsets ? [...ipsets.values()] : null, ipvs, interfaces, routes, ipRules, localAddresses: locals, sysctls, missing, diagnostics };
}

/**
 * Facts one file states about another: sets a rule names, virtual addresses and what is bound,
 * interfaces rules name. Each becomes a located warning on the line that states it.
 */
function crossChecks(rulesets: (Ruleset | null)[], ipsets: ReadonlyMap<string, IpSet> | null, ipvs: IpvsTable | null, interfaces: readonly Interface[] | null): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = interfaces ? new Set(interfaces.flatMap((i) => [i.name, ...i.altnames])) : null;
  for (const ruleset of rulesets) {
    for (const table of ruleset?.tables ?? []) {
      for (const chain of table.chains) {
        for (const rule of chain.rules) {
          for (const m of rule.matches) {
            if (ipsets && m.kind === 'set' && !ipsets.has(m.name)) out.push(diagnose('node/set-not-in-dump', { source: rule.at.source, start: m.at.start, end: m.at.end }, m.name));
            if (names && (m.kind === 'in-interface' || m.kind === 'out-interface') && !m.iface.wildcard && !names.has(m.iface.name)) {
              out.push(diagnose('node/interface-missing', { source: rule.at.source, start: m.at.start, end: m.at.end }, m.iface.name));
            }
          }
        }
      }
    }
  }
  if (ipvs && interfaces) {
    const bound = new Map<bigint, { iface: string; at: SourceRef }>();
    for (const i of interfaces) for (const a of i.addresses) bound.set(a.address.first, { iface: i.name, at: a.at });
    const used = new Set<bigint>();
    for (const vs of ipvs.services) {
      if (!vs.address) continue;
      used.add(vs.address.first);
      if (!bound.has(vs.address.first)) out.push(diagnose('node/ipvs-vip-not-bound', vs.at, vs.address.text));
    }
    const dummy = interfaces.find((i) => i.name === 'kube-ipvs0');
    for (const a of dummy?.addresses ?? []) if (!used.has(a.address.first)) out.push(diagnose('node/bound-without-ipvs-service', a.at, a.address.text));
  }
  return out;
}

function mergeSysctls(parts: readonly Sysctls[]): Sysctls | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  const entries = new Map(parts.flatMap((p) => [...p.entries]));
  const unreadable = new Set(parts.flatMap((p) => [...p.unreadable]));
  return { entries, unreadable, complete: parts.some((p) => p.complete), diagnostics: parts.flatMap((p) => p.diagnostics) };
}

function binaryDetail(text: string): string {
  return text.includes('\u0000') ? 'it contains NUL bytes' : 'it holds many control or undecodable characters';
}

/** kube-proxy in IPVS mode leaves these chains. */
function looksIpvs(...rulesets: (Ruleset | null)[]): boolean {
  return rulesets.some((r) => r?.tables.some((t) => t.chainsByName.has('KUBE-LOAD-BALANCER') || t.chainsByName.has('KUBE-IPVS-FILTER') || t.chainsByName.has('KUBE-NODE-PORT')));
}

function usesIpsets(...rulesets: (Ruleset | null)[]): boolean {
  for (const r of rulesets) for (const t of r?.tables ?? []) for (const c of t.chains) for (const rule of c.rules) if (rule.matches.some((m) => m.kind === 'set')) return true;
  return false;
}

/**
 * Two rulesets of one family (iptables-save printed per table, or legacy and nft both present):
 * tables of the second are added; a table present in both keeps the first and warns.
 */
function mergeRulesets(a: Ruleset, b: Ruleset, diagnostics: Diagnostic[]): Ruleset {
  const names = new Set(a.tables.map((t) => t.name));
  const extra = b.tables.filter((t) => !names.has(t.name));
  for (const t of b.tables) if (names.has(t.name)) diagnostics.push(diagnose('iptables/duplicate-table', t.at, t.name, b.family));
  return { ...a, tables: [...a.tables, ...extra] };
}
