/**
 * Replaying `ipvsadm -Sn` output (or any `ipvsadm -R` input) against the table, one command per
 * line, as ipvsadm's process_options() and then the kernel (ip_vs_ctl.c) would: the defaults
 * ipvsadm fills in, the checks it makes, and the errors the kernel returns (worded as
 * ipvs_strerror() words them). A line either side would refuse is reported and not applied.
 *
 * The file is past 400 lines because it follows process_options() step by step (read the
 * options in order, fill in defaults, check, then act): split, the order of the checks — which
 * decides which refusal a user sees — would no longer be readable in one place.
 */
import { diagnose } from '../../../grammar/diagnostics.js';
import type { IpvsLineSyntax, ValueSyntax } from '../../../grammar/ipvsadm/syntax.js';
import type { SourceRef } from '../../../grammar/source.js';
import { realServerKey, serviceKey } from './lookup.js';
import { parseCommandLine, type ParsedCommand } from './options.js';
import type { IpvsTableBuilder, ServiceDraft, ServiceFields } from './table.js';
import type { PersistenceMask, RealServer, TrafficStats, TunnelSettings } from './types.js';
import { INT32_MAX, parsePersistenceMask, readEndpoint, refIn, UINT32_MAX, type ReadContext, type ReadEndpoint } from './values.js';

/** libipvs.h IPVS_SVC_PERSISTENT_TIMEOUT (6*60): what `-p` without a value sets (ipvsadm(8) says 300; the code says 360). */
const DEFAULT_PERSISTENT_TIMEOUT = 360;
/** ipvsadm.c MAX_TIMEOUT: 31 days. */
const MAX_TIMEOUT = 86400 * 31;
/** ipvsadm.c DEF_SCHED. */
const DEFAULT_SCHEDULER = 'wlc';
/** The kernel's defaults before any `--set` (ip_vs_proto_tcp.c ESTABLISHED 15 min, FIN_WAIT 2 min; ip_vs_proto_udp.c 5 min). */
const DEFAULT_TIMEOUTS = { tcp: 900, tcpFin: 120, udp: 300 } as const;

type ServiceIdentity = Pick<ServiceFields, 'protocol' | 'family' | 'address' | 'host' | 'port' | 'portText' | 'fwmark'>;
type Forward = 'masq' | 'route' | 'tunnel';

/** struct ipvs_command_entry: what the options of one line set. */
interface CommandEntry {
  service: ServiceIdentity | null;
  scheduler: string | null;
  /** Null: not persistent. */
  timeout: number | null;
  netmask: PersistenceMask | null;
  engine: string | null;
  schedFlags: ValueSyntax | null;
  onePacket: boolean;
  server: (ReadEndpoint & { readonly portWritten: boolean }) | null;
  forward: Forward;
  weight: number;
  upperThreshold: number;
  lowerThreshold: number;
  tunType: TunnelSettings['type'] | null;
  tunPort: number | null;
  checksums: ('nocsum' | 'csum' | 'remcsum')[];
}

function single(value: ValueSyntax | undefined): string | null {
  return value ? value.text : null;
}

/** A whole number in [min, max] as ipvsadm's string_to_number() takes it; null otherwise. */
function wholeNumber(text: string | null, min: number, max: number): number | null {
  if (text === null || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/**
 * parse_sched_flags(): each flag sets SCHED1, 2 or 3; the sh-/mh- names only with their
 * scheduler. The result is named the way print_sched_flags() lists it.
 */
function schedulerFlags(scheduler: string, arg: ValueSyntax): { flags: string[] } | { refused: string } {
  let bits = 0;
  for (const part of arg.parts) {
    const flag = part.text;
    const named: Readonly<Record<string, [number, string | null]>> = {
      'flag-1': [1, null],
      'flag-2': [2, null],
      'flag-3': [4, null],
      'sh-fallback': [1, 'sh'],
      'sh-port': [2, 'sh'],
      'mh-fallback': [1, 'mh'],
      'mh-port': [2, 'mh'],
    };
    const entry = named[flag];
    if (!entry) return { refused: `invalid scheduler flag \`${flag}'` };
    if (entry[1] !== null && entry[1] !== scheduler) return { refused: `incompatible scheduler flag \`${flag}'` };
    bits |= entry[0];
  }
  const names = scheduler === 'sh' || scheduler === 'mh' ? [`${scheduler}-fallback`, `${scheduler}-port`, 'flag-3'] : ['flag-1', 'flag-2', 'flag-3'];
  return { flags: names.filter((_, i) => (bits & (1 << i)) !== 0) };
}

/** Reads the options of a parsed line in order, as parse_options() does; a string is ipvsadm's refusal. */
function readEntry(cx: ReadContext, parsed: ParsedCommand): CommandEntry | string | null {
  const e: CommandEntry = {
    service: null,
    scheduler: null,
    timeout: null,
    netmask: null,
    engine: null,
    schedFlags: null,
    onePacket: false,
    server: null,
    forward: 'route', // process_options(): "Set direct routing as default forwarding method"
    weight: 1, // "Set the default weight 1"
    upperThreshold: 0,
    lowerThreshold: 0,
    tunType: null,
    tunPort: null,
    checksums: [],
  };
  for (const { name, syntax } of parsed.options) {
    const value = syntax.values[0];
    const text = single(value);
    switch (name) {
      case 'tcp-service':
      case 'udp-service':
      case 'sctp-service': {
        // parse_service(): a plain number is not an address; host names and service names are looked up.
        if (!value?.endpoint || /^\d+$/.test(value.text)) return 'illegal virtual server address[:port] specified';
        const endpoint = readEndpoint(cx, value.endpoint, 'allowed');
        if (!endpoint) return null;
        const protocol = name === 'tcp-service' ? 'tcp' : name === 'udp-service' ? 'udp' : 'sctp';
        // "The Port may be omitted, in which case zero will be used." (ipvsadm(8))
        e.service = { protocol, ...endpoint, port: endpoint.port ?? (endpoint.portText === null ? 0 : null), fwmark: null };
        break;
      }
      case 'fwmark-service': {
        const mark = wholeNumber(text, 1, UINT32_MAX);
        if (mark === null) return `invalid fwmark value \`${text ?? ''}' specified`;
        e.service = { protocol: 'fwm', family: 'ipv4', address: null, host: null, port: null, portText: null, fwmark: mark };
        break;
      }
      case 'ipv6':
        if (e.service?.protocol !== 'fwm') return '-6 used before -f';
        e.service = { ...e.service, family: 'ipv6' };
        break;
      case 'scheduler':
        e.scheduler = text;
        break;
      case 'persistent': {
        if (text === null) e.timeout = DEFAULT_PERSISTENT_TIMEOUT;
        else {
          e.timeout = wholeNumber(text, 1, MAX_TIMEOUT);
          if (e.timeout === null) return `invalid timeout value \`${text}' specified`;
        }
        break;
      }
      case 'netmask': {
        // The family known when -M is read decides how it is read, as in parse_options().
        const family = e.service?.family === 'ipv6' ? 'ipv6' : 'ipv4';
        e.netmask = text === null ? null : parsePersistenceMask(text, family);
        if (!e.netmask) return family === 'ipv6' ? 'illegal ipv6 netmask specified' : 'illegal virtual server persistent mask specified';
        break;
      }
      case 'pe':
        e.engine = text;
        break;
      case 'sched-flags':
        e.schedFlags = value ?? null;
        break;
      case 'ops':
        e.onePacket = true;
        break;
      case 'real-server': {
        if (!value?.endpoint || /^\d+$/.test(value.text)) return 'illegal real server address[:port] specified';
        const endpoint = readEndpoint(cx, value.endpoint, 'allowed');
        if (!endpoint) return null;
        // "copy vport to dport if not specified" (parse_options()).
        const portWritten = endpoint.portText !== null;
        const port = portWritten ? endpoint.port : (e.service?.port ?? 0);
        e.server = { ...endpoint, port, portWritten };
        break;
      }
      case 'masquerading':
        e.forward = 'masq';
        break;
      case 'ipip':
        e.forward = 'tunnel';
        break;
      case 'gatewaying':
        e.forward = 'route';
        break;
      case 'weight': {
        // ipvsadm(8): "The valid values of weight are 0 through to 2147483647."
        const weight = wholeNumber(text, 0, INT32_MAX);
        if (weight === null) return 'illegal weight specified';
        e.weight = weight;
        break;
      }
      case 'u-threshold':
      case 'l-threshold': {
        const threshold = wholeNumber(text, 0, INT32_MAX);
        if (threshold === null) return name === 'u-threshold' ? 'illegal u_threshold specified' : 'illegal l_threshold specified';
        if (name === 'u-threshold') e.upperThreshold = threshold;
        else e.lowerThreshold = threshold;
        break;
      }
      case 'tun-type':
        if (text !== 'ipip' && text !== 'gue' && text !== 'gre') return 'illegal tunnel type specified';
        e.tunType = text;
        break;
      case 'tun-port':
        e.tunPort = wholeNumber(text, 1, 65535);
        if (e.tunPort === null) return 'illegal tunnel port specified';
        break;
      case 'tun-nocsum':
        e.checksums.push('nocsum');
        break;
      case 'tun-csum':
        e.checksums.push('csum');
        break;
      case 'tun-remcsum':
        e.checksums.push('remcsum');
        break;
      // Listing and daemon options: parseCommandLine() refused them with the table commands.
      case 'numeric':
      case 'connection':
      case 'mcast-interface':
      case 'syncid':
      case 'timeout':
      case 'daemon':
      case 'stats':
      case 'rate':
      case 'thresholds':
      case 'persistent-conn':
      case 'nosort':
      case 'sort':
      case 'exact':
      case 'mcast-group':
      case 'mcast-port':
      case 'mcast-ttl':
      case 'sync-maxlen':
      case 'tun-info':
        break;
    }
  }
  return e;
}

/** tunnel_opt_check() and the tunnel checks of process_options(). */
function tunnelOf(e: CommandEntry): TunnelSettings | string | undefined {
  const anyOption = e.tunType !== null || e.tunPort !== null || e.checksums.length > 0;
  if (e.forward !== 'tunnel') return anyOption ? 'Tunnel options conflict with forward method' : undefined;
  const type = e.tunType ?? 'ipip';
  if (e.checksums.length > 1) return `The option 'tun-${e.checksums[1]}' conflicts with the 'tun-${e.checksums[0]}' option in the '${type}' tunnel type`;
  const checksum = e.checksums[0];
  switch (type) {
    case 'ipip':
      if (e.tunPort !== null) return "Illegal 'tun-port' option with the 'ipip' tunnel type";
      if (checksum) return `Illegal 'tun-${checksum}' option with the 'ipip' tunnel type`;
      return { type };
    case 'gue':
      if (e.tunPort === null) return "You need to supply the 'tun-port' option for the 'gue' tunnel type";
      return checksum ? { type, port: e.tunPort, checksum } : { type, port: e.tunPort };
    case 'gre':
      if (e.tunPort !== null) return "Illegal 'tun-port' option with the 'gre' tunnel type";
      if (checksum === 'remcsum') return "Illegal 'tun-remcsum' option with the 'gre' tunnel type";
      return checksum ? { type, checksum } : { type };
  }
}

const zero = { value: 0n, rounded: false } as const;
const zeroStats: TrafficStats = { conns: zero, inPkts: zero, outPkts: zero, inBytes: zero, outBytes: zero };

/** `-Z`: ip_vs_zero_service() clears the counters of a service and of its real servers. */
function zeroCounters(table: IpvsTableBuilder, draft: ServiceDraft): void {
  if (draft.fields.stats) draft.fields = { ...draft.fields, stats: zeroStats };
  for (const server of [...draft.servers.values()]) {
    if (server.stats) table.putServer(draft, { ...server, stats: zeroStats });
  }
}

export function applyCommandLine(cx: ReadContext, table: IpvsTableBuilder, line: Extract<IpvsLineSyntax, { kind: 'command' }>): void {
  const parsed = parseCommandLine(cx, line);
  if (!parsed) return;
  const at: SourceRef = line.at;
  const refuse = (why: string, where: SourceRef = at): void => {
    cx.diagnostics.push(diagnose('ipvs/restore-refused', where, why));
  };
  switch (parsed.command) {
    case 'list':
    case 'save':
    case 'restore':
    case 'help':
    case 'version':
    case 'start-daemon':
    case 'stop-daemon':
      cx.diagnostics.push(diagnose('ipvs/ignored-command', at, parsed.commandOption.name.text));
      return;
    case 'flush':
      table.clear();
      return;
    case 'set': {
      // ipvsadm(8): "A timeout value 0 means that the current timeout value … is preserved."
      const [tcp, tcpFin, udp] = parsed.commandOption.values.map((v) => wholeNumber(v.text, 0, MAX_TIMEOUT));
      if (tcp == null || tcpFin == null || udp == null) {
        const bad = parsed.commandOption.values.find((v) => wholeNumber(v.text, 0, MAX_TIMEOUT) === null)!;
        refuse(`invalid timeout value \`${bad.text}' specified`, refIn(cx, bad));
        return;
      }
      const current = table.timeouts ?? DEFAULT_TIMEOUTS;
      table.timeouts = { tcp: tcp || current.tcp, tcpFin: tcpFin || current.tcpFin, udp: udp || current.udp };
      return;
    }
    case 'zero':
    case 'add-service':
    case 'edit-service':
    case 'delete-service':
    case 'add-server':
    case 'edit-server':
    case 'delete-server':
      break;
  }

  const entry = readEntry(cx, parsed);
  if (entry === null) return;
  if (typeof entry === 'string') {
    refuse(entry);
    return;
  }
  const service = entry.service;
  if (parsed.command === 'zero') {
    if (!service) {
      for (const draft of table.all()) zeroCounters(table, draft);
      return;
    }
    const draft = table.get(serviceKey(service));
    if (!draft) refuse('No such service');
    else zeroCounters(table, draft);
    return;
  }
  // parseCommandLine() required a service for every command below.
  if (!service) return;
  const key = serviceKey(service);
  const draft = table.get(key);

  switch (parsed.command) {
    case 'add-service':
    case 'edit-service': {
      const scheduler = entry.scheduler ?? DEFAULT_SCHEDULER;
      if (service.protocol !== 'fwm' && service.port === 0 && entry.timeout === null) {
        refuse('Zero port specified for non-persistent service');
        return;
      }
      if (entry.onePacket && service.protocol !== 'fwm' && service.protocol !== 'udp') {
        refuse('One-Packet Scheduling is only for UDP virtual services');
        return;
      }
      let flags: string[] = [];
      if (entry.schedFlags) {
        const result = schedulerFlags(scheduler, entry.schedFlags);
        if ('refused' in result) {
          refuse(result.refused, refIn(cx, entry.schedFlags));
          return;
        }
        flags = result.flags;
      }
      const persistent =
        entry.timeout === null
          ? null
          : {
              timeout: entry.timeout,
              // The default granularity (one host) is not a mask ipvsadm would print.
              ...(entry.netmask && entry.netmask.prefix !== (service.family === 'ipv6' ? 128 : 32) ? { netmask: entry.netmask } : {}),
              ...(entry.engine ? { engine: entry.engine } : {}),
            };
      const fields: ServiceFields = { ...service, scheduler, flags, onePacket: entry.onePacket, persistent, at };
      if (parsed.command === 'add-service') {
        if (draft) refuse('Service already exists');
        else table.add(fields);
      } else if (!draft) refuse('No such service');
      else draft.fields = { ...fields, ...(draft.fields.stats ? { stats: draft.fields.stats } : {}), ...(draft.fields.rate ? { rate: draft.fields.rate } : {}) };
      return;
    }
    case 'delete-service':
      if (!draft) refuse('No such service');
      else table.remove(key);
      return;
    case 'add-server':
    case 'edit-server':
    case 'delete-server':
      break;
  }

  const server = entry.server;
  if (!server) return;
  let port = server.port;
  if (parsed.command !== 'delete-server' && service.protocol !== 'fwm' && (entry.forward === 'route' || entry.forward === 'tunnel')) {
    // "The destination port must be equal to the service port if … TUNNEL or … DROUTE is set."
    if (server.portWritten && server.port !== service.port && service.port !== null) {
      cx.diagnostics.push(diagnose('ipvs/port-ignored', at, server.portText ?? '', service.port));
    }
    port = service.port;
  }
  if (parsed.command !== 'delete-server' && server.family !== service.family && entry.forward !== 'tunnel') {
    refuse('Different address family is allowed only for tunneling servers');
    return;
  }
  const tunnel = parsed.command === 'delete-server' ? undefined : tunnelOf(entry);
  if (typeof tunnel === 'string') {
    refuse(tunnel);
    return;
  }
  const { portWritten: _written, ...endpoint } = server;
  const real: RealServer = {
    ...endpoint,
    port,
    forward: entry.forward,
    weight: entry.weight,
    upperThreshold: entry.upperThreshold,
    lowerThreshold: entry.lowerThreshold,
    ...(tunnel ? { tunnel } : {}),
    at,
  };
  if (!draft) {
    refuse('Service not defined');
    return;
  }
  const serverKey = realServerKey(real);
  const existing = draft.servers.get(serverKey);
  switch (parsed.command) {
    case 'add-server':
      if (existing) refuse('Destination already exists');
      else table.putServer(draft, real);
      return;
    case 'edit-server':
      // ip_vs_edit_dest() changes the settings; the connection counters stay.
      if (!existing) refuse('No such destination');
      else {
        const { activeConn, inactConn, persistConn, stats, rate } = existing;
        table.putServer(draft, {
          ...real,
          ...(activeConn !== undefined ? { activeConn } : {}),
          ...(inactConn !== undefined ? { inactConn } : {}),
          ...(persistConn !== undefined ? { persistConn } : {}),
          ...(stats ? { stats } : {}),
          ...(rate ? { rate } : {}),
        });
      }
      return;
    case 'delete-server':
      if (!existing) refuse('No such destination');
      else table.removeServer(draft, serverKey);
      return;
  }
}
