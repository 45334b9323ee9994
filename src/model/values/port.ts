/** Ports and port ranges as iptables writes them: `80`, `30000:32767`, `:1024`, `1024:`. */

/** An inclusive port range; a single port has from === to. */
export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/**
 * Parses a port or `a:b` range (iptables also accepts `a-b` in multiport lists and in NAT
 * targets). Service names (`http`) are resolved for the common ones only: iptables-save always
 * prints numbers, so a name means hand-written input. Returns null when not a port.
 */
export function parsePortRange(text: string, separator: ':' | '-' = ':'): PortRange | null {
  const i = text.indexOf(separator);
  if (i < 0) {
    const p = parsePort(text);
    return p === null ? null : { from: p, to: p };
  }
  const a = i === 0 ? 0 : parsePort(text.slice(0, i));
  const b = i === text.length - 1 ? 65535 : parsePort(text.slice(i + 1));
  if (a === null || b === null || a > b) return null;
  return { from: a, to: b };
}

const serviceNames: Readonly<Record<string, number>> = {
  ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, www: 80, pop3: 110, ntp: 123,
  imap: 143, snmp: 161, ldap: 389, https: 443, smtps: 465, submission: 587, imaps: 993, pop3s: 995,
  'http-alt': 8080, bootps: 67, bootpc: 68, tftp: 69, syslog: 514, mysql: 3306, postgresql: 5432,
};

export function parsePort(text: string): number | null {
  if (/^\d{1,5}$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : null;
  }
  return serviceNames[text] ?? null;
}

export function formatPortRange(range: PortRange, separator: ':' | '-' = ':'): string {
  return range.from === range.to ? String(range.from) : `${range.from}${separator}${range.to}`;
}
