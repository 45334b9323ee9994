/**
 * `iptlens parse --json`: a documented contract (docs/json/parse.md, schema iptlens.parse/v1).
 * `tables[].chains`/`rules` count what the kernel would hold after iptables-restore.
 */
import type { NodeSnapshot } from '../../model/node.js';
import { summariseRuleset } from '../../model/iptables/summary.js';
import { diagnosticToJson, type DiagnosticJson } from '../diagnostics.js';
import { summarizeVirtualService } from '../../model/ipvs/lookup.js';
import type { VirtualServiceSummary } from '../../model/ipvs/types.js';

export interface ParseJson {
  readonly schema: 'iptlens.parse/v1';
  readonly node: string;
  readonly inputs: readonly { readonly file: string; readonly kind: string }[];
  readonly tables: readonly { readonly name: string; readonly family: 'ipv4' | 'ipv6'; readonly chains: number; readonly rules: number }[];
  readonly modules: Readonly<Record<string, number>>;
  readonly targets: Readonly<Record<string, number>>;
  readonly unknownModules: readonly string[];
  readonly unknownTargets: readonly string[];
  /** Sets of the ipset dump; `members` is a count. Null without an ipset dump. */
  readonly ipsets: readonly { readonly name: string; readonly type: string; readonly family: string; readonly members: number }[] | null;
  readonly ipvs: { readonly services: readonly VirtualServiceSummary[] } | null;
  readonly interfaces: readonly { readonly name: string; readonly kind: string | null; readonly state: string | null; readonly addresses: readonly string[] }[] | null;
  readonly routes: readonly { readonly table: string | number; readonly type: string; readonly destination: string; readonly via: string | null; readonly dev: string | null; readonly src: string | null; readonly family: string }[] | null;
  /** The sysctls read, by canonical key. */
  readonly sysctls: Readonly<Record<string, string>> | null;
  readonly missing: readonly { readonly what: string; readonly consequence: string }[];
  readonly diagnostics: readonly DiagnosticJson[];
}

export function parseReportJson(node: NodeSnapshot): ParseJson {
  const rulesets = [node.ipv4, node.ipv6].filter((r) => r !== null);
  const modules: Record<string, number> = {};
  const targets: Record<string, number> = {};
  const unknownModules = new Set<string>();
  const unknownTargets = new Set<string>();
  const tables: { name: string; family: 'ipv4' | 'ipv6'; chains: number; rules: number }[] = [];
  for (const ruleset of rulesets) {
    const s = summariseRuleset(ruleset);
    for (const t of s.tables) tables.push({ name: t.name, family: t.family, chains: t.chains, rules: t.rules });
    for (const [k, v] of s.modules) modules[k] = (modules[k] ?? 0) + v;
    for (const [k, v] of s.targets) targets[k] = (targets[k] ?? 0) + v;
    s.unknownModules.forEach((m) => unknownModules.add(m));
    s.unknownTargets.forEach((t) => unknownTargets.add(t));
  }
  return {
    schema: 'iptlens.parse/v1',
    node: node.name,
    inputs: node.inputs.map((i) => ({ file: i.source.name, kind: i.kind })),
    tables,
    modules,
    targets,
    unknownModules: [...unknownModules].sort(),
    unknownTargets: [...unknownTargets].sort(),
    ipsets: node.ipsets ? node.ipsets.map((set) => ({ name: set.name, type: set.typeText ?? set.type, family: set.family, members: set.members.length })) : null,
    ipvs: node.ipvs ? { services: node.ipvs.services.map(summarizeVirtualService) } : null,
    interfaces: node.interfaces
      ? node.interfaces.map((i) => ({ name: i.name, kind: i.kind ?? null, state: i.state, addresses: i.addresses.map((a) => `${a.address.text.replace(/\/\d+$/, '')}/${a.prefixLength}`) }))
      : null,
    routes: node.routes
      ? node.routes.map((r) => ({ table: r.table, type: r.type, destination: r.destination === 'default' ? 'default' : r.destination.text, via: r.via?.text ?? null, dev: r.dev ?? null, src: r.src?.text ?? null, family: r.family }))
      : null,
    sysctls: node.sysctls ? Object.fromEntries([...node.sysctls.entries].map(([k, e]) => [k, e.value])) : null,
    missing: node.missing.map((m) => ({ what: m.what, consequence: m.consequence })),
    diagnostics: node.diagnostics.map(diagnosticToJson),
  };
}
