/**
 * Syntax trees of iproute2's output: `ip addr` (plain, `-d`, `-o`, `-br`, `-j`), `ip route` and
 * `ip rule`. Words are kept as printed, with their offsets; what they mean (an address, a table
 * id, a mark) is decided by `src/model/iproute`.
 *
 * Lines carry a full {@link SourceRef}; the words inside carry plain offsets ({@link Span}) into
 * the same source.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SourceRef, SourceText, Span } from '../source.js';

/** A word as printed (for `ip -j`, a JSON string or number; the span covers the JSON token). */
export interface WordSyntax extends Span {
  readonly text: string;
}

/** A keyword and the values that follow it (`mtu 1500`, `via inet6 fe80::1`, `lock 1400`). */
export interface AttributeSyntax extends Span {
  /** The keyword as printed; for a word iptlens does not know, the word itself. */
  readonly name: string;
  readonly values: readonly WordSyntax[];
  /** False for a word the grammar does not know (kept so the model can say what it ignored). */
  readonly known: boolean;
}

/** Which form of `ip addr` / `ip link` output a record came from. */
export type IpOutputVariant = 'plain' | 'oneline' | 'brief' | 'json';

/** `inet 10.0.0.3/24 brd 10.0.0.255 scope global secondary eth0:1` and its lifetimes. */
export interface AddressSyntax {
  /** `inet` / `inet6` as printed; null in `ip -br` output, which leaves it to the address. */
  readonly family: 'inet' | 'inet6' | null;
  /** The local address as printed, with its prefix length unless `peer` carries it. */
  readonly local: WordSyntax;
  /** `peer 10.9.9.2/30` (point-to-point): the prefix length is printed on the peer. */
  readonly peer: WordSyntax | null;
  /** `brd`, `any`, `scope`, `metric`, `proto` with their values. */
  readonly attributes: readonly AttributeSyntax[];
  /** Flag words as printed: `secondary`, `dynamic`, `tentative`, `noprefixroute`, … */
  readonly flags: readonly WordSyntax[];
  /** The IPv4 label (`eth0:1`); iproute2 prints it last, and it starts with the interface name. */
  readonly label: WordSyntax | null;
  readonly validLifetime: WordSyntax | null;
  readonly preferredLifetime: WordSyntax | null;
  readonly at: SourceRef;
}

/** `link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff …` */
export interface LinkLayerSyntax {
  /** `ether`, `loopback`, `none`, `sit`, … (after `link/`). */
  readonly type: WordSyntax;
  readonly address: WordSyntax | null;
  readonly broadcast: WordSyntax | null;
  /** Everything else on the line (`permaddr …`, `link-netnsid 0`, `-d` link details). */
  readonly rest: readonly WordSyntax[];
  readonly at: SourceRef;
}

/** A `-d` line under an interface: `vxlan id 1 dev eth0 …`, `bridge_slave state forwarding …`. */
export interface DetailSyntax {
  readonly words: readonly WordSyntax[];
  readonly at: SourceRef;
}

export interface InterfaceSyntax {
  /** `2` of `2: eth0: …`; null in `ip -br` output. */
  readonly index: WordSyntax | null;
  /** The name without `@link` and the colon. */
  readonly name: WordSyntax;
  /** After `@`: the lower device (`eth0.10@eth0`), a veth peer (`veth0@if5`, an index in another netns) or `NONE`. */
  readonly link: WordSyntax | null;
  /** The words between `<` and `>`; null where the variant does not print them. */
  readonly flags: readonly WordSyntax[] | null;
  /** `mtu`, `qdisc`, `master`, `state`, `mode`, `group`, `qlen`, and any other word of the first line. */
  readonly attributes: readonly AttributeSyntax[];
  readonly linkLayer: LinkLayerSyntax | null;
  /** The `-d` lines, in order: the first is the kind (`veth`, `bridge`, `vxlan …`), `*_slave` lines follow. */
  readonly details: readonly DetailSyntax[];
  readonly altnames: readonly WordSyntax[];
  readonly addresses: readonly AddressSyntax[];
  readonly variant: IpOutputVariant;
  /** The interface's first line (for `-o`, the first line that names it; for `-j`, its object). */
  readonly at: SourceRef;
}

export interface IpAddrSyntax {
  readonly source: SourceText;
  readonly interfaces: readonly InterfaceSyntax[];
  /** The forms seen, in order of first appearance (more than one when outputs were pasted together). */
  readonly variants: readonly IpOutputVariant[];
  readonly diagnostics: readonly Diagnostic[];
}

/** One route of `ip route` output, with its `nexthop` lines. */
export interface RouteSyntax {
  /** `local`, `broadcast`, `blackhole`, … as printed; null for unicast routes, which iproute2 prints without type. */
  readonly type: WordSyntax | null;
  /** `default` or an address with or without prefix length. */
  readonly destination: WordSyntax;
  readonly attributes: readonly AttributeSyntax[];
  readonly nexthops: readonly NexthopSyntax[];
  readonly at: SourceRef;
}

/** `nexthop via 10.0.0.1 dev eth0 weight 1` (a line of its own, or a `\`-separated part with -o). */
export interface NexthopSyntax {
  readonly attributes: readonly AttributeSyntax[];
  readonly at: SourceRef;
}

export interface IpRouteSyntax {
  readonly source: SourceText;
  readonly routes: readonly RouteSyntax[];
  /** The command of a prompt line, if the paste had one (`ip route show table local`). */
  readonly command: string | null;
  readonly diagnostics: readonly Diagnostic[];
}

/** `100:	not from 10.0.0.0/8 fwmark 0x4000/0x4000 iif eth0 lookup 500` */
export interface IpRuleSyntax {
  readonly priority: WordSyntax;
  readonly not: boolean;
  /** `all` or a prefix. */
  readonly from: WordSyntax;
  /** Selectors and the action, with their values; `[detached]` is a value of `iif`/`oif`. */
  readonly attributes: readonly AttributeSyntax[];
  readonly at: SourceRef;
}

export interface IpRulesSyntax {
  readonly source: SourceText;
  readonly rules: readonly IpRuleSyntax[];
  readonly diagnostics: readonly Diagnostic[];
}
