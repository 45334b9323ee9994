/**
 * Kernel settings read from sysctl text, by canonical key, and what the accessors answer about
 * them: a value, which setting decided it, and whether it was read or assumed.
 */
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import type { SourceRef } from '../../../grammar/source.js';

export interface SysctlEntry {
  /** Canonical, dotted: `net.ipv4.conf.eth0/10.rp_filter` (a dot inside a name shows as `/`, as sysctl -a prints it). */
  readonly key: string;
  /** As written, blanks at the ends removed. */
  readonly value: string;
  /** The whole line. */
  readonly at: SourceRef;
  /** The value (empty span at the end of the line when it has none). */
  readonly valueAt: SourceRef;
}

export interface Sysctls {
  /** The last setting of each key (sysctl -p applies lines in order). */
  readonly entries: ReadonlyMap<string, SysctlEntry>;
  /** Keys sysctl said it could not read (`permission denied on key …`). */
  readonly unreadable: ReadonlySet<string>;
  /**
   * True when the text looks like a whole `sysctl -a` dump (several trees, many keys): a key it
   * lacks does not exist on the node, which for `net.bridge.*` or `net.ipv4.vs.*` means that
   * br_netfilter or ip_vs is not loaded. False for a subset (`sysctl net.ipv4.ip_forward`).
   */
  readonly complete: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * How a value was found: `dump` — every setting the kernel rule needs was read; `default` — one
 * was not in the input and its kernel default (or, for an interface, `conf.default`) was
 * assumed; `absent` — a whole `sysctl -a` dump lacks the key, so the module that adds it is not
 * loaded and the feature is off.
 */
export type SysctlOrigin = 'dump' | 'default' | 'absent';

export interface SysctlReading<V> {
  readonly value: V;
  /**
   * The setting that decided the value: `conf.eth0`, `conf.all`, `conf.default` for per-interface
   * rules, the key itself otherwise, or `default` for the kernel's built-in value.
   */
  readonly source: string;
  readonly origin: SysctlOrigin;
  /** The line of the deciding setting; null when it was not read. */
  readonly at: SourceRef | null;
}

/** rp_filter modes (Documentation/networking/ip-sysctl.rst): 0 off, 1 strict, 2 loose. */
export type RpFilterMode = 0 | 1 | 2;

export interface RpFilterReading extends SysctlReading<RpFilterMode> {
  readonly source: `conf.${string}` | 'default';
}
