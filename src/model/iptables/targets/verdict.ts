/** The standard verdicts (net/netfilter/x_tables.c: XT_STANDARD_TARGET): ACCEPT, DROP, RETURN, QUEUE. */
import type { TargetSpec } from '../spec.js';
import type { VerdictTarget } from './types.js';

function verdict(name: VerdictTarget['kind']): TargetSpec {
  return {
    name,
    options: [],
    build: (base) => ({ kind: name, ...base }),
  };
}

export const verdictSpecs: readonly TargetSpec[] = [verdict('ACCEPT'), verdict('DROP'), verdict('RETURN'), verdict('QUEUE')];
