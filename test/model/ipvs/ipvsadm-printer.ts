/**
 * A test-side copy of what ipvsadm.c prints (print_title(), print_service_entry(),
 * print_largenum(), addrport_to_anyname() with FMT_NUMERIC), printf widths included, so the
 * tests can print a table the way ipvsadm 1.31 would and read it back. It covers the numeric
 * forms only, from plain data (not from the model under test).
 */

export interface PrintedServer {
  readonly family: 'ipv4' | 'ipv6';
  /** Address text as inet_ntop() prints it. */
  readonly address: string;
  readonly port: number;
  readonly forward: 'Masq' | 'Route' | 'Tunnel' | 'Local';
  readonly weight: number;
  readonly activeConn: number;
  readonly inactConn: number;
  readonly persistConn: number;
  readonly upperThreshold: number;
  readonly lowerThreshold: number;
  readonly stats: readonly [bigint, bigint, bigint, bigint, bigint];
  readonly rate: readonly [bigint, bigint, bigint, bigint, bigint];
}

export interface PrintedService {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP' | 'FWM';
  readonly family: 'ipv4' | 'ipv6';
  readonly address: string;
  readonly port: number;
  readonly fwmark: number;
  readonly scheduler: string;
  /** Names as print_sched_flags() prints them. */
  readonly flags: readonly string[];
  readonly persistent: { readonly timeout: number; readonly mask: string | null; readonly engine: string | null } | null;
  readonly ops: boolean;
  readonly stats: readonly [bigint, bigint, bigint, bigint, bigint];
  readonly rate: readonly [bigint, bigint, bigint, bigint, bigint];
  readonly servers: readonly PrintedServer[];
}

export type ListingFormat = 'plain' | 'stats' | 'stats-exact' | 'rate' | 'thresholds' | 'persistent-conn';

/** `%-Ns` */
const left = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
/** `%Ns` */
const right = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** print_largenum() */
export function largenum(i: bigint, exact: boolean): string {
  if (exact) {
    const len = String(i).length;
    return right(String(i), len <= 8 ? 9 : len + 1);
  }
  if (i < 100000000n) return right(String(i), 9);
  if (i < 1000000000n) return `${right(String(i / 1000n), 8)}K`;
  if (i < 100000000000n) return `${right(String(i / 1000000n), 8)}M`;
  if (i < 100000000000000n) return `${right(String(i / 1000000000n), 8)}G`;
  return `${right(String(i / 1000000000000n), 8)}T`;
}

function addrport(family: 'ipv4' | 'ipv6', address: string, port: number): string {
  return family === 'ipv4' ? `${address}:${port}` : `[${address}]:${port}`;
}

function title(format: ListingFormat): string {
  switch (format) {
    case 'stats':
    case 'stats-exact':
      return `${left('Prot LocalAddress:Port', 33)} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((c) => right(c, 8)).join(' ')}\n  -> RemoteAddress:Port\n`;
    case 'rate':
      return `${left('Prot LocalAddress:Port', 33)} ${['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'].map((c) => right(c, 8)).join(' ')}\n  -> RemoteAddress:Port\n`;
    case 'thresholds':
      return `${left('Prot LocalAddress:Port', 33)} ${['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((c) => left(c, 10)).join(' ')}\n  -> RemoteAddress:Port\n`;
    case 'persistent-conn':
      return `${left('Prot LocalAddress:Port', 33)} ${left('Weight', 9)} ${left('PersistConn', 11)} ${left('ActiveConn', 10)} ${left('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
    case 'plain':
      return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  }
}

/** `ipvsadm -Ln [--stats|--rate|--thresholds|--persistent-conn] [--exact]` */
export function printListing(services: readonly PrintedService[], format: ListingFormat): string {
  let out = 'IP Virtual Server version 1.2.1 (size=4096)\n' + title(format);
  const exact = format === 'stats-exact';
  for (const se of services) {
    let svc: string;
    if (se.protocol === 'FWM') svc = se.family === 'ipv6' ? `FWM  ${se.fwmark} IPv6` : `FWM  ${se.fwmark}`;
    else {
      svc = `${left(se.protocol, 4)} ${addrport(se.family, se.address, se.port)}`;
      if (se.family !== 'ipv6') svc = svc.slice(0, 33);
    }
    if (format === 'stats' || format === 'stats-exact') out += left(svc, 33) + se.stats.map((n) => largenum(n, exact)).join('');
    else if (format === 'rate') out += left(svc, 33) + se.rate.map((n) => largenum(n, false)).join('');
    else {
      out += `${svc} ${se.scheduler}`;
      if (se.flags.length > 0) out += ` (${se.flags.join(',')})`;
      if (se.persistent) {
        out += ` persistent ${se.persistent.timeout}`;
        if (se.persistent.mask !== null) out += ` mask ${se.persistent.mask}`;
        if (se.persistent.engine !== null) out += ` pe ${se.persistent.engine}`;
      }
      if (se.ops) out += ' ops';
    }
    out += '\n';
    for (const e of se.servers) {
      let dname = addrport(e.family, e.address, e.port);
      if (e.family !== 'ipv6') dname = dname.slice(0, 28);
      switch (format) {
        case 'stats':
        case 'stats-exact':
          out += `  -> ${left(dname, 28)}${e.stats.map((n) => largenum(n, exact)).join('')}\n`;
          break;
        case 'rate':
          out += `  -> ${left(dname, 28)} ${e.rate.slice(0, 3).map((n) => right(String(n), 8)).join(' ')}${e.rate.slice(3).map((n) => largenum(n, false)).join('')}\n`;
          break;
        case 'thresholds':
          out += `  -> ${left(dname, 28)} ${[e.upperThreshold, e.lowerThreshold, e.activeConn, e.inactConn].map((n) => left(String(n), 10)).join(' ')}\n`;
          break;
        case 'persistent-conn':
          out += `  -> ${left(dname, 28)} ${left(String(e.weight), 9)} ${left(String(e.persistConn), 11)} ${left(String(e.activeConn), 10)} ${left(String(e.inactConn), 10)}\n`;
          break;
        case 'plain':
          out += `  -> ${left(dname, 28)} ${left(e.forward, 7)} ${left(String(e.weight), 6)} ${left(String(e.activeConn), 10)} ${left(String(e.inactConn), 10)}\n`;
          break;
      }
    }
  }
  return out;
}

/** fwd_switch(): Local is printed as -g. */
const forwardSwitch = { Masq: '-m', Route: '-g', Local: '-g', Tunnel: '-i' } as const;

/** `ipvsadm -Sn` (servers print no tunnel options: the generated ones use ipip, printed as plain `-i`… */
export function printSave(services: readonly PrintedService[]): string {
  let out = '';
  for (const se of services) {
    let svc: string;
    if (se.protocol === 'FWM') svc = se.family === 'ipv6' ? `-f ${se.fwmark} -6` : `-f ${se.fwmark}`;
    else svc = `${{ TCP: '-t', UDP: '-u', SCTP: '--sctp-service' }[se.protocol]} ${addrport(se.family, se.address, se.port)}`;
    out += `-A ${svc} -s ${se.scheduler}`;
    if (se.persistent) {
      out += ` -p ${se.persistent.timeout}`;
      if (se.persistent.mask !== null) out += ` -M ${se.persistent.mask}`;
    }
    if (se.persistent?.engine) out += ` --pe ${se.persistent.engine}`;
    if (se.ops) out += ' -o';
    if (se.flags.length > 0) out += ` -b ${se.flags.join(',')}`;
    out += '\n';
    for (const e of se.servers) {
      out += `-a ${svc} -r ${addrport(e.family, e.address, e.port)} ${forwardSwitch[e.forward]} -w ${e.weight}${e.forward === 'Tunnel' ? ' --tun-type ipip' : ''}\n`;
    }
  }
  return out;
}
