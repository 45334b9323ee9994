/** `iptlens parse`: what was read, what is missing, and every diagnostic with its location. */
import type { NodeSnapshot } from '../../model/node.js';
import { summariseRuleset } from '../../model/iptables/summary.js';
import { countLine, renderDiagnostic } from '../diagnostics.js';
import type { Style } from '../style.js';

export interface ParseTextOptions {
  readonly style: Style;
  readonly quiet: boolean;
}

function top(map: ReadonlyMap<string, number>, n: number): string {
  const entries = [...map].slice(0, n).map(([k, v]) => `${k} ${v}`);
  const rest = map.size - n;
  return entries.join(', ') + (rest > 0 ? `, … (${rest} more)` : '');
}

export function parseReportText(node: NodeSnapshot, options: ParseTextOptions): string {
  const { style } = options;
  const out: string[] = [];
  if (!options.quiet) {
    out.push(style.bold(`node ${node.name}`));
    for (const input of node.inputs) out.push(`  ${input.source.name}: ${input.kind}`);
    for (const ruleset of [node.ipv4, node.ipv6]) {
      if (!ruleset) continue;
      const s = summariseRuleset(ruleset);
      const backend = ruleset.backend === 'unknown' ? '' : ` (${ruleset.backend}${ruleset.generator ? `, ${ruleset.generator}` : ''})`;
      out.push('', style.bold(`${ruleset.family} rules${backend}`));
      for (const t of s.tables) {
        out.push(`  ${t.name.padEnd(9)} ${String(t.chains).padStart(6)} chains (${t.userChains} user)  ${String(t.rules).padStart(7)} rules${t.committed ? '' : style.red('  no COMMIT')}`);
      }
      if (s.modules.size) out.push(`  modules: ${top(s.modules, 12)}`);
      if (s.targets.size) out.push(`  targets: ${top(s.targets, 12)}`);
      if (s.unknownModules.length) out.push(style.yellow(`  unknown modules (traced as "may match"): ${s.unknownModules.join(', ')}`));
      if (s.unknownTargets.length) out.push(style.yellow(`  unknown targets (traced as a fork): ${s.unknownTargets.join(', ')}`));
    }
    const facts: string[] = [];
    if (node.ipsets) facts.push(`ipsets: ${node.ipsets.length} sets, ${node.ipsets.reduce((n, set) => n + set.members.length, 0)} members`);
    if (node.ipvs) facts.push(`ipvs: ${node.ipvs.services.length} virtual services, ${node.ipvs.services.reduce((n, vs) => n + vs.realServers.length, 0)} real servers`);
    if (node.interfaces) {
      const ipvs0 = node.interfaces.find((i) => i.name === 'kube-ipvs0');
      facts.push(`interfaces: ${node.interfaces.map((i) => i.name).join(', ')}${ipvs0 ? ` (kube-ipvs0 holds ${ipvs0.addresses.length} addresses)` : ''}`);
    }
    if (node.routes) facts.push(`routes: ${node.routes.length}`);
    if (node.sysctls) facts.push(`sysctls: ${node.sysctls.entries.size}`);
    if (facts.length) {
      out.push('', style.bold('node facts'));
      for (const f of facts) out.push(`  ${f}`);
    }
    if (node.missing.length) {
      out.push('', style.bold('missing'));
      for (const m of node.missing) out.push(`  ${m.what}: ${m.consequence}`);
    }
  }
  if (node.diagnostics.length) {
    out.push('');
    for (const d of node.diagnostics) {
      if (options.quiet && d.severity === 'info') continue;
      out.push(renderDiagnostic(d, style));
    }
  }
  out.push('', countLine(node.diagnostics));
  return out.join('\n') + '\n';
}
