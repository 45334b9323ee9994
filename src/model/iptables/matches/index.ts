/**
 * The match catalogue: every `-m` module iptlens gives a typed meaning to.
 * test/model/iptables/matches/index.test.ts checks that every module file is listed here.
 */
import type { MatchSpec } from '../spec.js';
import { commentSpec } from './comment.js';

export const MATCH_SPECS: readonly MatchSpec[] = [commentSpec];

const byName = new Map<string, MatchSpec>();
for (const spec of MATCH_SPECS) {
  byName.set(spec.name, spec);
  for (const alias of spec.aliases ?? []) byName.set(alias, spec);
}

export function matchSpec(name: string): MatchSpec | undefined {
  return byName.get(name);
}
