/**
 * NAT ranges as libxt_NAT.c parses and prints them: `[a[-b]][:p[-q[/base]]]`, IPv6 addresses in
 * brackets when ports follow (`[2001:db8::1-2001:db8::5]:80-90`).
 */
import { parseAddress, type AddressRange, type Family } from '../../values/address.js';
import { formatAddressNtop } from '../../values/inet-ntop.js';
import { parseServicePort } from '../../values/services.js';
import type { NatRange } from './types.js';

/** The protocols whose ports NAT can map (NAT.c: "Need TCP, UDP, SCTP or DCCP with port specification"). */
export const PORT_PROTOCOLS: readonly number[] = [6, 17, 132, 33, 136];

function parseAddresses(text: string, family: Family): AddressRange | null {
  const dash = text.indexOf('-');
  const first = parseAddress(dash < 0 ? text : text.slice(0, dash), family);
  const last = dash < 0 ? first : parseAddress(text.slice(dash + 1), family);
  if (!first || !last || first.first > last.first) return null;
  return { family, first: first.first, last: last.first, text: dash < 0 ? first.text : `${first.text}-${last.text}` };
}

function parsePorts(text: string): Pick<NatRange, 'ports' | 'basePort'> | null {
  const slash = text.indexOf('/');
  const rangeText = slash < 0 ? text : text.slice(0, slash);
  const dash = rangeText.indexOf('-');
  const from = parseServicePort(dash < 0 ? rangeText : rangeText.slice(0, dash));
  const to = dash < 0 ? from : parseServicePort(rangeText.slice(dash + 1));
  if (from === null || to === null || from > to) return null;
  if (slash < 0) return { ports: { from, to } };
  const base = parseServicePort(text.slice(slash + 1));
  return base === null ? null : { ports: { from, to }, basePort: base };
}

/** Parses one NAT range; null when it is not one. */
export function parseNatRange(text: string, family: Family): NatRange | null {
  let addressText = text;
  let portText: string | null = null;
  if (family === 'ipv6') {
    if (text.startsWith('[')) {
      const close = text.indexOf(']');
      if (close < 0) return null;
      addressText = text.slice(1, close);
      const rest = text.slice(close + 1);
      if (rest) {
        if (!rest.startsWith(':')) return null;
        portText = rest.slice(1);
      }
    }
  } else {
    const colon = text.indexOf(':');
    if (colon >= 0) {
      addressText = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  const range: { addresses?: AddressRange; ports?: NatRange['ports']; basePort?: number } = {};
  if (addressText) {
    const addresses = parseAddresses(addressText, family);
    if (!addresses) return null;
    range.addresses = addresses;
  }
  if (portText !== null) {
    const ports = parsePorts(portText);
    if (!ports) return null;
    Object.assign(range, ports);
  }
  return range.addresses || range.ports ? range : null;
}

/** sprint_range. */
export function formatNatRange(range: NatRange, family: Family): string {
  let text = '';
  if (range.addresses) {
    const a = range.addresses;
    const addresses = formatAddressNtop(family, a.first) + (a.first !== a.last ? `-${formatAddressNtop(family, a.last)}` : '');
    text = family === 'ipv6' && range.ports ? `[${addresses}]` : addresses;
  }
  if (range.ports) {
    text += `:${range.ports.from}` + (range.ports.to !== range.ports.from ? `-${range.ports.to}` : '');
    if (range.basePort !== undefined) text += `/${range.basePort}`;
  }
  return text;
}
