/**
 * Rules that can never match because an earlier rule of the same chain matches every packet they
 * match and ends the chain for it (ACCEPT, DROP, REJECT, RETURN, a goto, a NAT target). The
 * comparison is in shadowing.ts and is conservative: it claims shadowing only where it can show it
 * (header fields by containment, a few modules by identity, packet state only when nothing in
 * between can change it); a rule that is shadowed in a way it cannot show is not reported.
 * One finding per hiding rule, listing the rules it hides.
 */
import type { Rule } from '../../../model/iptables/types.js';
import { defineCheck, defineMeta, findingOf } from '../finding.js';
import { shadowedRules } from '../shadowing.js';
import type { Finding } from '../types.js';

const meta = defineMeta({
  id: 'shadowed-rule',
  severity: 'warning',
  title: 'A rule never matches: an earlier rule of its chain takes all its packets',
  docs: 'docs/checks/shadowed-rule.md',
  requires: ['iptables'],
  messages: {
    shadowed: (where: string, by: string, verdict: string, hidden: string, count: number) => ({
      title: `${where}: ${count === 1 ? `rule ${hidden} never matches` : `${count} rules (${hidden}) never match`} — ${by} takes their packets first`,
      explanation:
        `Rule ${by} of ${where} matches every packet that ${count === 1 ? `rule ${hidden} matches` : `rules ${hidden} match`}, and comes first; its target (${verdict}) ends the chain for those packets, so the later rule${count === 1 ? '' : 's'} never see${count === 1 ? 's' : ''} one. ` +
        'Either the later rule is dead weight, or it was meant to apply and the order is wrong (a common result of `iptables -A` after a catch-all rule, or of the same rule added twice).',
      remediation: `If the later rule${count === 1 ? ' is' : 's are'} meant to apply, move ${count === 1 ? 'it' : 'them'} before ${by} (iptables -I ${where.split('/')[1]} <position> …) or narrow ${by}; otherwise delete ${count === 1 ? 'it' : 'them'}.`,
    }),
  },
});

function verdictOf(rule: Rule): string {
  const t = rule.target;
  if (!t) return 'none';
  return t.kind === 'goto' ? `goto ${t.chain}` : t.kind;
}

export const check = defineCheck({
  meta,
  run(ctx) {
    const findings: Finding[] = [];
    for (const node of ctx.nodes) {
      for (const ruleset of node.rulesets) {
        for (const table of ruleset.tables) {
          for (const chain of table.chains) {
            const byHider = new Map<Rule, Rule[]>();
            for (const s of shadowedRules(chain)) byHider.set(s.by, [...(byHider.get(s.by) ?? []), s.rule]);
            for (const [by, hidden] of byHider) {
              const where = `${ruleset.family === 'ipv6' ? 'ip6 ' : ''}${table.name}/${chain.name}`;
              const numbers = hidden.map((r) => `#${r.index}`);
              const hiddenText = numbers.length > 6 ? `${numbers.slice(0, 6).join(', ')} … ${numbers[numbers.length - 1]}` : numbers.join(', ');
              findings.push(
                findingOf(meta, 'shadowed', [where, `#${by.index}`, verdictOf(by), hiddenText, hidden.length], {
                  node: node.name,
                  services: [...new Set([by, ...hidden].flatMap((r) => node.servicesAt(r.at, r.comment)))],
                  evidence: [
                    { at: by.at, note: `${table.name}/${chain.name}#${by.index}: matches first and ends the chain (${verdictOf(by)})` },
                    ...hidden.map((r) => ({ at: r.at, note: `${table.name}/${chain.name}#${r.index}: never matches` })),
                  ],
                }),
              );
            }
          }
        }
      }
    }
    return findings;
  },
});
