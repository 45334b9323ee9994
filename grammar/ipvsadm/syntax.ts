/**
 * The syntax tree of ipvsadm text: one statement per line, words kept as written with their
 * positions. Both forms ipvsadm prints are statements of one tree, in source order:
 *
 * - the listing (`ipvsadm -Ln` and its column variants): a banner, two title lines, then each
 *   virtual service line followed by its real server lines (`  -> …`);
 * - the save/restore form (`ipvsadm -Sn`, `ipvsadm -R` input): one command per line.
 *
 * What a column means (the five numbers of `--stats` vs `--rate`, the four of `--thresholds` vs
 * `--persistent-conn`) depends on the title lines above it, and is decided by `src/model/ipvs`.
 * Lines carry a full {@link SourceRef}; words inside a line carry offsets into the same source.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { SourceRef, SourceText, Span } from '../source.js';

/** A word as written (`rr`, `10800`, `1234K`, `255.255.255.0`). */
export interface WordSyntax extends Span {
  readonly text: string;
}

/**
 * `10.96.0.1:443`, `[fd00::1]:80`, `myhost:http` (ipvsadm -L without -n), `10.96.0.1` (a restore
 * address without port), `fd00::1` (a bare IPv6 address, which ipvsadm's parse_service() accepts
 * without port). The split follows parse_service(): a bracketed address, else a whole IPv6
 * address, else host and port at the last colon.
 */
export interface EndpointSyntax extends Span {
  /** The address or host name, brackets removed. */
  readonly host: WordSyntax;
  /** The port number or service name; null when none was written. */
  readonly port: WordSyntax | null;
  /** True for `[…]`: ipvsadm brackets IPv6 addresses and names of IPv6 hosts. */
  readonly bracketed: boolean;
}

/** Which columns the `Prot LocalAddress:Port …` title line announces (print_title()). */
export type ServiceColumns =
  /** `Scheduler Flags`: plain `-L`, also `--thresholds`/`--persistent-conn`/`--tun-info` service lines. */
  | 'scheduler'
  /** `Conns InPkts OutPkts InBytes OutBytes` (`--stats`). */
  | 'stats'
  /** `CPS InPPS OutPPS InBPS OutBPS` (`--rate`). */
  | 'rate'
  /** `Uthreshold Lthreshold ActiveConn InActConn` (`--thresholds`). */
  | 'thresholds'
  /** `Weight PersistConn ActiveConn InActConn` (`--persistent-conn`). */
  | 'persistent-conn';

/** Which columns the `  -> RemoteAddress:Port …` title line announces. */
export type ServerColumns =
  /** `Forward Weight ActiveConn InActConn` (plain `-L`). */
  | 'forward'
  /** `Forward TunnelInfo Weight ActiveConn InActConn` (`--tun-info`). */
  | 'tunnel-info'
  /** Nothing after `RemoteAddress:Port`: the columns are those of the service title. */
  | 'as-service';

/** `TCP  10.96.0.1:443`, `FWM  4711`, `FWM  4711 IPv6`. */
export type ServiceIdSyntax =
  | {
      readonly kind: 'address';
      /** `TCP`, `UDP` or `SCTP`, as printed. */
      readonly protocol: WordSyntax;
      readonly endpoint: EndpointSyntax;
    }
  | {
      readonly kind: 'fwmark';
      readonly mark: WordSyntax;
      /** `IPv6` after the mark: an IPv6 firewall-mark service. */
      readonly ipv6: boolean;
    };

/** The "Scheduler Flags" column: `rr (sh-fallback,sh-port) persistent 10800 mask 255.255.255.0 pe sip ops`. */
export interface SchedulerSyntax {
  readonly name: WordSyntax;
  /** Scheduler flags in parentheses, each as written. */
  readonly flags: readonly WordSyntax[];
  readonly persistent: {
    readonly timeout: WordSyntax;
    /** `mask 255.255.255.0` (IPv4) or `mask 64` (IPv6 prefix length). */
    readonly mask: WordSyntax | null;
    /** `pe sip`: the persistence engine. */
    readonly engine: WordSyntax | null;
  } | null;
  /** `ops`: one-packet scheduling. */
  readonly ops: boolean;
}

/** One option of a restore command with its arguments (`-t 10.96.0.1:443`, `-b sh-fallback,sh-port`, `-m`). */
export interface OptionSyntax extends Span {
  /** As written, without any `=value`: `-t`, `--weight`. */
  readonly name: WordSyntax;
  /** The arguments after it; an argument written `a,b` is one value with two parts. */
  readonly values: readonly ValueSyntax[];
}

/** One argument; `parts` are its comma-separated pieces (one piece for a plain word). */
export interface ValueSyntax extends Span {
  /** The whole argument as written. */
  readonly text: string;
  readonly parts: readonly WordSyntax[];
  /** The argument split as an address and port, as parse_service() would; null for a comma list. */
  readonly endpoint: EndpointSyntax | null;
}

export type IpvsLineSyntax =
  /** `$ ipvsadm -Ln`: skipped. */
  | { readonly kind: 'prompt'; readonly text: string; readonly at: SourceRef }
  /** `# …` */
  | { readonly kind: 'comment'; readonly at: SourceRef }
  /** `...`: output cut by whoever pasted it. */
  | { readonly kind: 'elision'; readonly at: SourceRef }
  /** `IP Virtual Server version 1.2.1 (size=4096)` */
  | { readonly kind: 'banner'; readonly version: WordSyntax; readonly size: WordSyntax | null; readonly at: SourceRef }
  /** `Timeout (tcp tcpfin udp): 900 120 300` */
  | { readonly kind: 'timeouts'; readonly values: readonly WordSyntax[]; readonly at: SourceRef }
  /** `Prot LocalAddress:Port Scheduler Flags` and its variants. */
  | { readonly kind: 'service-title'; readonly columns: ServiceColumns; readonly at: SourceRef }
  /** `  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn` and its variants. */
  | { readonly kind: 'server-title'; readonly columns: ServerColumns; readonly at: SourceRef }
  /** A virtual service line: scheduler columns, or five counters (`--stats`, `--rate`). */
  | {
      readonly kind: 'service';
      readonly id: ServiceIdSyntax;
      readonly scheduler: SchedulerSyntax | null;
      /** The five counters when the line has no scheduler. */
      readonly counts: readonly WordSyntax[] | null;
      readonly at: SourceRef;
    }
  /** A real server line `  -> address:port …`. */
  | {
      readonly kind: 'server';
      readonly endpoint: EndpointSyntax;
      /** `Masq`, `Local`, `Tunnel`, `Route`, `(null)`; null in the numeric-only layouts. */
      readonly forward: WordSyntax | null;
      /** The `--tun-info` column (`ipip`, `gue:6080:csum`, `n/a`). */
      readonly tunnelInfo: WordSyntax | null;
      /** After a forward name: weight, active, inactive. Otherwise four or five numbers. */
      readonly numbers: readonly WordSyntax[];
      readonly at: SourceRef;
    }
  /** A restore command: `-A -t 10.96.0.1:443 -s rr`. */
  | { readonly kind: 'command'; readonly options: readonly OptionSyntax[]; readonly at: SourceRef };

export interface IpvsadmSyntax {
  readonly source: SourceText;
  readonly lines: readonly IpvsLineSyntax[];
  readonly diagnostics: readonly Diagnostic[];
}
