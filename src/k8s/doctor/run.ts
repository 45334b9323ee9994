/**
 * `runDoctor`: builds the shared context once, runs the chosen checks over it, and returns the
 * findings sorted (most serious first), their counts, and what could not be checked.
 */
import type { NodeSnapshot, MissingFact } from '../../model/node.js';
import { doctorContext } from './context.js';
import { CHECKS } from './index.js';
import {
  SEVERITIES,
  type DoctorCheck,
  type DoctorOptions,
  type DoctorResult,
  type FailedCheck,
  type Finding,
  type NodeContext,
  type Requirement,
  type SkippedCheck,
} from './types.js';

/** The input file a requirement stands for, as the snapshot names what it lacks; null for what is no file. */
function missingFactOf(r: Requirement): MissingFact['what'] | null {
  switch (r) {
    case 'iptables':
      return 'ipv4-rules';
    case 'ipsets':
      return 'ipsets';
    case 'ipvs':
      return 'ipvs';
    case 'interfaces':
      return 'interfaces';
    case 'routes':
      return 'routes';
    case 'sysctls':
      return 'sysctls';
    case 'kube-proxy':
    case 'several-nodes':
      return null;
    default: {
      const never: never = r;
      return never;
    }
  }
}

/**
 * The inputs a check reads that this node lacks. A check that does not apply to the node (a
 * kube-proxy check on a node without kube-proxy, an IPVS check on an iptables-mode node) lacks
 * nothing. The snapshot lists a missing fact only where it matters (no ipset dump counts only
 * when rules use sets, no ipvsadm dump only on an IPVS node).
 */
function missingFor(check: DoctorCheck, node: NodeContext): Requirement[] {
  const missing = new Set(node.snapshot.missing.map((m) => m.what));
  const requires = check.meta.requires;
  const kubeProxy = node.catalogue.mode === 'iptables' || node.catalogue.mode === 'ipvs';
  if (requires.includes('kube-proxy') && !kubeProxy && node.rulesets.length > 0) return [];
  if (requires.includes('ipvs') && node.snapshot.ipvs === null && !missing.has('ipvs')) return [];
  if (requires.includes('ipsets') && node.snapshot.ipsets === null && !missing.has('ipsets')) return [];
  return requires.filter((r) => {
    if (r === 'iptables') return node.rulesets.length === 0;
    const what = missingFactOf(r);
    return what !== null && missing.has(what);
  });
}

/** By the first evidence line: file, then position (findings about one chain read top to bottom). */
function evidenceOrder(a: Finding, b: Finding): number {
  const x = a.evidence[0]?.at;
  const y = b.evidence[0]?.at;
  if (!x || !y) return 0;
  return x.source.name.localeCompare(y.source.name) || x.start - y.start;
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    a.id.localeCompare(b.id) ||
    (a.node ?? '').localeCompare(b.node ?? '') ||
    (a.services[0] ?? '').localeCompare(b.services[0] ?? '') ||
    evidenceOrder(a, b) ||
    a.title.localeCompare(b.title)
  );
}

export function runDoctor(nodes: readonly NodeSnapshot[], options: DoctorOptions = {}): DoctorResult {
  const registry = options.registry ?? CHECKS;
  const known = new Set(registry.map((c) => c.meta.id));
  const wanted = options.checks ? new Set(options.checks) : null;
  const unknownChecks = options.checks ? [...new Set(options.checks.filter((id) => !known.has(id)))] : [];
  const selected = registry.filter((c) => !wanted || wanted.has(c.meta.id));
  const ctx = doctorContext(nodes, options);
  const findings: Finding[] = [];
  const failed: FailedCheck[] = [];
  const skipped: SkippedCheck[] = [];
  for (const check of selected) {
    try {
      findings.push(...check.run(ctx));
    } catch (error) {
      // A bug in one check must not hide what the others found; the CLI reports it (exit 3).
      failed.push({ check: check.meta.id, message: error instanceof Error ? error.message : String(error) });
    }
    for (const node of ctx.nodes) {
      const missing = missingFor(check, node);
      if (missing.length) skipped.push({ check: check.meta.id, node: node.name, missing });
    }
  }
  findings.sort(compareFindings);
  const count = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length;
  return {
    nodes: ctx.nodes.map((n) => n.name),
    checks: selected.map((c) => c.meta.id),
    unknownChecks,
    findings,
    summary: { error: count('error'), warning: count('warning'), info: count('info'), total: findings.length },
    skipped,
    failed,
  };
}
