/**
 * Messages about iproute2 output (`ip addr`, `ip route`, `ip rule`, their `-j` JSON) and about
 * `iptables -L` listings, which iptlens recognises but cannot use as a ruleset.
 */
import { defineMessages } from './define.js';

export const iprouteMessages = defineMessages({
  'iproute/unexpected-character': {
    severity: 'error',
    message: (chars: string) => `Unexpected character ${JSON.stringify(chars)}; this line was not read.`,
  },
  'iproute/syntax': {
    severity: 'error',
    message: (command: string, expected: string, found: string) =>
      `Expected ${expected} but found ${found} (reading \`${command}\` output); this line was not read.`,
  },
  'iproute/prompt-line': {
    severity: 'info',
    message: (command: string) => `A shell prompt (or comment) line was skipped${command ? `: \`${command}\`` : ''}.`,
  },
  'iproute/orphan-line': {
    severity: 'error',
    message: (what: string) =>
      `${what} before any interface line ("N: name: <FLAGS> …"): it belongs to no interface; this line was not read.`,
    help: 'Paste the whole `ip addr` output, from its first line `1: lo: …`.',
  },
  'iproute/orphan-nexthop': {
    severity: 'error',
    message: () => 'A `nexthop` line with no multipath route before it; this line was not read.',
  },
  'iproute/orphan-lifetime': {
    severity: 'warning',
    message: () => 'A `valid_lft … preferred_lft …` line with no address before it; it was ignored.',
  },
  'iproute/bad-address': {
    severity: 'error',
    message: (text: string, family: string) =>
      `${JSON.stringify(text)} is not ${family} address with a prefix length (an anonymised paste?); this address was not read.`,
  },
  'iproute/bad-destination': {
    severity: 'error',
    message: (text: string) =>
      `Route destination ${JSON.stringify(text)} is neither \`default\` nor an address or prefix; this route was not read.`,
  },
  'iproute/bad-route-value': {
    severity: 'error',
    message: (keyword: string, text: string, expected: string) =>
      `\`${keyword} ${text}\`: expected ${expected}; this route was not read, since without it the route would send packets elsewhere than the kernel does.`,
  },
  'iproute/bad-selector': {
    severity: 'error',
    message: (keyword: string, text: string, expected: string) =>
      `\`${keyword} ${text}\`: expected ${expected}; this rule was not read, since it would match other packets than the kernel's.`,
  },
  'iproute/bad-value': {
    severity: 'warning',
    message: (keyword: string, text: string, expected: string) =>
      `\`${keyword} ${text}\`: expected ${expected}; the value was ignored.`,
  },
  'iproute/unknown-words': {
    severity: 'info',
    message: (words: string, what: string) =>
      `${words}: not ${what} attributes iptlens models; kept as written, they play no part in traces.`,
  },
  'iproute/family-assumed': {
    severity: 'info',
    message: (what: string, family: string) =>
      `Nothing in ${what} says whether it is IPv4 or IPv6 (no address, no \`pref\`); it was read as ${family}.`,
    help: 'Give `ip -4 …` and `ip -6 …` output separately, or say which one the text is.',
  },
  'iproute/rule-without-action': {
    severity: 'error',
    message: () => 'This rule has no action (lookup, goto, blackhole, unreachable, prohibit or nop); it was not read.',
  },
  'iproute/duplicate-interface': {
    severity: 'warning',
    message: (name: string) =>
      `Interface ${name} is listed twice (two outputs pasted together?); the addresses of both were kept.`,
  },
  'iproute/mixed-variants': {
    severity: 'info',
    message: (variants: string) => `This text mixes several forms of \`ip addr\` output (${variants}); all were read.`,
  },
  'iproute/json-shape': {
    severity: 'error',
    message: (expected: string, found: string) =>
      `Expected ${expected} in \`ip -j\` output but found ${found}; this entry was not read.`,
  },
  'iproute/json-missing': {
    severity: 'error',
    message: (key: string, what: string) => `This \`ip -j\` ${what} has no "${key}"; it was not read.`,
  },

  'json/unexpected-character': {
    severity: 'error',
    message: (chars: string) => `Unexpected character ${JSON.stringify(chars)} in JSON; it was skipped.`,
  },
  'json/syntax': {
    severity: 'error',
    message: (expected: string, found: string) =>
      `JSON: expected ${expected} but found ${found}; what came before was read, the rest of this value was not.`,
    help: 'A JSON paste is often cut short: run the command again and save its output to a file.',
  },

  'iptables-listing/unexpected-character': {
    severity: 'error',
    message: (chars: string) => `Unexpected character ${JSON.stringify(chars)}; this line was not read.`,
  },
  'iptables-listing/syntax': {
    severity: 'error',
    message: (expected: string, found: string) => `Expected ${expected} but found ${found}; this line was not read.`,
  },
  'iptables-listing/row-outside-chain': {
    severity: 'error',
    message: () => 'A rule row before any "Chain NAME (…)" line: it belongs to no chain; this line was not read.',
  },
  'iptables-listing/iptables-said': {
    severity: 'info',
    message: (text: string) => `iptables said: ${text}`,
  },
  'iptables-listing/prompt-line': {
    severity: 'info',
    message: (command: string) => `A shell prompt (or comment) line was skipped${command ? `: \`${command}\`` : ''}.`,
  },
  'iptables-listing/not-a-ruleset': {
    severity: 'warning',
    message: (command: string, instead: string) =>
      `This is \`${command}\` output, a listing for people, not a ruleset: iptlens reads its chains and rows but cannot trace packets through it. Run \`${instead}\` on the node and give that instead.`,
    help: 'The listing drops details the kernel uses (see the losses iptlens lists for it); iptables-save prints every rule exactly.',
  },
  'iptables-listing/loss-matches': {
    severity: 'info',
    message: () =>
      'Match options are summarised in free text (`tcp dpt:443`, `match-set KUBE-CLUSTER-IP dst,dst`) and some are not shown at all; iptables-save prints every option as given.',
  },
  'iptables-listing/loss-targets': {
    severity: 'info',
    message: () =>
      'Target options are summarised (`to:10.244.0.5:53`, `MARK or 0x4000`) and some dropped (e.g. DNAT/SNAT flags, LOG options).',
  },
  'iptables-listing/loss-negations': {
    severity: 'info',
    message: () =>
      'Negations show only as a `!` glued to a column (`!10.244.0.0/16`, `!lo`); inside the match summary a negation may be printed in a form that cannot be told apart.',
  },
  'iptables-listing/loss-interfaces': {
    severity: 'info',
    message: () =>
      'Without -v the in/out interface columns (-i/-o) and counters are not shown: rules that differ only by interface look the same.',
  },
  'iptables-listing/loss-names': {
    severity: 'info',
    message: (examples: string) =>
      `Without -n addresses and ports are printed as names (${examples}), which cannot be turned back into the numbers the kernel compares.`,
  },
  'iptables-listing/loss-counters': {
    severity: 'info',
    message: () => 'Without -x counters are rounded (`567K`, `12M`).',
  },
  'iptables-listing/loss-comments': {
    severity: 'info',
    message: () => 'Comments appear only as `/* … */` inside the match summary, where a `*/` in a comment cannot be told from its end.',
  },
  'iptables-listing/loss-tables': {
    severity: 'info',
    message: (shown: string) =>
      `Only ${shown} is listed: the other tables (raw, mangle, nat, filter, security) and so the order a packet meets them in are not.`,
  },
  'iptables-listing/loss-chains': {
    severity: 'info',
    message: (chains: string) =>
      `Only ${chains} is listed; chains it jumps to, and the built-in chains that lead to it, are missing.`,
  },
  'iptables-listing/loss-family': {
    severity: 'info',
    message: (family: string, other: string) =>
      `This lists ${family} rules only; the ${other} ruleset is separate (ip6tables-save / iptables-save).`,
  },
  'iptables-listing/run-instead': {
    severity: 'info',
    message: (command: string) => `Run \`${command}\` on the node instead: it prints every table, chain and rule exactly as the kernel holds them.`,
  },
  'iptables-listing/loss-blank-targets': {
    severity: 'info',
    message: (count: number) =>
      `${count} row(s) have no target: in a listing these cannot be told apart from a row whose target column was cut.`,
  },
});
