/**
 * Property tests: a random IPVS table printed the way ipvsadm 1.31 prints it (every listing
 * layout, and `-Sn`) reads back as the same table.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpvsadmText } from '../../../grammar/ipvsadm/parse.js';
import { buildIpvs } from '../../../src/model/ipvs/build.js';
import type { IpvsCount, VirtualService } from '../../../src/model/ipvs/types.js';
import { parseAddress } from '../../../src/model/values/address.js';
import { printListing, printSave, type ListingFormat, type PrintedServer, type PrintedService } from './ipvsadm-printer.js';

const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((o) => o.join('.'));
const ipv6 = fc
  .tuple(fc.integer({ min: 0x2001, max: 0xfdff }), fc.nat(0xffff), fc.nat(0xffff))
  .map(([a, b, c]) => parseAddress(`${a.toString(16)}::${b.toString(16)}:${c.toString(16)}`)!)
  // inet_ntop's text: the compressed form (RFC 5952), computed here without the model.
  .map((cidr) => compress(cidr.first));

function compress(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Counters of every magnitude print_largenum() tells apart: plain, K, M, G, T. */
const counter = fc
  .integer({ min: 1, max: 17 })
  .chain((digits) => fc.bigInt({ min: digits === 1 ? 0n : 10n ** BigInt(digits - 1), max: 10n ** BigInt(digits) - 1n }));
const counters = fc.tuple(counter, counter, counter, counter, counter);
/** The rate columns: the first three are plain %8llu, small in practice. */
const rates = fc.tuple(fc.bigInt({ min: 0n, max: 99_999_999n }), fc.bigInt({ min: 0n, max: 99_999_999n }), fc.bigInt({ min: 0n, max: 99_999_999n }), counter, counter);

function serverArb(family: 'ipv4' | 'ipv6', servicePort: number | null): fc.Arbitrary<PrintedServer> {
  return fc
    .record({
      forward: fc.constantFrom('Masq', 'Route', 'Tunnel', 'Local') as fc.Arbitrary<PrintedServer['forward']>,
      // Only tunnelling servers may be of the other family (process_options()).
      otherFamily: fc.boolean(),
      v4: ipv4,
      v6: ipv6,
      port: fc.nat(65535),
      weight: fc.nat(100000),
      activeConn: fc.nat(4294967295),
      inactConn: fc.nat(4294967295),
      persistConn: fc.nat(100000),
      upperThreshold: fc.nat(65535),
      lowerThreshold: fc.nat(65535),
      stats: counters,
      rate: rates,
    })
    .map((r) => {
      const f = r.forward === 'Tunnel' && r.otherFamily ? (family === 'ipv4' ? 'ipv6' : 'ipv4') : family;
      // Direct routing and tunnelling servers take the service's port (process_options()).
      const port = servicePort !== null && r.forward !== 'Masq' ? servicePort : r.port;
      return { ...r, family: f, address: f === 'ipv4' ? r.v4 : r.v6, port };
    });
}

const serviceArb: fc.Arbitrary<PrintedService> = fc
  .record({
    protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'FWM') as fc.Arbitrary<PrintedService['protocol']>,
    family: fc.constantFrom('ipv4', 'ipv6') as fc.Arbitrary<'ipv4' | 'ipv6'>,
    v4: ipv4,
    v6: ipv6,
    port: fc.integer({ min: 1, max: 65535 }),
    fwmark: fc.integer({ min: 1, max: 4294967295 }),
    scheduler: fc.constantFrom('rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh'),
    flagBits: fc.nat(7),
    persistent: fc.option(
      fc.record({
        timeout: fc.integer({ min: 1, max: 86400 * 31 }),
        prefix: fc.option(fc.integer({ min: 1, max: 31 })),
        engine: fc.option(fc.constant('sip')),
      }),
    ),
    ops: fc.boolean(),
    stats: counters,
    rate: rates,
  })
  .chain((s) => {
    const port = s.protocol === 'FWM' ? null : s.persistent && s.port % 5 === 0 ? 0 : s.port;
    return fc
      .uniqueArray(serverArb(s.family, port), { maxLength: 4, selector: (e) => `${e.family} ${e.address} ${e.port}` })
      .map((servers): PrintedService => {
        const named = s.scheduler === 'sh' || s.scheduler === 'mh' ? [`${s.scheduler}-fallback`, `${s.scheduler}-port`] : ['flag-1', 'flag-2', 'flag-3'];
        const mask = (prefix: number) =>
          s.family === 'ipv6'
            ? String(prefix * 4)
            : [24, 16, 8, 0].map((shift) => ((0xffffffff << (32 - prefix)) >>> shift) & 255).join('.');
        return {
          protocol: s.protocol,
          family: s.family,
          address: s.family === 'ipv4' ? s.v4 : s.v6,
          port: port ?? 0,
          fwmark: s.fwmark,
          scheduler: s.scheduler,
          flags: named.filter((_, i) => (s.flagBits & (1 << i)) !== 0),
          persistent: s.persistent ? { timeout: s.persistent.timeout, mask: s.persistent.prefix === null ? null : mask(s.persistent.prefix), engine: s.persistent.engine } : null,
          // One-packet scheduling: UDP and fwmark services only.
          ops: s.ops && (s.protocol === 'UDP' || s.protocol === 'FWM'),
          stats: s.stats,
          rate: s.rate,
          servers,
        };
      });
  });

const tableArb = fc.uniqueArray(serviceArb, {
  maxLength: 6,
  selector: (s) => (s.protocol === 'FWM' ? `FWM ${s.family} ${s.fwmark}` : `${s.protocol} ${s.address} ${s.port}`),
});

/** What print_largenum() leaves of a count. */
function shown(n: bigint, exact: boolean): IpvsCount {
  if (exact || n < 100000000n) return { value: n, rounded: false };
  const unit = n < 1000000000n ? 1000n : n < 100000000000n ? 1000000n : n < 100000000000000n ? 1000000000n : 1000000000000n;
  return { value: (n / unit) * unit, rounded: true };
}

function identity(vs: VirtualService) {
  return { protocol: vs.protocol, family: vs.family, address: vs.address?.first ?? null, port: vs.port, fwmark: vs.fwmark };
}

function expectedIdentity(s: PrintedService) {
  return s.protocol === 'FWM'
    ? { protocol: 'fwm', family: s.family, address: null, port: null, fwmark: s.fwmark }
    : { protocol: s.protocol.toLowerCase(), family: s.family, address: parseAddress(s.address)!.first, port: s.port, fwmark: null };
}

function read(text: string) {
  const result = buildIpvs(parseIpvsadmText({ name: 'generated', text }));
  // Only informational diagnostics are expected of what ipvsadm itself prints.
  expect(result.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  return result.table;
}

describe('ipvsadm -Ln listings read back as the table that was printed', () => {
  it.each(['plain', 'stats', 'stats-exact', 'rate', 'thresholds', 'persistent-conn'] as const)('%s', (format: ListingFormat) => {
    fc.assert(
      fc.property(tableArb, (services) => {
        const table = read(printListing(services, format));
        expect(table.services.map(identity)).toEqual(services.map(expectedIdentity));
        services.forEach((s, i) => {
          const vs = table.services[i]!;
          const counted = format === 'stats' || format === 'stats-exact' || format === 'rate';
          if (counted) expect(vs.scheduler).toBeNull();
          else {
            expect(vs.scheduler).toBe(s.scheduler);
            expect(vs.flags).toEqual(s.flags);
            expect(vs.onePacket).toBe(s.ops);
            expect(vs.persistent?.timeout ?? null).toBe(s.persistent?.timeout ?? null);
            expect(vs.persistent?.netmask?.text ?? null).toBe(s.persistent?.mask ?? null);
            expect(vs.persistent?.engine ?? null).toBe(s.persistent?.engine ?? null);
          }
          const exact = format === 'stats-exact';
          if (format === 'stats' || format === 'stats-exact') {
            expect(Object.values(vs.stats!)).toEqual(s.stats.map((n) => shown(n, exact)));
          }
          if (format === 'rate') expect(Object.values(vs.rate!)).toEqual(s.rate.map((n) => shown(n, false)));
          expect(vs.realServers.map((rs) => [rs.family, rs.address?.first, rs.port])).toEqual(
            s.servers.map((e) => [e.family, parseAddress(e.address)!.first, e.port]),
          );
          s.servers.forEach((e, j) => {
            const rs = vs.realServers[j]!;
            switch (format) {
              case 'plain':
                expect([rs.forward, rs.weight, rs.activeConn, rs.inactConn]).toEqual([e.forward.toLowerCase(), e.weight, e.activeConn, e.inactConn]);
                break;
              case 'stats':
              case 'stats-exact':
                expect([rs.forward, rs.weight]).toEqual([null, null]);
                expect(Object.values(rs.stats!)).toEqual(e.stats.map((n) => shown(n, exact)));
                break;
              case 'rate':
                expect(Object.values(rs.rate!)).toEqual(e.rate.map((n) => shown(n, false)));
                break;
              case 'thresholds':
                expect([rs.upperThreshold, rs.lowerThreshold, rs.activeConn, rs.inactConn, rs.weight]).toEqual([e.upperThreshold, e.lowerThreshold, e.activeConn, e.inactConn, null]);
                break;
              case 'persistent-conn':
                expect([rs.weight, rs.persistConn, rs.activeConn, rs.inactConn, rs.forward]).toEqual([e.weight, e.persistConn, e.activeConn, e.inactConn, null]);
                break;
            }
          });
        });
      }),
      { numRuns: 150 },
    );
  });
});

describe('ipvsadm -Sn output replays into the table it was saved from', () => {
  it('services, persistence, flags and real servers', () => {
    fc.assert(
      fc.property(tableArb, (services) => {
        const table = read(printSave(services));
        expect(table.services.map(identity)).toEqual(services.map(expectedIdentity));
        services.forEach((s, i) => {
          const vs = table.services[i]!;
          expect(vs.scheduler).toBe(s.scheduler);
          expect(vs.flags).toEqual(s.flags);
          expect(vs.onePacket).toBe(s.ops);
          expect(vs.persistent?.timeout ?? null).toBe(s.persistent?.timeout ?? null);
          expect(vs.persistent?.netmask?.text ?? null).toBe(s.persistent?.mask ?? null);
          expect(vs.persistent?.engine ?? null).toBe(s.persistent?.engine ?? null);
          // -Sn prints a Local server as -g: replayed, it is direct routing again.
          const forward = { Masq: 'masq', Route: 'route', Local: 'route', Tunnel: 'tunnel' } as const;
          expect(vs.realServers.map((rs) => [rs.family, rs.address?.first, rs.port, rs.forward, rs.weight])).toEqual(
            s.servers.map((e) => [e.family, parseAddress(e.address)!.first, e.port, forward[e.forward], e.weight]),
          );
        });
      }),
      { numRuns: 150 },
    );
  });

  it('a listing and the -Sn output of one table give the same identities and real servers', () => {
    fc.assert(
      fc.property(tableArb, (services) => {
        const listed = read(printListing(services, 'plain'));
        const saved = read(printSave(services));
        const shape = (vs: VirtualService) => [identity(vs), vs.scheduler, vs.realServers.map((rs) => [rs.address?.first, rs.port, rs.weight])];
        expect(saved.services.map(shape)).toEqual(listed.services.map(shape));
      }),
      { numRuns: 100 },
    );
  });
});

describe('robustness', () => {
  it('never throws on arbitrary text, and every error is located inside the text', () => {
    const pieces = fc.constantFrom(
      'TCP', 'UDP', 'FWM', 'IPv6', '->', 'Masq', 'Local', '(null)', 'persistent', 'mask', 'pe', 'ops', '(', ')', ',', '[', ']',
      '10.0.0.1:80', '[fd00::1]:80', '12K', '7', '-A', '-a', '-t', '-r', '-p', '-M', '-b', '--set', 'rr', 'sh', '...', '$ ipvsadm', '#',
      'Prot', 'LocalAddress:Port', 'RemoteAddress:Port', 'IP Virtual Server version', '\n', '\r\n', ' ', '  ', '\t', 'é', '\u0000',
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(pieces, { maxLength: 60 }).map((a) => a.join(' '))), (text) => {
        const result = buildIpvs(parseIpvsadmText({ name: 'fuzz', text }));
        for (const d of result.diagnostics) {
          expect(d.at).not.toBeNull();
          expect(d.at!.start).toBeGreaterThanOrEqual(0);
          expect(d.at!.end).toBeLessThanOrEqual(text.length);
          expect(d.at!.start).toBeLessThanOrEqual(d.at!.end);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
