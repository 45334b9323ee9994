/** Messages about iptables-save / iptables-restore text and the rulesets built from it. */
import { defineMessages } from './define.js';

export const iptablesMessages = defineMessages({
  'iptables/unexpected-character': {
    severity: 'error',
    message: (chars: string) => `Unexpected character ${JSON.stringify(chars)}; this line was not read.`,
  },
  'iptables/syntax': {
    severity: 'error',
    message: (expected: string, found: string) => `Expected ${expected} but found ${found}; this line was not read.`,
  },
  'iptables/trailing-comment': {
    severity: 'warning',
    message: () => 'A comment after a rule: iptables-restore rejects this line; the rule was read without the comment.',
  },
  'iptables/outside-table': {
    severity: 'error',
    message: (what: string) => `${what} outside a table: a \`*table\` line must come first; this line was not read.`,
  },
  'iptables/unknown-table': {
    severity: 'error',
    message: (name: string) => `Unknown table "${name}" (expected raw, mangle, nat, filter or security); its lines were not read.`,
  },
  'iptables/duplicate-table': {
    severity: 'warning',
    message: (name: string, family: string) =>
      `Table ${name} appears twice in this ${family} input (two dumps pasted together?); the second replaces the first, as iptables-restore would.`,
  },
  'iptables/missing-commit': {
    severity: 'error',
    message: (name: string) =>
      `Table ${name} has no COMMIT: the dump looks truncated. iptables-restore would not apply this table; it was read anyway.`,
  },
  'iptables/commit-outside-table': {
    severity: 'warning',
    message: () => 'COMMIT without an open table; ignored.',
  },
  'iptables/unknown-chain': {
    severity: 'error',
    message: (chain: string, table: string) => `Chain ${chain} does not exist in table ${table} (not declared with ":${chain} - [0:0]" or -N); this line was not applied.`,
  },
  'iptables/duplicate-chain': {
    severity: 'warning',
    message: (chain: string) => `Chain ${chain} is declared twice; the second declaration flushes it, as iptables-restore does.`,
  },
  'iptables/bad-policy': {
    severity: 'error',
    message: (policy: string, chain: string) => `Policy ${policy} of chain ${chain}: a built-in chain takes ACCEPT or DROP, a user chain "-".`,
  },
  'iptables/builtin-chain-mismatch': {
    severity: 'warning',
    message: (chain: string, table: string) => `Chain ${chain} is not a built-in chain of table ${table} but is declared with a policy.`,
  },
  'iptables/bad-command': {
    severity: 'error',
    message: (command: string, why: string) => `${command}: ${why}; this line was not applied.`,
  },
  'iptables/missing-target': {
    severity: 'info',
    message: () => 'Rule without -j/-g: it only counts packets.',
  },
  'iptables/unknown-module': {
    severity: 'warning',
    message: (name: string) =>
      `Match module "${name}" is not one iptlens knows; it was read with its options as written, and a trace treats it as "may match".`,
  },
  'iptables/unknown-target': {
    severity: 'warning',
    message: (name: string) =>
      `Target "${name}" is neither a chain of this table nor a target iptlens knows; it was read as written, and a trace forks on it.`,
  },
  'iptables/unknown-option': {
    severity: 'error',
    message: (option: string, owner: string) => `Option ${option} is not an option of ${owner}; it was kept as written.`,
  },
  'iptables/bad-value': {
    severity: 'error',
    message: (option: string, value: string, expected: string) =>
      `${option} ${JSON.stringify(value)}: expected ${expected}; it was kept as written.`,
  },
  'iptables/missing-value': {
    severity: 'error',
    message: (option: string, expected: string) => `${option} needs ${expected}.`,
  },
  'iptables/extra-value': {
    severity: 'error',
    message: (option: string, extra: string) =>
      `${option} takes fewer values; ${JSON.stringify(extra)} is one too many (iptables-restore rejects the rule); the option was kept as written.`,
  },
  'iptables/not-negatable': {
    severity: 'error',
    message: (option: string) => `${option} cannot be negated with "!" (iptables-restore rejects the rule); it was kept as written.`,
  },
  'iptables/repeated-option': {
    severity: 'error',
    message: (option: string, owner: string) =>
      `${option} is given more than once for ${owner} (iptables-restore rejects the rule); the first was read, the others kept as written.`,
  },
  'iptables/conflicting-options': {
    severity: 'error',
    message: (option: string, other: string) =>
      `${option} cannot be combined with ${other} (iptables-restore rejects the rule); ${option} was kept as written.`,
  },
  'iptables/missing-option': {
    severity: 'error',
    message: (owner: string, option: string) => `${owner} needs ${option} (iptables-restore rejects the rule without it).`,
  },
  'iptables/wrong-table': {
    severity: 'warning',
    message: (target: string, tables: string, table: string) =>
      `${target} is only valid in the ${tables} table, not in ${table}: iptables-restore rejects the rule; it was read anyway.`,
  },
  'iptables/wrong-family': {
    severity: 'warning',
    message: (what: string, family: string) =>
      `${what} exists only for ${family}: ip(6)tables-restore of this ruleset rejects the rule; it was read anyway.`,
  },
  'iptables/negation-after-option': {
    severity: 'warning',
    message: (option: string) =>
      `"${option} !" is the negation syntax of iptables before 1.4.3; current iptables-restore rejects it (write "! ${option}"). It was read as a negation.`,
  },
  'iptables/unsupported-revision': {
    severity: 'warning',
    message: () =>
      'iptables printed "[unsupported revision]": the kernel holds a match or target revision this iptables binary cannot show; the rule is incomplete.',
  },
  'iptables/nft-warning': {
    severity: 'info',
    message: (text: string) => `iptables-nft said: ${text}`,
  },
  'iptables/family-mismatch': {
    severity: 'warning',
    message: (value: string, family: string) => `${value} is not an ${family} address, but this is an ${family} ruleset.`,
  },
});
