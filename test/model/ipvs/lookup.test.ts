import { describe, expect, it } from 'vitest';
import { parseIpvsadmText } from '../../../grammar/ipvsadm/parse.js';
import { buildIpvs, findVirtualService, serviceKey } from '../../../src/model/ipvs/build.js';
import { parseAddress } from '../../../src/model/values/address.js';

const { table, diagnostics } = buildIpvs(
  parseIpvsadmText({
    name: 'ipvsadm-save.txt',
    text: [
      '-A -t 10.96.0.1:443 -s rr',
      '-A -u 10.96.0.10:53 -s rr',
      '-A -t 10.96.0.10:53 -s rr',
      '-A -t 192.168.1.10:0 -s sh -p 3600',
      '-A -t 192.168.1.10:22 -s rr',
      '-A -t [fd00::a]:443 -s rr',
      '-A -f 4711 -s wlc',
      '-A -f 4711 -6 -s wlc',
      '',
    ].join('\n'),
  }),
);

const key = (vs: ReturnType<typeof findVirtualService>) => (vs ? serviceKey(vs) : null);

describe('findVirtualService', () => {
  it('reads its fixture without diagnostics', () => {
    expect(diagnostics).toEqual([]);
  });

  it('finds a service by protocol, address and port', () => {
    expect(key(findVirtualService(table, { protocol: 'tcp', address: '10.96.0.1', port: 443 }))).toBe('tcp 10.96.0.1:443');
    expect(key(findVirtualService(table, { protocol: 'udp', address: '10.96.0.10', port: 53 }))).toBe('udp 10.96.0.10:53');
    expect(key(findVirtualService(table, { protocol: 'tcp', address: parseAddress('10.96.0.10')!, port: 53 }))).toBe('tcp 10.96.0.10:53');
  });

  it('tells protocols and ports apart', () => {
    expect(findVirtualService(table, { protocol: 'udp', address: '10.96.0.1', port: 443 })).toBeNull();
    expect(findVirtualService(table, { protocol: 'tcp', address: '10.96.0.1', port: 80 })).toBeNull();
    expect(findVirtualService(table, { protocol: 'sctp', address: '10.96.0.10', port: 53 })).toBeNull();
  });

  it('falls back to the persistent port-zero service of the address, after an exact port', () => {
    expect(key(findVirtualService(table, { protocol: 'tcp', address: '192.168.1.10', port: 22 }))).toBe('tcp 192.168.1.10:22');
    expect(findVirtualService(table, { protocol: 'tcp', address: '192.168.1.10', port: 8080 })?.scheduler).toBe('sh');
    expect(findVirtualService(table, { protocol: 'udp', address: '192.168.1.10', port: 8080 })).toBeNull();
  });

  it('matches IPv6 addresses however they are spelled', () => {
    const found = findVirtualService(table, { protocol: 'tcp', address: 'fd00:0:0::00a', port: 443 });
    expect(found?.family).toBe('ipv6');
    expect(found?.address?.first).toBe(parseAddress('fd00::a')!.first);
  });

  it('finds firewall-mark services by mark and family', () => {
    expect(findVirtualService(table, { fwmark: 4711 })?.family).toBe('ipv4');
    expect(findVirtualService(table, { fwmark: 4711, family: 'ipv6' })?.family).toBe('ipv6');
    expect(findVirtualService(table, { fwmark: 4712 })).toBeNull();
  });

  it('finds nothing for text that is not an address', () => {
    expect(findVirtualService(table, { protocol: 'tcp', address: 'kubernetes', port: 443 })).toBeNull();
  });
});

describe('serviceKey', () => {
  it('names each service by its identity, distinct for every service of the table', () => {
    const keys = table.services.map(serviceKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe('tcp 10.96.0.1:443');
    expect(keys.filter((k) => k.startsWith('fwm'))).toEqual(['fwm ipv4 4711', 'fwm ipv6 4711']);
    expect(keys.find((k) => k.includes('['))).toMatch(/^tcp \[fd00:[0-9a-f:]+\]:443$/);
  });
});
