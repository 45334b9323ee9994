/**
 * The IPVS model: the kernel's virtual server table (net/netfilter/ipvs/ip_vs_ctl.c) as read from
 * `ipvsadm -Ln` listings or replayed from `ipvsadm -Sn` commands, as immutable typed data. Every
 * virtual service and real server points back at its source line.
 *
 * IpvsTable → VirtualService → RealServer
 *
 * What ipvsadm did not print stays unknown (`null`), never a guessed default: a `--stats` listing
 * has no Forward or Weight column, so its real servers have `forward: null` and `weight: null`.
 */
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import type { SourceRef } from '../../../grammar/source.js';
import type { Cidr, Family } from '../values/address.js';

export type { Family } from '../values/address.js';

/** How a virtual service is identified: `-t`, `-u`, `--sctp-service`, or `-f` (firewall mark). */
export type IpvsProtocol = 'tcp' | 'udp' | 'sctp' | 'fwm';

/**
 * IP_VS_CONN_F_FWD_MASK values (include/uapi/linux/ip_vs.h): MASQ `Masq`/`-m`, DROUTE `Route`/`-g`,
 * TUNNEL `Tunnel`/`-i`, LOCALNODE `Local` (set by the kernel when the real server's address is
 * local to the director; `-Sn` prints it as `-g`), BYPASS (ipvsadm has no name for it: `(null)`).
 * A listing keeps what was printed: `Local` stays `local`.
 */
export type ForwardMethod = 'masq' | 'route' | 'tunnel' | 'local' | 'bypass';

/** A counter as ipvsadm printed it. */
export interface IpvsCount {
  /** The value; without `--exact`, print_largenum() rounds down to K/M/G/T (×1000ⁿ). */
  readonly value: bigint;
  /** True when printed with a K/M/G/T suffix: the true value is in [value, value + unit). */
  readonly rounded: boolean;
}

/** `ipvsadm -Ln --stats`: totals since the counters were last zeroed. */
export interface TrafficStats {
  readonly conns: IpvsCount;
  readonly inPkts: IpvsCount;
  readonly outPkts: IpvsCount;
  readonly inBytes: IpvsCount;
  readonly outBytes: IpvsCount;
}

/** `ipvsadm -Ln --rate`: per-second rates estimated by the kernel (ip_vs_est.c). */
export interface TrafficRates {
  readonly cps: IpvsCount;
  readonly inPps: IpvsCount;
  readonly outPps: IpvsCount;
  readonly inBps: IpvsCount;
  readonly outBps: IpvsCount;
}

/** `mask 255.255.255.0` / `-M 255.255.255.0` (IPv4) or `mask 64` / `-M 64` (IPv6 prefix length). */
export interface PersistenceMask {
  readonly family: Family;
  /** The mask as bits of an address of `family`. */
  readonly mask: bigint;
  /** Its prefix length; null when the IPv4 mask is not contiguous (the kernel takes any mask). */
  readonly prefix: number | null;
  /** As written. */
  readonly text: string;
}

/** IP_VS_SVC_F_PERSISTENT: clients (masked by `netmask`) stick to one real server for `timeout` seconds. */
export interface Persistence {
  readonly timeout: number;
  /** Absent for the default (one client host: 255.255.255.255 or /128), which ipvsadm does not print. */
  readonly netmask?: PersistenceMask;
  /** Persistence engine (`pe sip`, `--pe sip`). */
  readonly engine?: string;
}

/** Tunnel settings of a `-i` real server (`--tun-type`, `--tun-port`, `--tun-*csum`; `--tun-info` column). */
export interface TunnelSettings {
  readonly type: 'ipip' | 'gue' | 'gre';
  /** Destination port of GUE encapsulation. */
  readonly port?: number;
  /** Checksum mode of GUE/GRE. */
  readonly checksum?: 'nocsum' | 'csum' | 'remcsum';
}

export interface RealServer {
  readonly family: Family;
  /** The address; null when ipvsadm printed a host name (see `host`). */
  readonly address: Cidr | null;
  /** The address or host name as printed, without brackets. */
  readonly host: string;
  /** Null when the port was a service name that cannot be resolved, or was cut off. Port 0 of a fwmark service: the packet's own port. */
  readonly port: number | null;
  /** The port as printed (a number, or a service name with `-L` without `-n`). */
  readonly portText: string | null;
  /** Null when the listing has no Forward column (`--stats`, `--rate`, `--thresholds`, `--persistent-conn`). */
  readonly forward: ForwardMethod | null;
  /** Null when the listing has no Weight column (`--stats`, `--rate`, `--thresholds`). 0 = quiescent. */
  readonly weight: number | null;
  readonly activeConn?: number;
  readonly inactConn?: number;
  /** `--persistent-conn`: connection templates pointing at this server. */
  readonly persistConn?: number;
  /** `--thresholds` / `-x`: 0 means none. */
  readonly upperThreshold?: number;
  /** `--thresholds` / `-y`: 0 means none. */
  readonly lowerThreshold?: number;
  /** From `-Sn` tunnel options. */
  readonly tunnel?: TunnelSettings;
  /** The `--tun-info` column as printed (`ipip`, `gue:6080:csum`, `n/a`). */
  readonly tunnelInfo?: string;
  readonly stats?: TrafficStats;
  readonly rate?: TrafficRates;
  /** The real server line, or the `-a`/`-e` command that last set it. */
  readonly at: SourceRef;
}

export interface VirtualService {
  readonly protocol: IpvsProtocol;
  /** IPv4 unless the address is IPv6 or the fwmark service is marked `IPv6` / `-6`. */
  readonly family: Family;
  /** Null for a fwmark service, and when ipvsadm printed a host name (see `host`). */
  readonly address: Cidr | null;
  /** The address or host name as printed, without brackets; null for a fwmark service. */
  readonly host: string | null;
  /** Null for a fwmark service, or an unresolvable/cut service name. 0: any port (a persistent service only). */
  readonly port: number | null;
  /** The port as printed; null for a fwmark service. */
  readonly portText: string | null;
  /** Null unless `protocol` is `fwm`. */
  readonly fwmark: number | null;
  /**
   * `rr`, `wlc`, `sh`, …: any name, since schedulers are kernel modules (ip_vs_<name>). Null when
   * the listing has no Scheduler column (`--stats`, `--rate`): then `flags`, `onePacket` and
   * `persistent` are unknown too, and read as none.
   */
  readonly scheduler: string | null;
  /** Scheduler flags as ipvsadm prints them (`sh-fallback`, `sh-port`, `mh-port`, `flag-1`…). */
  readonly flags: readonly string[];
  /** IP_VS_SVC_F_ONEPACKET (`ops`, `-o`): every packet is scheduled on its own (UDP). */
  readonly onePacket: boolean;
  /** Null when not persistent (or not printed, see `scheduler`). */
  readonly persistent: Persistence | null;
  readonly realServers: readonly RealServer[];
  readonly stats?: TrafficStats;
  readonly rate?: TrafficRates;
  /** The service line, or the `-A`/`-E` command that last set it. */
  readonly at: SourceRef;
}

/** IPVS connection timeouts (`Timeout (tcp tcpfin udp): …`, `--set tcp tcpfin udp`), seconds. */
export interface IpvsTimeouts {
  readonly tcp: number;
  readonly tcpFin: number;
  readonly udp: number;
}

export interface IpvsTable {
  /** In source order (ipvsadm lists them sorted by protocol, address, port). */
  readonly services: readonly VirtualService[];
  /** `IP Virtual Server version 1.2.1` */
  readonly version: string | null;
  /** `(size=4096)`: the connection hash table size. */
  readonly connectionTableSize: number | null;
  readonly timeouts: IpvsTimeouts | null;
}

export interface IpvsBuildResult {
  readonly table: IpvsTable;
  /** Everything said while reading it, the grammar's and the model's, in source order. */
  readonly diagnostics: readonly Diagnostic[];
}

/** The identity of a virtual service, as the kernel hashes it (ip_vs_ctl.c: ip_vs_svc_hashkey / ip_vs_svc_fwm_hashkey). */
export type ServiceQuery =
  | {
      readonly protocol: 'tcp' | 'udp' | 'sctp';
      /** An address text (`10.96.0.1`, `fd00::1`) or a parsed address. */
      readonly address: string | Cidr;
      readonly port: number;
    }
  | {
      readonly fwmark: number;
      /** The family of the packet; IPv4 when absent. */
      readonly family?: Family;
    };

/** What the CLI prints for one virtual service (`iptlens ipvs --json`). */
export interface VirtualServiceSummary {
  readonly protocol: IpvsProtocol;
  /** Address text, or the host name as printed; null for fwmark services. */
  readonly address: string | null;
  readonly port: number | null;
  readonly fwmark: number | null;
  readonly scheduler: string | null;
  readonly realServers: readonly {
    readonly address: string;
    readonly port: number | null;
    readonly forward: ForwardMethod | null;
    readonly weight: number | null;
  }[];
}
