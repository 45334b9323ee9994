/**
 * The syntax of an `iptables -L` listing: chains with their header line, column header and rule
 * rows, every column kept as printed with its offsets.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SourceRef, SourceText } from '../source.js';
import type { WordSyntax } from '../iproute/syntax.js';

export type { WordSyntax };

/** Which columns the listing has, from its column header line. */
export interface ListingLayout {
  /** `num` column: `--line-numbers`. */
  readonly lineNumbers: boolean;
  /** `pkts bytes … in out` columns: `-v`. */
  readonly verbose: boolean;
}

export interface ListingRowSyntax {
  readonly num: WordSyntax | null;
  readonly packets: WordSyntax | null;
  readonly bytes: WordSyntax | null;
  /** Blank for a rule without target. */
  readonly target: WordSyntax | null;
  readonly protocol: WordSyntax;
  /** `--`, `-f`, `!f`; null where ip6tables leaves the column blank. */
  readonly opt: WordSyntax | null;
  readonly in: WordSyntax | null;
  readonly out: WordSyntax | null;
  readonly source: WordSyntax;
  readonly destination: WordSyntax;
  /** The match and target summary after the destination column, as printed; null when empty. */
  readonly details: WordSyntax | null;
  /** The `/* … *\/` comments in it, without the delimiters. */
  readonly comments: readonly WordSyntax[];
  readonly at: SourceRef;
}

export interface ListingChainSyntax {
  readonly name: WordSyntax;
  /** Built-in chains: `ACCEPT`/`DROP`. */
  readonly policy: WordSyntax | null;
  /** `-v`: the policy's counters. */
  readonly policyPackets: WordSyntax | null;
  readonly policyBytes: WordSyntax | null;
  /** User chains: `(N references)`. */
  readonly references: WordSyntax | null;
  readonly layout: ListingLayout | null;
  readonly rows: readonly ListingRowSyntax[];
  readonly at: SourceRef;
}

export interface IptablesListingSyntax {
  readonly source: SourceText;
  readonly chains: readonly ListingChainSyntax[];
  /** The command of a prompt line, if the paste had one (`iptables -t nat -L -n -v`). */
  readonly command: string | null;
  /** Lines iptables printed besides the listing (`# Warning: iptables-legacy tables present…`). */
  readonly said: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}
