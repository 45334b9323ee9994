/**
 * From `ip rule` syntax to policy-routing rules (net/core/fib_rules.c; printed by ip/iprule.c
 * print_rule). A rule whose selector cannot be read is left out with an error: a rule read with
 * a selector missing would match packets the kernel's does not.
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { IpRuleSyntax, IpRulesSyntax, WordSyntax } from '../../../grammar/iproute/syntax.js';
import type { SourceRef, SourceText } from '../../../grammar/source.js';
import { parseCidr, type Cidr, type Family } from '../values/address.js';
import { parseMark } from '../values/mark.js';
import { parsePortRange } from '../values/port.js';
import type { IpRule, IpRuleSet, RuleAction, RuleInterface } from './types.js';
import { parseTable, parseUnsigned } from './values.js';

export interface BuildIpRulesOptions {
  /** The family when no rule has an address (`ip -6 rule` output is all `from all`). */
  readonly family?: Family;
}

function ref(source: SourceText, word: WordSyntax): SourceRef {
  return { source, start: word.start, end: word.end };
}

export function buildIpRules(syntax: IpRulesSyntax, options: BuildIpRulesOptions = {}): IpRuleSet {
  const diagnostics: Diagnostic[] = [...syntax.diagnostics];
  // One `ip rule` output is of one family: the first address in it says which.
  let family = options.family;
  if (!family) {
    for (const rule of syntax.rules) {
      for (const word of [rule.from, ...rule.attributes.filter((a) => a.name === 'to').map((a) => a.values[0])]) {
        const parsed = word && word.text !== 'all' ? parseCidr(word.text) : null;
        if (parsed) {
          family = parsed.family;
          break;
        }
      }
      if (family) break;
    }
  }
  if (!family) {
    family = 'ipv4';
    const first = syntax.rules[0];
    if (first) diagnostics.push(diagnose('iproute/family-assumed', first.at, 'these rules', family));
  }
  const rules: IpRule[] = [];
  for (const rule of syntax.rules) {
    const built = buildRule(syntax.source, rule, family, diagnostics);
    if (built) rules.push(built);
  }
  return { rules, diagnostics };
}

function selector(source: SourceText, keyword: string, word: WordSyntax, family: Family, diagnostics: Diagnostic[]): Cidr | 'all' | null {
  if (word.text === 'all') return 'all';
  const parsed = parseCidr(word.text, family);
  if (!parsed) diagnostics.push(diagnose('iproute/bad-selector', ref(source, word), keyword, word.text, `all or an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix`));
  return parsed;
}

function ruleInterface(values: readonly WordSyntax[]): RuleInterface | undefined {
  const name = values[0];
  if (!name) return undefined;
  return { name: name.text, detached: values.some((v) => v.text === '[detached]') };
}

function buildRule(source: SourceText, syntax: IpRuleSyntax, family: Family, diagnostics: Diagnostic[]): IpRule | null {
  const priority = parseUnsigned(syntax.priority.text);
  if (priority === null) {
    diagnostics.push(diagnose('iproute/bad-selector', ref(source, syntax.priority), 'priority', syntax.priority.text, 'a number'));
    return null;
  }
  const from = selector(source, 'from', syntax.from, family, diagnostics);
  if (from === null) return null;
  let to: Cidr | 'all' = 'all';
  let action: RuleAction | undefined;
  const rule: {
    fwmark?: IpRule['fwmark'];
    iif?: RuleInterface;
    oif?: RuleInterface;
    tos?: string;
    ipproto?: string;
    sport?: IpRule['sport'];
    dport?: IpRule['dport'];
    uidrange?: IpRule['uidrange'];
    suppressPrefixLength?: number;
  } = {};
  let l3mdev = false;
  const unmodelled: string[] = [];
  for (const attr of syntax.attributes) {
    const value = attr.values[0];
    if (!attr.known) {
      unmodelled.push(attr.name);
      continue;
    }
    switch (attr.name) {
      case 'to': {
        if (!value) break;
        const parsed = selector(source, 'to', value, family, diagnostics);
        if (parsed === null) return null;
        to = parsed;
        break;
      }
      case 'fwmark': {
        if (!value) break;
        const mark = parseMark(value.text);
        if (!mark) {
          diagnostics.push(diagnose('iproute/bad-selector', ref(source, value), 'fwmark', value.text, 'a mark with an optional mask (0x4000/0x4000)'));
          return null;
        }
        rule.fwmark = mark;
        break;
      }
      case 'iif':
        rule.iif = ruleInterface(attr.values);
        break;
      case 'oif':
        rule.oif = ruleInterface(attr.values);
        break;
      case 'tos':
      case 'dsfield':
        if (value) rule.tos = value.text;
        break;
      case 'ipproto':
        if (value) rule.ipproto = value.text;
        break;
      case 'sport':
      case 'dport': {
        if (!value) break;
        const range = parsePortRange(value.text, '-');
        if (!range) {
          diagnostics.push(diagnose('iproute/bad-selector', ref(source, value), attr.name, value.text, 'a port or port range'));
          return null;
        }
        rule[attr.name] = range;
        break;
      }
      case 'uidrange': {
        const m = value ? /^(\d+)-(\d+)$/.exec(value.text) : null;
        if (!m || !value) {
          if (value) diagnostics.push(diagnose('iproute/bad-selector', ref(source, value), 'uidrange', value.text, 'a range of user ids (1000-2000)'));
          return null;
        }
        rule.uidrange = { from: Number(m[1]), to: Number(m[2]) };
        break;
      }
      case 'lookup':
        if (value?.text === '[l3mdev-table]') l3mdev = true;
        else if (value) action = { kind: 'lookup', table: parseTable(value.text) };
        break;
      case 'goto': {
        const target = value ? parseUnsigned(value.text) : null;
        if (target === null || !value) {
          if (value) diagnostics.push(diagnose('iproute/bad-selector', ref(source, value), 'goto', value.text, 'a rule priority'));
          return null;
        }
        action = { kind: 'goto', priority: target };
        break;
      }
      case 'blackhole':
      case 'unreachable':
      case 'prohibit':
      case 'nop':
        action = { kind: attr.name };
        break;
      case 'l3mdev':
        l3mdev = true;
        break;
      case 'suppress_prefixlength': {
        const n = value ? parseUnsigned(value.text) : null;
        if (n !== null) rule.suppressPrefixLength = n;
        break;
      }
      default:
        unmodelled.push(`${attr.name}${value ? ` ${value.text}` : ''}`);
        break;
    }
  }
  // `lookup [l3mdev-table]`: FRA_L3MDEV rules look up the VRF table of the device.
  if (!action && l3mdev) action = { kind: 'lookup', table: 'l3mdev' };
  if (!action) {
    diagnostics.push(diagnose('iproute/rule-without-action', syntax.at));
    return null;
  }
  if (unmodelled.length > 0) diagnostics.push(diagnose('iproute/unknown-words', syntax.at, unmodelled.map((w) => JSON.stringify(w)).join(', '), 'rule'));
  return {
    priority,
    family,
    not: syntax.not,
    from,
    to,
    ...rule,
    l3mdev,
    action,
    unmodelled,
    at: syntax.at,
  };
}
