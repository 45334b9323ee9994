/**
 * Finding virtual services and real servers by identity, as the kernel does
 * (net/netfilter/ipvs/ip_vs_ctl.c: ip_vs_service_find(), ip_vs_lookup_dest()), and the summary
 * the CLI prints for a service.
 */
import { formatAddress, parseAddress, type Cidr, type Family } from '../values/address.js';
import type { IpvsTable, RealServer, ServiceQuery, VirtualService, VirtualServiceSummary } from './types.js';

function hostPort(family: Family, host: string, port: string): string {
  return family === 'ipv6' ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The identity of a virtual service, readable: `tcp 10.96.0.1:443`, `udp [fd00::a]:53`,
 * `fwm ipv4 4711`. Host names and unresolved port names take part as printed.
 */
export function serviceKey(vs: Pick<VirtualService, 'protocol' | 'family' | 'address' | 'host' | 'port' | 'portText' | 'fwmark'>): string {
  if (vs.protocol === 'fwm') return `fwm ${vs.family} ${vs.fwmark ?? '?'}`;
  const host = vs.address ? vs.address.text : (vs.host ?? '?');
  const port = vs.port !== null ? String(vs.port) : (vs.portText ?? '?');
  return `${vs.protocol} ${hostPort(vs.family, host, port)}`;
}

/** The identity of a real server within its service (the kernel keys it by family, address and port). */
export function realServerKey(rs: Pick<RealServer, 'family' | 'address' | 'host' | 'port' | 'portText'>): string {
  const host = rs.address ? rs.address.text : rs.host;
  const port = rs.port !== null ? String(rs.port) : (rs.portText ?? '?');
  return hostPort(rs.family, host, port);
}

const indexes = new WeakMap<IpvsTable, ReadonlyMap<string, VirtualService>>();

function indexOf(table: IpvsTable): ReadonlyMap<string, VirtualService> {
  let index = indexes.get(table);
  if (!index) {
    const built = new Map<string, VirtualService>();
    for (const vs of table.services) built.set(serviceKey(vs), vs);
    indexes.set(table, built);
    index = built;
  }
  return index;
}

/**
 * The virtual service a packet addressed to `query` belongs to, or null.
 *
 * By address: the exact (protocol, address, port) service, else the port-zero service of that
 * address and protocol, which only a persistent service can be ("Zero port specified for
 * non-persistent service"), as ip_vs_service_find() falls back to `nullsvc`. Its FTP-data
 * fallback (a TCP packet to the address of an FTP service) is not modelled.
 *
 * By firewall mark: the fwmark service of that mark and family. The kernel tries the packet's
 * mark first and the address second; a caller that has both should do the same.
 */
export function findVirtualService(table: IpvsTable, query: ServiceQuery): VirtualService | null {
  const index = indexOf(table);
  if ('fwmark' in query) return index.get(`fwm ${query.family ?? 'ipv4'} ${query.fwmark}`) ?? null;
  const address: Cidr | null = typeof query.address === 'string' ? parseAddress(query.address) : query.address;
  if (!address) return null;
  const text = formatAddress(address.family, address.first);
  const exact = index.get(`${query.protocol} ${hostPort(address.family, text, String(query.port))}`);
  if (exact) return exact;
  const anyPort = index.get(`${query.protocol} ${hostPort(address.family, text, '0')}`);
  return anyPort && anyPort.persistent ? anyPort : null;
}

/** The fields `iptlens` prints for a virtual service (`--json`). */
export function summarizeVirtualService(vs: VirtualService): VirtualServiceSummary {
  return {
    protocol: vs.protocol,
    address: vs.protocol === 'fwm' ? null : vs.address ? vs.address.text : vs.host,
    port: vs.port,
    fwmark: vs.fwmark,
    scheduler: vs.scheduler,
    realServers: vs.realServers.map((rs) => ({
      address: rs.address ? rs.address.text : rs.host,
      port: rs.port,
      forward: rs.forward,
      weight: rs.weight,
    })),
  };
}
