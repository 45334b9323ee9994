/**
 * `[unsupported revision]` in a dump: iptables-nft printed a rule whose match or target the kernel
 * holds in a revision this iptables binary cannot decode (nft_compat: a newer xtables revision
 * written by another iptables, typically kube-proxy's or a CNI's image, read back by an older host
 * binary). The line is incomplete — what the rule really matches is unknown, and restoring the
 * dump would fail — so traces through it are guesses.
 */
import type { Rule } from '../../../model/iptables/types.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'unsupported-revision',
  severity: 'warning',
  title: 'iptables printed "[unsupported revision]": rules it could not read',
  docs: 'docs/checks/unsupported-revision.md',
  requires: ['iptables'],
  messages: {
    unsupported: (count: number, generator: string) => ({
      title: `${count} rule(s) printed with "[unsupported revision]"`,
      explanation:
        `The iptables that wrote this dump (${generator}) could not decode a match or target of ${count} rule(s): the kernel holds them in a newer revision than this binary knows, which happens when another component with a newer iptables (kube-proxy's or the CNI's container image) wrote them. ` +
        'The printed lines are incomplete, so what those rules match is unknown here, iptables-restore of this dump would fail, and an older iptables on the host may even corrupt them when it rewrites the table.',
      remediation:
        'Dump the rules with the iptables that wrote them, e.g. `kubectl -n kube-system exec <kube-proxy pod> -- iptables-save`, or upgrade the host iptables; avoid running the older binary\'s -A/-D/-F against these tables.',
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const marks = node.snapshot.diagnostics.filter((d) => d.code === 'iptables/unsupported-revision' && d.at !== null);
      if (marks.length === 0) continue;
      const rules: Rule[] = [];
      const loose: typeof marks = [];
      for (const d of marks) {
        let hit: Rule | undefined;
        for (const rs of node.rulesets) {
          for (const t of rs.tables) for (const c of t.chains) {
            hit ??= c.rules.find((r) => r.at.source === d.at!.source && r.at.start <= d.at!.start && d.at!.start < r.at.end);
          }
        }
        if (hit) {
          if (!rules.includes(hit)) rules.push(hit);
        } else loose.push(d);
      }
      const generator = node.rulesets.map((r) => r.generator).find((g) => g !== null) ?? 'an unknown iptables version';
      findings.push(
        findingOf(meta, 'unsupported', [rules.length + loose.length, generator], {
          node: node.name,
          services: [...new Set(rules.flatMap((r) => node.servicesAt(r.at, r.comment)))],
          evidence: [
            ...rules.map((r) => ({ at: r.at, note: `${r.table}/${r.chain}#${r.index}: incomplete ([unsupported revision])` })),
            ...loose.map((d) => ({ at: d.at!, note: '[unsupported revision]' })),
          ],
        }),
      );
    }
    return findings;
  },
});
