/**
 * kube-proxy's chain names, recomputed. pkg/proxy/iptables/proxier.go names every per-Service-port
 * chain `PREFIX + portProtoHash(servicePortName, protocol)`, where portProtoHash is the first 16
 * characters of base32(sha256(servicePortName + protocol)) with the standard alphabet (RFC 4648),
 * servicePortName is `namespace/name` or `namespace/name:port` (proxy.ServicePortName.String())
 * and protocol is lower case. An endpoint chain hashes the endpoint too:
 * `KUBE-SEP-` + base32(sha256(servicePortName + protocol + "ip:port"))[:16], IPv6 as `[ip]:port`.
 * KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW- and (before 1.24) KUBE-XLB- of one Service port share
 * its hash, which is how this module ties them together when comments are missing.
 */
import { createHash } from 'node:crypto';
import type { ServiceProtocol } from './types.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, standard alphabet, no padding (Go's base32.StdEncoding before its `=` padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

function hash16(text: string): string {
  return base32(createHash('sha256').update(text, 'utf8').digest()).slice(0, 16);
}

/** A Service port's name as kube-proxy writes it: `ns/name` or `ns/name:port`. */
export function servicePortNameString(namespace: string, name: string, portName: string): string {
  return portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`;
}

/** portProtoHash (proxier.go): the 16 characters every per-Service-port chain name ends with. */
export function portProtoHash(servicePortName: string, protocol: ServiceProtocol): string {
  return hash16(servicePortName + protocol);
}

/** servicePortEndpointChainName (proxier.go): the KUBE-SEP- chain of one endpoint. */
export function endpointChainName(servicePortName: string, protocol: ServiceProtocol, address: string, port: number): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `KUBE-SEP-${hash16(`${servicePortName}${protocol}${host}:${port}`)}`;
}

/** The per-Service-port chain kinds, by prefix. */
export type ServiceChainKind = 'svc' | 'svl' | 'ext' | 'fw' | 'xlb';

const PREFIXES: Readonly<Record<ServiceChainKind, string>> = {
  svc: 'KUBE-SVC-',
  svl: 'KUBE-SVL-',
  ext: 'KUBE-EXT-',
  fw: 'KUBE-FW-',
  xlb: 'KUBE-XLB-',
};

/** The chain of a kind for a hash. */
export function serviceChainName(kind: ServiceChainKind, hash: string): string {
  return PREFIXES[kind] + hash;
}

/** True for the 16 base32 characters of a kube-proxy hash. */
function isHash(text: string): boolean {
  if (text.length !== 16) return false;
  for (const c of text) if (!BASE32.includes(c)) return false;
  return true;
}

/** What a chain name says: a per-Service-port chain and its hash, an endpoint chain, or neither. */
export type ChainNameInfo =
  | { readonly kind: ServiceChainKind; readonly hash: string }
  | { readonly kind: 'sep'; readonly hash: string }
  | null;

export function readChainName(chain: string): ChainNameInfo {
  if (chain.startsWith('KUBE-SEP-')) {
    const hash = chain.slice('KUBE-SEP-'.length);
    return isHash(hash) ? { kind: 'sep', hash } : null;
  }
  for (const kind of Object.keys(PREFIXES) as ServiceChainKind[]) {
    const prefix = PREFIXES[kind];
    if (!chain.startsWith(prefix)) continue;
    const hash = chain.slice(prefix.length);
    return isHash(hash) ? { kind, hash } : null;
  }
  return null;
}

/** `ns/name[:port]` split; null when the text is not a Service port name (no `/`, or spaces). */
export function readServicePortName(text: string): { namespace: string; name: string; portName: string } | null {
  if (text.length === 0 || /\s/.test(text)) return null;
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return null;
  const namespace = text.slice(0, slash);
  const rest = text.slice(slash + 1);
  const colon = rest.indexOf(':');
  if (colon === 0) return null;
  const name = colon < 0 ? rest : rest.slice(0, colon);
  const portName = colon < 0 ? '' : rest.slice(colon + 1);
  if (name.includes('/') || portName.includes(':') || portName.includes('/')) return null;
  return { namespace, name, portName };
}
