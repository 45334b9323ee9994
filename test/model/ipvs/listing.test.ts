import { describe, expect, it } from 'vitest';
import { parseIpvsadmText } from '../../../grammar/ipvsadm/parse.js';
import { buildIpvs, summarizeVirtualService } from '../../../src/model/ipvs/build.js';
import { parseAddress } from '../../../src/model/values/address.js';

function build(text: string) {
  const source = { name: 'ipvsadm.txt', text };
  const result = buildIpvs(parseIpvsadmText(source));
  const located = result.diagnostics.map((d) => ({ code: d.code, severity: d.severity, text: d.at ? text.slice(d.at.start, d.at.end) : null }));
  return { ...result, located, text };
}

const v6 = (text: string) => parseAddress(text)!.text;

// The layouts below are ipvsadm 1.31's printf formats: "%-4s %s" for the service, "  -> %-28s %-7s
// %-6d %-10u %-10u" for a real server (trailing blanks included).
const plainListing = [
  'IP Virtual Server version 1.2.1 (size=4096)',
  'Prot LocalAddress:Port Scheduler Flags',
  '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
  'TCP  10.96.0.1:443 rr persistent 10800 mask 255.255.255.0',
  '  -> 172.18.0.3:6443              Masq    1      3          12        ',
  '  -> 172.18.0.4:6443              Masq    0      0          1         ',
  'TCP  192.168.1.10:80 wlc',
  '  -> 192.168.1.10:80              Local   1      0          0         ',
  '  -> 192.168.1.21:80              Route   2      5          0         ',
  '  -> 192.168.1.22:80              Tunnel  3      0          0         ',
  'UDP  10.96.0.10:53 sh (sh-fallback,sh-port) ops',
  '  -> 10.244.0.3:53                Masq    1      0          8         ',
  'SCTP 10.0.0.2:3868 rr',
  'TCP  [fd00::a]:443 wrr persistent 360 mask 64 pe sip',
  '  -> [fd00::10]:8443              Masq    5      0          0         ',
  'FWM  4711 rr',
  '  -> 10.1.0.1:0                   Route   1      0          0         ',
  'FWM  4712 IPv6 lc',
  '',
].join('\n');

describe('ipvsadm -Ln', () => {
  it('reads every service kind with its scheduler column and real servers', () => {
    const { table, diagnostics } = build(plainListing);
    expect(diagnostics).toEqual([]);
    expect(table.version).toBe('1.2.1');
    expect(table.connectionTableSize).toBe(4096);
    expect(table.services.map((s) => [s.protocol, s.family, s.address?.text ?? null, s.port, s.fwmark, s.scheduler])).toEqual([
      ['tcp', 'ipv4', '10.96.0.1', 443, null, 'rr'],
      ['tcp', 'ipv4', '192.168.1.10', 80, null, 'wlc'],
      ['udp', 'ipv4', '10.96.0.10', 53, null, 'sh'],
      ['sctp', 'ipv4', '10.0.0.2', 3868, null, 'rr'],
      ['tcp', 'ipv6', v6('fd00::a'), 443, null, 'wrr'],
      ['fwm', 'ipv4', null, null, 4711, 'rr'],
      ['fwm', 'ipv6', null, null, 4712, 'lc'],
    ]);
    const [api, web, dns, sctp, v6svc, fwm] = table.services;
    expect(api!.persistent).toMatchObject({ timeout: 10800, netmask: { family: 'ipv4', prefix: 24, mask: 0xffffff00n, text: '255.255.255.0' } });
    expect(api!.realServers.map((r) => [r.address?.text, r.port, r.forward, r.weight, r.activeConn, r.inactConn])).toEqual([
      ['172.18.0.3', 6443, 'masq', 1, 3, 12],
      ['172.18.0.4', 6443, 'masq', 0, 0, 1],
    ]);
    // "Local" is what ipvsadm prints for a real server on the director itself: kept as printed.
    expect(web!.realServers.map((r) => r.forward)).toEqual(['local', 'route', 'tunnel']);
    expect(web!.persistent).toBeNull();
    expect(dns!.flags).toEqual(['sh-fallback', 'sh-port']);
    expect(dns!.onePacket).toBe(true);
    expect(sctp!.realServers).toEqual([]);
    expect(v6svc!.persistent).toMatchObject({ timeout: 360, netmask: { family: 'ipv6', prefix: 64 }, engine: 'sip' });
    expect(v6svc!.realServers[0]).toMatchObject({ family: 'ipv6', port: 8443, weight: 5 });
    expect(fwm!.realServers[0]).toMatchObject({ port: 0, forward: 'route' });
  });

  it('points each service and real server at its line', () => {
    const { table, text } = build(plainListing);
    const web = table.services[1]!;
    expect(text.slice(web.at.start, web.at.end)).toBe('TCP  192.168.1.10:80 wlc');
    expect(text.slice(web.realServers[1]!.at.start, web.realServers[1]!.at.end)).toMatch(/^ {2}-> 192\.168\.1\.21:80 +Route +2 +5 +0 *$/);
  });

  it('gives the JSON the CLI prints', () => {
    const { table } = build(plainListing);
    expect(JSON.parse(JSON.stringify(summarizeVirtualService(table.services[0]!)))).toEqual({
      protocol: 'tcp',
      address: '10.96.0.1',
      port: 443,
      fwmark: null,
      scheduler: 'rr',
      realServers: [
        { address: '172.18.0.3', port: 6443, forward: 'masq', weight: 1 },
        { address: '172.18.0.4', port: 6443, forward: 'masq', weight: 0 },
      ],
    });
    expect(summarizeVirtualService(table.services[5]!)).toMatchObject({ protocol: 'fwm', address: null, port: null, fwmark: 4711 });
  });

  it('reads the timeouts of `ipvsadm -L --timeout`', () => {
    expect(build('Timeout (tcp tcpfin udp): 900 120 300\n').table.timeouts).toEqual({ tcp: 900, tcpFin: 120, udp: 300 });
  });
});

describe('column variants', () => {
  it('--stats: counters, rounded to K/M/G/T without --exact; no scheduler, forward or weight', () => {
    const { table, diagnostics } = build(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
        '  -> RemoteAddress:Port',
        'TCP  10.96.0.1:443                    1234 99999999     123K      45M       6G',
        '  -> 172.18.0.3:6443                   17      200      180    12000     9800',
        '',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    const vs = table.services[0]!;
    expect(vs.scheduler).toBeNull();
    expect(vs.stats).toEqual({
      conns: { value: 1234n, rounded: false },
      inPkts: { value: 99999999n, rounded: false },
      outPkts: { value: 123000n, rounded: true },
      inBytes: { value: 45000000n, rounded: true },
      outBytes: { value: 6000000000n, rounded: true },
    });
    expect(vs.realServers[0]).toMatchObject({ forward: null, weight: null, stats: { conns: { value: 17n }, outBytes: { value: 9800n } } });
  });

  it('--stats --exact: numbers wider than the column are read whole', () => {
    const { table, diagnostics } = build(
      [
        'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
        '  -> RemoteAddress:Port',
        'UDP  10.96.0.10:53                 123456789 1234567890123        0        0 98765432109876',
        '',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(table.services[0]!.stats).toMatchObject({
      conns: { value: 123456789n, rounded: false },
      inPkts: { value: 1234567890123n, rounded: false },
      outBytes: { value: 98765432109876n, rounded: false },
    });
  });

  it('--rate: rates, not totals', () => {
    const { table } = build(
      [
        'Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS',
        '  -> RemoteAddress:Port',
        'TCP  10.96.0.1:443                       2       40       35     3200    28000',
        '  -> 172.18.0.3:6443                     2       40       35     3200    28000',
        '',
      ].join('\n'),
    );
    const vs = table.services[0]!;
    expect(vs.stats).toBeUndefined();
    expect(vs.rate).toMatchObject({ cps: { value: 2n }, inPps: { value: 40n }, outBps: { value: 28000n } });
    expect(vs.realServers[0]!.rate).toMatchObject({ cps: { value: 2n } });
  });

  it('--persistent-conn: weight and persistent connections', () => {
    const { table, diagnostics } = build(
      [
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn ',
        '  -> RemoteAddress:Port',
        'TCP  10.96.0.1:443 rr persistent 10800',
        '  -> 172.18.0.3:6443              1         4           2          0         ',
        '',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(table.services[0]!.scheduler).toBe('rr');
    expect(table.services[0]!.realServers[0]).toMatchObject({ weight: 1, persistConn: 4, activeConn: 2, inactConn: 0, forward: null });
  });

  it('--thresholds: upper and lower connection thresholds', () => {
    const { table } = build(
      [
        'Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn ',
        '  -> RemoteAddress:Port',
        'TCP  10.0.0.1:80 wlc',
        '  -> 10.1.0.1:80                  100        75         3          1         ',
        '',
      ].join('\n'),
    );
    expect(table.services[0]!.realServers[0]).toMatchObject({ upperThreshold: 100, lowerThreshold: 75, activeConn: 3, inactConn: 1, weight: null });
  });

  it('--tun-info: the tunnel column, parsed where ipvsadm gives the settings', () => {
    const { table, diagnostics } = build(
      [
        'Prot LocalAddress:Port Scheduler Flags',
        '  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn',
        'TCP  10.0.0.1:80 rr',
        '  -> 10.2.0.1:80                  Tunnel  gue:6080:csum 1      0          0         ',
        '  -> 10.2.0.2:80                  Tunnel  ipip          1      0          0         ',
        '  -> 10.2.0.3:80                  Masq    n/a           1      0          0         ',
        '',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(table.services[0]!.realServers.map((r) => [r.tunnelInfo, r.tunnel ?? null])).toEqual([
      ['gue:6080:csum', { type: 'gue', port: 6080, checksum: 'csum' }],
      ['ipip', { type: 'ipip' }],
      ['n/a', null],
    ]);
  });

  it('a line whose shape the title contradicts is reported and not read', () => {
    const { table, located } = build(
      [
        'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
        '  -> RemoteAddress:Port',
        'TCP  10.0.0.1:80 rr',
        '  -> 10.1.0.1:80                  Masq    1      0          0',
        'TCP  10.0.0.2:80                        1        2        3        4        5',
        '  -> 10.1.0.2:80                  Masq    1      0          0',
        '',
      ].join('\n'),
    );
    expect(located).toEqual([
      { code: 'ipvs/columns-mismatch', severity: 'error', text: 'TCP  10.0.0.1:80 rr' },
      { code: 'ipvs/real-server-skipped', severity: 'warning', text: '  -> 10.1.0.1:80                  Masq    1      0          0' },
      { code: 'ipvs/columns-mismatch', severity: 'error', text: '  -> 10.1.0.2:80                  Masq    1      0          0' },
    ]);
    expect(table.services.map((s) => s.address?.text)).toEqual(['10.0.0.2']);
    expect(table.services[0]!.realServers).toEqual([]);
  });

  it('counters without a title are read as --stats, with one warning', () => {
    const { table, located } = build('TCP  10.0.0.1:80   1 2 3 4 5\n  -> 10.1.0.1:80   1 2 3 4 5\n');
    expect(located).toEqual([{ code: 'ipvs/missing-title', severity: 'warning', text: '1' }]);
    expect(table.services[0]!.stats?.conns.value).toBe(1n);
    expect(table.services[0]!.realServers[0]!.stats?.outBytes.value).toBe(5n);
  });

  it('four numbers without a title cannot be read', () => {
    const { table, located } = build('TCP  10.0.0.1:80 rr\n  -> 10.1.0.1:80   1 2 3 4\n');
    expect(located.map((d) => d.code)).toEqual(['ipvs/ambiguous-columns']);
    expect(table.services[0]!.realServers).toEqual([]);
  });
});

describe('ipvsadm -L without -n', () => {
  it('keeps host and service names, warns that names cannot be resolved, and resolves well-known ports', () => {
    const text = [
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  lb.example.com:http rr',
      '  -> web-1.example.com:http       Masq    1      0          0         ',
      '  -> 10.1.0.2:http-alt            Masq    1      0          0         ',
      'TCP  10.0.0.5:kube-api rr',
      // svc_name[33] = '\0': "TCP  " and the first 28 characters of the name, port gone.
      `${'TCP  kubernetes.default.svc.cluster.local:https'.slice(0, 33)} wlc`,
      '',
    ].join('\n');
    const { table, located } = build(text);
    expect(located).toEqual([
      { code: 'ipvs/host-name', severity: 'warning', text: 'lb.example.com' },
      { code: 'ipvs/port-name', severity: 'info', text: 'http' },
      { code: 'ipvs/host-name', severity: 'warning', text: 'web-1.example.com' },
      { code: 'ipvs/port-name', severity: 'info', text: 'http' },
      { code: 'ipvs/port-name', severity: 'info', text: 'http-alt' },
      { code: 'ipvs/unknown-port-name', severity: 'warning', text: 'kube-api' },
      { code: 'ipvs/host-name', severity: 'warning', text: 'kubernetes.default.svc.clust' },
      { code: 'ipvs/missing-port', severity: 'warning', text: 'kubernetes.default.svc.clust' },
    ]);
    const [lb, api, cut] = table.services;
    expect(lb).toMatchObject({ address: null, host: 'lb.example.com', port: 80, portText: 'http' });
    expect(lb!.realServers.map((r) => [r.address?.text ?? null, r.host, r.port])).toEqual([
      [null, 'web-1.example.com', 80],
      ['10.1.0.2', '10.1.0.2', 8080],
    ]);
    expect(api).toMatchObject({ address: { text: '10.0.0.5' }, port: null, portText: 'kube-api' });
    expect(cut).toMatchObject({ host: 'kubernetes.default.svc.clust', port: null, portText: null });
    expect(summarizeVirtualService(lb!).address).toBe('lb.example.com');
  });
});

describe('what cannot be read', () => {
  it('a real server before any service', () => {
    const { table, located } = build('  -> 10.1.0.1:80 Masq 1 0 0\nTCP  10.0.0.1:80 rr\n');
    expect(located).toEqual([{ code: 'ipvs/orphan-real-server', severity: 'error', text: '  -> 10.1.0.1:80 Masq 1 0 0' }]);
    expect(table.services).toHaveLength(1);
  });

  it('a bad address skips its service and, with a warning each, its real servers; the next service is read', () => {
    const { table, located } = build('TCP  10.0.0.300:80 rr\n  -> 10.1.0.1:80 Masq 1 0 0\nTCP  10.0.0.3:80 rr\n  -> 10.1.0.3:80 Masq 1 0 0\n');
    expect(located.map((d) => [d.code, d.text])).toEqual([
      ['ipvs/bad-address', '10.0.0.300'],
      ['ipvs/real-server-skipped', '  -> 10.1.0.1:80 Masq 1 0 0'],
    ]);
    expect(table.services.map((s) => [s.address?.text, s.realServers.length])).toEqual([['10.0.0.3', 1]]);
  });

  it.each([
    ['TCP  10.0.0.1:70000 rr', '70000', 'ipvs/bad-value'],
    ['TCP  10.0.0.1:80 rr persistent 300 mask 255.0.255.0x', '255.0.255.0x', 'ipvs/bad-value'],
    ['TCP  [fd00::1]:80 rr persistent 300 mask 200', '200', 'ipvs/bad-value'],
    ['FWM  0 rr', '0', 'ipvs/bad-value'],
    ['TCP  [fd00::zz]:80 rr', 'fd00::zz', 'ipvs/bad-address'],
  ])('%s', (line, at, code) => {
    const { table, located } = build(`${line}\n`);
    expect(located).toEqual([{ code, severity: 'error', text: at }]);
    expect(table.services).toEqual([]);
  });

  it('a weight out of range skips the real server only', () => {
    const { table, located } = build('TCP  10.0.0.1:80 rr\n  -> 10.1.0.1:80 Masq 2147483648 0 0\n  -> 10.1.0.2:80 Masq 1 0 0\n');
    expect(located).toEqual([{ code: 'ipvs/bad-value', severity: 'error', text: '2147483648' }]);
    expect(table.services[0]!.realServers.map((r) => r.address?.text)).toEqual(['10.1.0.2']);
  });

  it('"(null)" in the Forward column is read as bypass, with a warning', () => {
    const { table, located } = build('TCP  10.0.0.1:80 rr\n  -> 10.1.0.1:80 (null) 1 0 0\n');
    expect(located).toEqual([{ code: 'ipvs/null-forward', severity: 'warning', text: '(null)' }]);
    expect(table.services[0]!.realServers[0]!.forward).toBe('bypass');
  });

  it('-Ln and -Ln --stats of one table pasted together: each service keeps what either view shows', () => {
    const { table, located } = build(
      [
        '$ ipvsadm -Ln',
        plainListing.split('\n').slice(0, 6).join('\n'),
        '$ ipvsadm -Ln --stats',
        'IP Virtual Server version 1.2.1 (size=4096)',
        'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
        '  -> RemoteAddress:Port',
        'TCP  10.96.0.1:443                      40      900      850    81000   765000',
        '  -> 172.18.0.3:6443                    38      880      830    80000   760000',
        '  -> 172.18.0.5:6443                     2       20       20     1000     5000',
        '',
      ].join('\n'),
    );
    expect(located.map((d) => d.code)).toEqual(['ipvs/prompt-line', 'ipvs/prompt-line']);
    expect(table.services).toHaveLength(1);
    const vs = table.services[0]!;
    expect(vs).toMatchObject({ scheduler: 'rr', persistent: { timeout: 10800 }, stats: { conns: { value: 40n } } });
    expect(vs.realServers.map((r) => [r.address?.text, r.forward, r.weight, r.activeConn ?? null, r.stats?.conns.value ?? null])).toEqual([
      ['172.18.0.3', 'masq', 1, 3, 38n],
      ['172.18.0.4', 'masq', 0, 0, null],
      ['172.18.0.5', null, null, null, 2n],
    ]);
  });

  it('one listing with a service twice: the second copy replaces the first', () => {
    const { table, located } = build('TCP  10.0.0.1:80 rr\n  -> 10.1.0.1:80 Masq 1 0 0\nTCP  10.0.0.1:80 wrr\n  -> 10.1.0.2:80 Masq 1 0 0\n  -> 10.1.0.2:80 Masq 3 0 0\n');
    expect(located).toEqual([
      { code: 'ipvs/duplicate-service', severity: 'warning', text: 'TCP  10.0.0.1:80 wrr' },
      { code: 'ipvs/duplicate-real-server', severity: 'warning', text: '  -> 10.1.0.2:80 Masq 3 0 0' },
    ]);
    expect(located.length).toBe(2);
    expect(table.services).toHaveLength(1);
    expect(table.services[0]).toMatchObject({ scheduler: 'wrr', realServers: [{ address: { text: '10.1.0.2' }, weight: 3 }] });
  });
});
