/**
 * Reading the lines of an `ipvsadm -L` listing into the table. The title lines say what the
 * numbers of the lines below them mean (print_title() in ipvsadm.c); a service line opens a
 * service and the `  -> …` lines after it are its real servers (print_service_entry()).
 */
import { diagnose } from '../../../grammar/diagnostics.js';
import type { IpvsLineSyntax, ServerColumns, ServiceColumns, WordSyntax } from '../../../grammar/ipvsadm/syntax.js';
import { realServerKey, serviceKey } from './lookup.js';
import type { IpvsTableBuilder, ServiceDraft, ServiceFields } from './table.js';
import type { ForwardMethod, Persistence, RealServer, TrafficRates, TrafficStats } from './types.js';
import {
  INT32_MAX,
  parsePersistenceMask,
  parseTunnelInfo,
  readCount,
  readEndpoint,
  readNumber,
  refIn,
  UINT32_MAX,
  type ReadContext,
} from './values.js';

type Line<K extends IpvsLineSyntax['kind']> = Extract<IpvsLineSyntax, { kind: K }>;

/** What the listing read so far says about the lines to come. */
export interface ListingState {
  serviceColumns: ServiceColumns | null;
  serverColumns: ServerColumns | null;
  /** The service that real server lines belong to; `unread` when its line could not be read. */
  current: ServiceDraft | 'unread' | null;
  /** The missing-title warning is given once per input. */
  warnedMissingTitle: boolean;
  /** Services listed since the last banner or title line: one listing lists a service once. */
  readonly seenServices: Set<string>;
  /** Real servers listed under the current service line. */
  readonly seenServers: Set<string>;
}

export function newListingState(): ListingState {
  return { serviceColumns: null, serverColumns: null, current: null, warnedMissingTitle: false, seenServices: new Set(), seenServers: new Set() };
}

/** A banner or title line starts another listing (`-Ln`, then `-Ln --stats`, pasted together). */
export function startListing(state: ListingState): void {
  state.current = null;
  state.seenServices.clear();
}

/** The columns a real server line can have. */
type ServerMeaning = 'forward' | 'tunnel-info' | 'stats' | 'rate' | 'thresholds' | 'persistent-conn';

const columnWording: Readonly<Record<ServiceColumns | ServerMeaning, string>> = {
  scheduler: 'a scheduler ("Scheduler Flags")',
  stats: 'the --stats counters (Conns InPkts OutPkts InBytes OutBytes)',
  rate: 'the --rate counters (CPS InPPS OutPPS InBPS OutBPS)',
  thresholds: 'the --thresholds columns (Uthreshold Lthreshold ActiveConn InActConn)',
  'persistent-conn': 'the --persistent-conn columns (Weight PersistConn ActiveConn InActConn)',
  forward: 'the columns Forward Weight ActiveConn InActConn',
  'tunnel-info': 'the --tun-info columns (Forward TunnelInfo Weight ActiveConn InActConn)',
};

/** `IP Virtual Server version 1.2.1 (size=4096)` starts a listing: earlier titles no longer apply. */
export function readBanner(cx: ReadContext, table: IpvsTableBuilder, state: ListingState, line: Line<'banner'>): void {
  table.version = line.version.text;
  if (line.size) table.connectionTableSize = readNumber(cx, line.size, 'Connection table size', 0, UINT32_MAX);
  state.serviceColumns = null;
  state.serverColumns = null;
  startListing(state);
}

/** `Timeout (tcp tcpfin udp): 900 120 300` */
export function readTimeoutLine(cx: ReadContext, table: IpvsTableBuilder, line: Line<'timeouts'>): void {
  const [tcp, tcpFin, udp] = line.values.map((w) => readNumber(cx, w, 'Timeout', 0, INT32_MAX));
  if (tcp != null && tcpFin != null && udp != null) table.timeouts = { tcp, tcpFin, udp };
}

function warnMissingTitle(cx: ReadContext, state: ListingState, word: WordSyntax): void {
  if (state.warnedMissingTitle) return;
  state.warnedMissingTitle = true;
  cx.diagnostics.push(diagnose('ipvs/missing-title', refIn(cx, word)));
}

function statsOf(words: readonly WordSyntax[]): TrafficStats {
  const [conns, inPkts, outPkts, inBytes, outBytes] = words.map(readCount);
  return { conns: conns!, inPkts: inPkts!, outPkts: outPkts!, inBytes: inBytes!, outBytes: outBytes! };
}

function ratesOf(words: readonly WordSyntax[]): TrafficRates {
  const [cps, inPps, outPps, inBps, outBps] = words.map(readCount);
  return { cps: cps!, inPps: inPps!, outPps: outPps!, inBps: inBps!, outBps: outBps! };
}

export function readServiceLine(cx: ReadContext, table: IpvsTableBuilder, state: ListingState, line: Line<'service'>): void {
  state.current = 'unread';
  let counters: 'stats' | 'rate' | null = null;
  const columns = state.serviceColumns;
  if (line.counts) {
    if (columns === 'stats' || columns === 'rate') counters = columns;
    else if (columns === null) {
      warnMissingTitle(cx, state, line.counts[0]!);
      counters = 'stats';
    } else {
      cx.diagnostics.push(diagnose('ipvs/columns-mismatch', line.at, 'five counters', columnWording[columns]));
      return;
    }
  } else if (columns === 'stats' || columns === 'rate') {
    cx.diagnostics.push(diagnose('ipvs/columns-mismatch', line.at, 'a scheduler', columnWording[columns]));
    return;
  }

  let identity: Pick<ServiceFields, 'protocol' | 'family' | 'address' | 'host' | 'port' | 'portText' | 'fwmark'>;
  if (line.id.kind === 'fwmark') {
    // FWM  %u, FWM  %u IPv6 (print_service_entry()); the mark is an unsigned 32-bit value > 0.
    const fwmark = readNumber(cx, line.id.mark, 'Firewall mark', 1, UINT32_MAX);
    if (fwmark === null) return;
    identity = { protocol: 'fwm', family: line.id.ipv6 ? 'ipv6' : 'ipv4', address: null, host: null, port: null, portText: null, fwmark };
  } else {
    const endpoint = readEndpoint(cx, line.id.endpoint, 'cut-off');
    if (!endpoint) return;
    const protocol = line.id.protocol.text === 'TCP' ? 'tcp' : line.id.protocol.text === 'UDP' ? 'udp' : 'sctp';
    identity = { protocol, ...endpoint, fwmark: null };
  }

  let persistent: Persistence | null = null;
  const scheduling = line.scheduler;
  if (scheduling?.persistent) {
    const p = scheduling.persistent;
    const timeout = readNumber(cx, p.timeout, 'Persistence timeout', 0, UINT32_MAX);
    if (timeout === null) return;
    let netmask: Persistence['netmask'];
    if (p.mask) {
      netmask = parsePersistenceMask(p.mask.text, identity.family) ?? undefined;
      if (!netmask) {
        const expected = identity.family === 'ipv6' ? 'a prefix length from 1 to 128' : 'a dotted IPv4 netmask';
        cx.diagnostics.push(diagnose('ipvs/bad-value', refIn(cx, p.mask), 'Persistence mask', p.mask.text, expected));
        return;
      }
    }
    persistent = { timeout, ...(netmask ? { netmask } : {}), ...(p.engine ? { engine: p.engine.text } : {}) };
  }

  const fields: ServiceFields = {
    ...identity,
    scheduler: scheduling ? scheduling.name.text : null,
    flags: scheduling ? scheduling.flags.map((f) => f.text) : [],
    onePacket: scheduling ? scheduling.ops : false,
    persistent,
    ...(counters === 'stats' && line.counts ? { stats: statsOf(line.counts) } : {}),
    ...(counters === 'rate' && line.counts ? { rate: ratesOf(line.counts) } : {}),
    at: line.at,
  };
  const key = serviceKey(fields);
  const known = table.get(key);
  state.seenServers.clear();
  if (known && !state.seenServices.has(key)) {
    // Another listing of the same table (another column view): what it shows is added.
    known.fields = mergeService(known.fields, fields);
    state.current = known;
  } else {
    if (known) cx.diagnostics.push(diagnose('ipvs/duplicate-service', line.at, key));
    state.current = table.add(fields);
  }
  state.seenServices.add(key);
}

/** `later` over `earlier`, where `later` shows something; a stats view shows no scheduler. */
function mergeService(earlier: ServiceFields, later: ServiceFields): ServiceFields {
  const scheduling = later.scheduler !== null ? later : earlier;
  const stats = later.stats ?? earlier.stats;
  const rate = later.rate ?? earlier.rate;
  return {
    ...later,
    scheduler: scheduling.scheduler,
    flags: scheduling.flags,
    onePacket: scheduling.onePacket,
    persistent: scheduling.persistent,
    ...(stats ? { stats } : {}),
    ...(rate ? { rate } : {}),
  };
}

/** `later` over `earlier`, field by field, where `later` shows it. */
function mergeServer(earlier: RealServer, later: RealServer): RealServer {
  const merged: Record<string, unknown> = { ...earlier };
  for (const [field, value] of Object.entries(later)) if (value !== null && value !== undefined) merged[field] = value;
  return merged as unknown as RealServer;
}

/** The columns the title lines announce for real server lines; null when they do not say. */
function expectedServerColumns(state: ListingState): ServerMeaning | null {
  switch (state.serverColumns) {
    case 'forward':
      return 'forward';
    case 'tunnel-info':
      return 'tunnel-info';
    case 'as-service':
    case null:
      switch (state.serviceColumns) {
        case 'stats':
        case 'rate':
        case 'thresholds':
        case 'persistent-conn':
          return state.serviceColumns;
        case 'scheduler':
        case null:
          return null;
      }
  }
}

/** fwd_name() in ipvsadm.c, reversed. */
const forwardNames: Readonly<Record<string, ForwardMethod>> = { Masq: 'masq', Route: 'route', Tunnel: 'tunnel', Local: 'local' };

export function readServerLine(cx: ReadContext, table: IpvsTableBuilder, state: ListingState, line: Line<'server'>): void {
  const service = state.current;
  if (service === null) {
    cx.diagnostics.push(diagnose('ipvs/orphan-real-server', line.at));
    return;
  }
  if (service === 'unread') {
    cx.diagnostics.push(diagnose('ipvs/real-server-skipped', line.at));
    return;
  }
  const shape = line.forward ? (line.tunnelInfo ? 'tunnel-info' : 'forward') : line.numbers.length === 5 ? 'five' : 'four';
  const expected = expectedServerColumns(state);
  let meaning: ServerMeaning;
  if (expected === null) {
    if (shape === 'four') {
      cx.diagnostics.push(diagnose('ipvs/ambiguous-columns', line.at));
      return;
    }
    if (shape === 'five') warnMissingTitle(cx, state, line.numbers[0]!);
    meaning = shape === 'five' ? 'stats' : shape;
  } else {
    const fits =
      expected === 'forward' || expected === 'tunnel-info'
        ? shape === expected
        : shape === (expected === 'stats' || expected === 'rate' ? 'five' : 'four');
    if (!fits) {
      const found = {
        forward: 'a forwarding method and three numbers',
        'tunnel-info': 'a forwarding method, tunnel info and three numbers',
        five: 'five numbers',
        four: 'four numbers',
      }[shape];
      cx.diagnostics.push(diagnose('ipvs/columns-mismatch', line.at, found, columnWording[expected]));
      return;
    }
    meaning = expected;
  }

  const endpoint = readEndpoint(cx, line.endpoint, 'cut-off');
  if (!endpoint) return;
  const n = line.numbers;
  let server: RealServer;
  switch (meaning) {
    case 'forward':
    case 'tunnel-info': {
      const forwardWord = line.forward!;
      let forward = forwardNames[forwardWord.text];
      if (!forward && forwardWord.text === '(null)') {
        cx.diagnostics.push(diagnose('ipvs/null-forward', refIn(cx, forwardWord)));
        forward = 'bypass';
      }
      if (!forward) {
        cx.diagnostics.push(diagnose('ipvs/bad-value', refIn(cx, forwardWord), 'Forwarding method', forwardWord.text, 'Masq, Route, Tunnel or Local'));
        return;
      }
      const weight = readNumber(cx, n[0]!, 'Weight', 0, INT32_MAX);
      const activeConn = readNumber(cx, n[1]!, 'ActiveConn', 0, UINT32_MAX);
      const inactConn = readNumber(cx, n[2]!, 'InActConn', 0, UINT32_MAX);
      if (weight === null || activeConn === null || inactConn === null) return;
      // The common line of a large listing: the object is built without spreads.
      const plain: RealServer = {
        family: endpoint.family,
        address: endpoint.address,
        host: endpoint.host,
        port: endpoint.port,
        portText: endpoint.portText,
        forward,
        weight,
        activeConn,
        inactConn,
        at: line.at,
      };
      const info = line.tunnelInfo?.text;
      const tunnel = info !== undefined ? parseTunnelInfo(info) : null;
      server = info === undefined ? plain : { ...plain, tunnelInfo: info, ...(tunnel ? { tunnel } : {}) };
      break;
    }
    case 'stats':
      server = { ...endpoint, forward: null, weight: null, stats: statsOf(n), at: line.at };
      break;
    case 'rate':
      server = { ...endpoint, forward: null, weight: null, rate: ratesOf(n), at: line.at };
      break;
    case 'thresholds': {
      const [upperThreshold, lowerThreshold] = [readNumber(cx, n[0]!, 'Uthreshold', 0, INT32_MAX), readNumber(cx, n[1]!, 'Lthreshold', 0, INT32_MAX)];
      const [activeConn, inactConn] = [readNumber(cx, n[2]!, 'ActiveConn', 0, UINT32_MAX), readNumber(cx, n[3]!, 'InActConn', 0, UINT32_MAX)];
      if (upperThreshold === null || lowerThreshold === null || activeConn === null || inactConn === null) return;
      server = { ...endpoint, forward: null, weight: null, upperThreshold, lowerThreshold, activeConn, inactConn, at: line.at };
      break;
    }
    case 'persistent-conn': {
      const [weight, persistConn] = [readNumber(cx, n[0]!, 'Weight', 0, INT32_MAX), readNumber(cx, n[1]!, 'PersistConn', 0, UINT32_MAX)];
      const [activeConn, inactConn] = [readNumber(cx, n[2]!, 'ActiveConn', 0, UINT32_MAX), readNumber(cx, n[3]!, 'InActConn', 0, UINT32_MAX)];
      if (weight === null || persistConn === null || activeConn === null || inactConn === null) return;
      server = { ...endpoint, forward: null, weight, persistConn, activeConn, inactConn, at: line.at };
      break;
    }
  }
  const key = realServerKey(server);
  const known = service.servers.get(key);
  if (known && state.seenServers.has(key)) {
    cx.diagnostics.push(diagnose('ipvs/duplicate-real-server', line.at, key, serviceKey(service.fields)));
    table.putServer(service, server);
  } else table.putServer(service, known ? mergeServer(known, server) : server);
  state.seenServers.add(key);
}
