/**
 * An `iptables -L` listing as far as it can be read: chains, their policies and reference
 * counts, rule rows as printed, and which options the listing was made with. It is not a
 * ruleset (see {@link listingLosses} for what it lacks); iptlens reads it to recognise it and
 * say what to run instead.
 */
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import type { SourceRef } from '../../../grammar/source.js';
import type { Family } from '../values/address.js';

/** A column that may be negated with a glued `!` (`!10.244.0.0/16`, `!lo`). */
export interface ListingOperand {
  readonly text: string;
  readonly negated: boolean;
}

export interface ListingRow {
  /** null: the target column was blank (a rule without -j). */
  readonly target: string | null;
  readonly protocol: ListingOperand;
  /** The opt column: `-f` fragments only, `!f` non-first fragments excluded, `--` any. */
  readonly fragment: 'any' | 'fragments' | 'not-fragments';
  /** With -v only. */
  readonly in?: ListingOperand;
  readonly out?: ListingOperand;
  readonly source: ListingOperand;
  readonly destination: ListingOperand;
  /** The packets and bytes columns as printed (-v): `567K` unless -x. */
  readonly packets?: string;
  readonly bytes?: string;
  /** The match and target summary as printed (`tcp dpt:443 MARK or 0x4000`). */
  readonly details: string;
  readonly comments: readonly string[];
  readonly at: SourceRef;
}

export interface ListingChain {
  readonly name: string;
  /** Built-in chains: the policy; null for a user chain. */
  readonly policy: string | null;
  /** User chains: how many rules jump to it. */
  readonly references: number | null;
  readonly ruleCount: number;
  readonly rows: readonly ListingRow[];
  readonly at: SourceRef;
}

/** Options the listing shows it was made with; null where the text does not tell. */
export interface ListingFlags {
  /** -v: counters and in/out columns. */
  readonly verbose: boolean;
  /** -n: `0.0.0.0/0` rather than `anywhere`, port numbers rather than service names. */
  readonly numeric: boolean | null;
  readonly lineNumbers: boolean;
  /** -x: exact counters rather than `567K`. */
  readonly exact: boolean | null;
}

export interface IptablesListing {
  readonly family: Family | null;
  /** The table listed: from the prompt's `-t`, or guessed from its built-in chains; null when unknown. */
  readonly table: string | null;
  readonly tableFrom: 'command' | 'chains' | null;
  readonly flags: ListingFlags;
  readonly chains: readonly ListingChain[];
  /** The command of the prompt line, when the paste had one. */
  readonly command: string | null;
  /** A chain named on the command line (`iptables -L KUBE-SERVICES`): only it is listed. */
  readonly listedChain: string | null;
  /** iptables-nft said legacy tables are present too (`# Warning: iptables-legacy tables present`). */
  readonly legacyTablesPresent: boolean;
  readonly diagnostics: readonly Diagnostic[];
}
