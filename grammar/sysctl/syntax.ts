/** The syntax of sysctl text: one setting (or sysctl complaint) per line, with offsets. */
import type { Diagnostic } from '../diagnostics.js';
import type { SourceRef, SourceText, Span } from '../source.js';

export interface SysctlSettingSyntax {
  /** As written: `net.ipv4.ip_forward`, `net/ipv4/ip_forward`, `/proc/sys/net/ipv4/ip_forward`. */
  readonly key: string;
  readonly keySpan: Span;
  /** The key names a path under /proc/sys (slash form or a /proc path), not a dotted key. */
  readonly form: 'dotted' | 'slash' | 'proc';
  /** `-key = value` in sysctl.conf: a failure to set it is ignored. */
  readonly ignoreFailure: boolean;
  /** The value with leading and trailing blanks removed; blanks inside are kept. */
  readonly value: string;
  readonly valueSpan: Span;
  readonly at: SourceRef;
}

/** A line sysctl printed about a key it could not read (`sysctl: permission denied on key …`). */
export interface SysctlComplaintSyntax {
  readonly text: string;
  /** The key the complaint names, as written in it, when it names one. */
  readonly key: string | null;
  readonly at: SourceRef;
}

export interface SysctlSyntax {
  readonly source: SourceText;
  readonly settings: readonly SysctlSettingSyntax[];
  readonly complaints: readonly SysctlComplaintSyntax[];
  readonly diagnostics: readonly Diagnostic[];
}
