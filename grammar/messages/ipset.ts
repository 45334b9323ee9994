/** Messages about `ipset save` / `ipset list` text and the sets built from it. */
import { defineMessages } from './define.js';

export const ipsetMessages = defineMessages({
  'ipset/unexpected-character': {
    severity: 'error',
    message: (chars: string) => `Unexpected character ${JSON.stringify(chars)}; this line was not read.`,
  },
  'ipset/syntax': {
    severity: 'error',
    message: (expected: string, found: string) => `Expected ${expected} but found ${found}; this line was not read.`,
  },
  'ipset/prompt-line': {
    severity: 'info',
    message: (line: string) => `Shell prompt line skipped: ${line}`,
    help: 'Lines starting with "$ " are taken for a pasted shell prompt, not for ipset output.',
  },
  'ipset/field-outside-listing': {
    severity: 'error',
    message: (label: string) => `"${label}" outside a set listing (no "Name:" line before it); this line was not read.`,
  },
  'ipset/duplicate-field': {
    severity: 'warning',
    message: (label: string, set: string) => `"${label}" appears twice in the listing of set ${set}; the second one is used.`,
  },
  'ipset/missing-type': {
    severity: 'error',
    message: (set: string) => `The listing of set ${set} has no "Type:" line; the set and its members were not read.`,
  },
  'ipset/unknown-type': {
    severity: 'warning',
    message: (type: string, set: string) =>
      `Set type "${type}" of set ${set} is not one iptlens knows; the set was kept with its members as written, and membership tests on it are unknown.`,
  },
  'ipset/entries-mismatch': {
    severity: 'warning',
    message: (set: string, counted: number, listed: number) =>
      `Set ${set} says "Number of entries: ${counted}" but ${listed} members are listed: the listing looks cut or edited. The ${listed} listed members were read.`,
  },
  'ipset/members-not-listed': {
    severity: 'warning',
    message: (set: string) =>
      `Set ${set} is listed without a "Members:" line (ipset list -t, or a cut paste): its members are unknown, and so is membership in it.`,
  },
  'ipset/unknown-set': {
    severity: 'error',
    message: (command: string, set: string) =>
      `${command}: set ${set} does not exist here (no "create ${set}" or "Name: ${set}" before this line); this line was not applied.`,
  },
  'ipset/duplicate-set': {
    severity: 'warning',
    message: (set: string) => `Set ${set} is defined twice (two dumps pasted together?); the second definition replaces the first.`,
  },
  'ipset/set-exists': {
    severity: 'error',
    message: (command: string, set: string) => `${command}: a set named ${set} already exists; ipset refuses this, and it was not applied.`,
  },
  'ipset/unknown-option': {
    severity: 'warning',
    message: (option: string, owner: string) => `"${option}" is not an option of ${owner}; it was kept as written and has no effect here.`,
  },
  'ipset/option-not-for-type': {
    severity: 'warning',
    message: (option: string, type: string) => `Option ${option} does not apply to a ${type} set (ipset would refuse it); it was kept but has no effect.`,
  },
  'ipset/bad-value': {
    severity: 'error',
    message: (option: string, value: string, expected: string) => `${option} ${JSON.stringify(value)}: expected ${expected}; the option was ignored.`,
  },
  'ipset/missing-value': {
    severity: 'error',
    message: (option: string, expected: string) => `${option} needs ${expected}; the option was ignored.`,
  },
  'ipset/bad-member': {
    severity: 'error',
    message: (member: string, set: string, why: string) => `Member ${JSON.stringify(member)} of set ${set}: ${why}; this member was not read.`,
  },
  'ipset/member-dimensions': {
    severity: 'error',
    message: (member: string, parts: number, type: string, expected: number) =>
      `Member ${JSON.stringify(member)} has ${parts} part${parts === 1 ? '' : 's'} but a ${type} set takes ${expected}; this member was not read.`,
  },
  'ipset/extension-not-enabled': {
    severity: 'warning',
    message: (extension: string, set: string) =>
      `"${extension}" on a member of set ${set}, which was created without "${extension}": ipset refuses such a line; the member was read anyway.`,
  },
  'ipset/duplicate-member': {
    severity: 'warning',
    message: (member: string, set: string) =>
      `${member} is already in set ${set}: ipset refuses a second add without -exist; the member was kept once.`,
  },
  'ipset/not-a-member': {
    severity: 'warning',
    message: (member: string, set: string) => `del ${member}: not a member of set ${set}; nothing was removed.`,
  },
  'ipset/list-member-missing': {
    severity: 'warning',
    message: (list: string, member: string) =>
      `Set ${list} (list:set) holds ${member}, which is not in this input; membership tests through ${list} treat it as empty.`,
  },
  'ipset/list-of-list': {
    severity: 'error',
    message: (list: string, member: string) =>
      `Set ${list} holds the list:set ${member}: the kernel refuses a list:set inside a list:set; membership tests skip it.`,
  },
});
