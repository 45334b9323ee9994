/**
 * `iptlens parse --json`: a documented contract (docs/json/parse.md, schema iptlens.parse/v1).
 * `tables[].chains`/`rules` count what the kernel would hold after iptables-restore.
 */
import type { NodeSnapshot } from '../../model/node.js';
import { summariseRuleset } from '../../model/iptables/summary.js';
import { diagnosticToJson, type DiagnosticJson } from '../diagnostics.js';

export interface ParseJson {
  readonly schema: 'iptlens.parse/v1';
  readonly node: string;
  readonly inputs: readonly { readonly file: string; readonly kind: string }[];
  readonly tables: readonly { readonly name: string; readonly family: 'ipv4' | 'ipv6'; readonly chains: number; readonly rules: number }[];
  readonly modules: Readonly<Record<string, number>>;
  readonly targets: Readonly<Record<string, number>>;
  readonly unknownModules: readonly string[];
  readonly unknownTargets: readonly string[];
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
    missing: node.missing.map((m) => ({ what: m.what, consequence: m.consequence })),
    diagnostics: node.diagnostics.map(diagnosticToJson),
  };
}
