/** Port options shared by the tcp, udp, udplite, sctp and dccp matches (libxt_tcp.c parse_tcp_ports, save). */
import type { PortRange } from '../../values/port.js';
import { parseServicePortRange } from '../../values/services.js';
import { negOpt, type PrintedOption } from './module.js';
import type { OptionReader } from './read.js';
import type { Negatable } from './types.js';

/** `--sport 1:1024` (a service name or number per end; `:b` from 0, `a:` to 65535). */
export function readPort(r: OptionReader, canonical: string): Negatable<{ readonly range: PortRange }> | undefined {
  const read = r.value(canonical, (t) => parseServicePortRange(t, ':'), 'a port or first:last port range');
  if (!read) return undefined;
  // The kernel cannot tell "0:65535" from no option: iptables-save omits it (tcp_save).
  if (read.value.from === 0 && read.value.to === 65535 && !read.negated) return undefined;
  return { range: read.value, negated: read.negated };
}

export function printPort(name: string, port: Negatable<{ readonly range: PortRange }> | undefined): PrintedOption[] {
  if (!port) return [];
  const { from, to } = port.range;
  return [negOpt(port.negated, name, from === to ? String(from) : `${from}:${to}`)];
}
