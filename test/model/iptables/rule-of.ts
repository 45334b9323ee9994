/**
 * Test support for the iptables catalogue: a rule line read in a one-table ruleset, its typed
 * matches and target, the text a diagnostic points at, and the options the printer writes.
 */
import { expect } from 'vitest';
import { parseIptablesSave } from '../../../src/index.js';
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import type { Family } from '../../../src/model/values/address.js';
import type { Rule, Ruleset, TableName } from '../../../src/model/iptables/types.js';
import type { TypedMatch, TypedMatchKind, MatchOfKind } from '../../../src/model/iptables/matches/types.js';
import type { TargetOfKind, TypedTarget, TypedTargetKind } from '../../../src/model/iptables/targets/types.js';
import { printRule, printTypedMatch, printTypedTarget } from '../../../src/model/iptables/print.js';

export interface RuleOptions {
  readonly table?: TableName;
  readonly family?: Family;
}

const defaultChain: Record<TableName, string> = { filter: 'INPUT', nat: 'PREROUTING', mangle: 'PREROUTING', raw: 'PREROUTING', security: 'INPUT' };

/** The ruleset of one rule line (`-A CHAIN …`, or only the options after `-A CHAIN`). */
export function rulesetOf(line: string, options: RuleOptions = {}): Ruleset {
  const table = options.table ?? 'filter';
  const text = line.startsWith('-A ') ? line : `-A ${defaultChain[table]} ${line}`;
  return parseIptablesSave(`*${table}\n${text}\nCOMMIT\n`, 'test', options.family ? { family: options.family } : {});
}

export interface RuleRead {
  readonly rule: Rule;
  readonly ruleset: Ruleset;
  /** Diagnostics other than the "no -j" info, as `code: located text`. */
  readonly problems: readonly string[];
}

export function located(d: Diagnostic): string {
  return d.at ? d.at.source.text.slice(d.at.start, d.at.end) : '(no location)';
}

export function ruleOf(line: string, options: RuleOptions = {}): RuleRead {
  const ruleset = rulesetOf(line, options);
  const rule = ruleset.tables[0]?.chains.flatMap((c) => c.rules)[0];
  if (!rule) throw new Error(`no rule read from ${line}: ${ruleset.diagnostics.map((d) => d.message).join('; ')}`);
  const problems = ruleset.diagnostics.filter((d) => d.code !== 'iptables/missing-target').map((d) => `${d.code}: ${located(d)}`);
  return { rule, ruleset, problems };
}

/** The typed match of a kind in a rule; fails the test when absent. */
export function matchOf<K extends TypedMatchKind>(line: string, kind: K, options: RuleOptions = {}): MatchOfKind<K> & { problems: readonly string[] } {
  const { rule, problems } = ruleOf(line, options);
  const match = rule.matches.find((m) => m.kind === kind) as MatchOfKind<K> | undefined;
  expect(match, `a ${kind} match in ${line}`).toBeDefined();
  return { ...match!, problems };
}

export function targetOf<K extends TypedTargetKind>(line: string, kind: K, options: RuleOptions = {}): TargetOfKind<K> & { problems: readonly string[] } {
  const { rule, problems } = ruleOf(line, options);
  expect(rule.target?.kind, `a ${kind} target in ${line}`).toBe(kind);
  return { ...(rule.target as TargetOfKind<K>), problems };
}

/** The options iptables-save would print for a typed match, as text. */
export function printedMatch(match: TypedMatch, family: Family = 'ipv4'): string {
  return printTypedMatch(match, { family })
    .map((o) => [o.negated ? '!' : '', o.name, ...o.values.map((v) => (typeof v === 'string' ? v : v.text))].filter(Boolean).join(' '))
    .join(' ');
}

export function printedTarget(target: TypedTarget, family: Family = 'ipv4'): string {
  return printTypedTarget(target, { family })
    .map((o) => [o.negated ? '!' : '', o.name, ...o.values.map((v) => (typeof v === 'string' ? v : v.text))].filter(Boolean).join(' '))
    .join(' ');
}

/** The whole rule as the printer writes it. */
export function printed(line: string, options: RuleOptions = {}): string {
  const { rule, ruleset } = ruleOf(line, options);
  return printRule(rule, ruleset.family, ruleset.source);
}
