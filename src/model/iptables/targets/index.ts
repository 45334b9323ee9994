/**
 * The target catalogue: every `-j` extension iptlens gives a typed meaning to. Jumps to user
 * chains are resolved by the rule builder, not here.
 * test/model/iptables/targets/index.test.ts checks that every target file is listed here.
 */
import type { TargetSpec } from '../spec.js';
import { verdictSpecs } from './verdict.js';

export const TARGET_SPECS: readonly TargetSpec[] = [...verdictSpecs];

const byName = new Map<string, TargetSpec>();
for (const spec of TARGET_SPECS) byName.set(spec.name, spec);

export function targetSpec(name: string): TargetSpec | undefined {
  return byName.get(name);
}
