/**
 * The node's own addresses: what the kernel answers for as "local" (ip_route_input_slow finds a
 * RTN_LOCAL route in table local). The kernel adds a `local` route for every interface address
 * (net/ipv4/fib_frontend.c fib_add_ifaddr; net/ipv6/addrconf.c for IPv6), and a `local` route may
 * also be added by hand for a whole prefix (127.0.0.0/8, or AnyIP setups): with routes given,
 * those count too.
 */
import type { Interface, LocalAddress, Route } from './types.js';

export function localAddresses(interfaces: readonly Interface[], routes?: readonly Route[]): LocalAddress[] {
  const result: LocalAddress[] = [];
  const seen = new Set<string>();
  for (const iface of interfaces) {
    for (const address of iface.addresses) {
      const key = `${address.family}|${address.address.text}|${iface.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ address: address.address, interface: iface.name, from: 'address', at: address.at });
    }
  }
  for (const route of routes ?? []) {
    if (route.type !== 'local' || route.table !== 'local' || route.destination === 'default') continue;
    const dev = route.dev ?? route.nexthops?.[0]?.dev;
    if (dev === undefined) continue;
    const key = `${route.family}|${route.destination.text}|${dev}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push({ address: route.destination, interface: dev, from: 'local-route', at: route.at });
  }
  return result;
}
