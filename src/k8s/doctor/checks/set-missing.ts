/**
 * A rule names an ipset that the node's ipset dump does not have. xt_set looks the set up by name
 * when the rule is loaded (ip_set_nfnl_get_byindex / ip_set_get_byname) and refuses the rule when it
 * does not exist ("Set X doesn't exist"), so either the dumps were taken at different times, the
 * ipset dump is partial (`ipset list NAME`), or the set was destroyed after the rule was loaded —
 * which the kernel does not allow while a rule references it. Only checked when an ipset dump was
 * given and every line of it was read.
 */
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { hasReadErrors } from '../paths.js';
import { setReferences } from '../set-references.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'set-missing',
  severity: 'error',
  title: 'A rule matches on an ipset that the ipset dump does not have',
  docs: 'docs/checks/set-missing.md',
  requires: ['iptables', 'ipsets'],
  messages: {
    missing: (name: string, count: number, sets: number) => ({
      title: `${count} rule(s) use ipset ${name}, which is not in the ipset dump`,
      explanation:
        `The rules reference the set ${name}, but the ipset dump (${sets} set${sets === 1 ? '' : 's'}) has no set of that name. The kernel refuses a rule whose set does not exist, and does not let a set in use be destroyed, so the two dumps do not describe the same moment: they were taken at different times, or the ipset dump is partial. ` +
        `Traces treat -m set matches on ${name} as unknown conditions.`,
      remediation: 'Collect `ipset save` (all sets, not `ipset list NAME`) together with iptables-save, in one go (iptlens collect does), and run again.',
    }),
  },
});

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      const sets = node.snapshot.ipsets;
      if (!sets || hasReadErrors(node, 'ipset')) continue;
      const names = new Set(sets.map((s) => s.name));
      const byName = new Map<string, ReturnType<typeof setReferences>>();
      for (const ref of setReferences(node.rulesets)) {
        if (names.has(ref.name)) continue;
        byName.set(ref.name, [...(byName.get(ref.name) ?? []), ref]);
      }
      for (const [name, refs] of byName) {
        findings.push(
          findingOf(meta, 'missing', [name, refs.length, sets.length], {
            node: node.name,
            services: [...new Set(refs.flatMap((r) => node.servicesAt(r.rule.at, r.rule.comment)))],
            evidence: refs.map((r) => ({ at: r.rule.at, note: `${r.rule.table}/${r.rule.chain}#${r.rule.index}: uses ${name}` })),
          }),
        );
      }
    }
    return findings;
  },
});
