import { describe, expect, it } from 'vitest';
import { parseIpvsadmText } from '../../../grammar/ipvsadm/parse.js';
import { buildIpvs, summarizeVirtualService } from '../../../src/model/ipvs/build.js';
import { parseAddress } from '../../../src/model/values/address.js';

function build(text: string) {
  const result = buildIpvs(parseIpvsadmText({ name: 'ipvsadm-save.txt', text }));
  const located = result.diagnostics.map((d) => ({ code: d.code, text: d.at ? text.slice(d.at.start, d.at.end) : null, message: d.message }));
  return { ...result, located };
}

/** The one diagnostic a line gives, as code, the text it points at and the reason quoted. */
function refusal(text: string) {
  const { located, table } = build(text);
  expect(located).toHaveLength(1);
  const d = located[0]!;
  return { code: d.code, at: d.text, why: /\("(.*)"\)/.exec(d.message)?.[1] ?? null, table };
}

describe('ipvsadm -Sn', () => {
  it('replays a kube-proxy save into services and real servers', () => {
    const { table, diagnostics } = build(
      [
        '-A -t 10.96.0.1:443 -s rr',
        '-a -t 10.96.0.1:443 -r 172.18.0.3:6443 -m -w 1',
        '-A -t 10.96.0.10:53 -s rr',
        '-a -t 10.96.0.10:53 -r 10.244.0.3:53 -m -w 1',
        '-a -t 10.96.0.10:53 -r 10.244.0.4:53 -m -w 0',
        '-A -u 10.96.0.10:53 -s rr -o',
        '-A -t 10.96.0.20:80 -s rr -p 10800 -M 255.255.255.0',
        '-A --sctp-service 10.0.0.2:3868 -s sh -b sh-fallback,sh-port',
        '-a --sctp-service 10.0.0.2:3868 -r 10.0.0.2:3868 -g -w 1',
        '-A -f 4711 -s wlc -p 300',
        '-a -f 4711 -r 10.1.0.1:0 -g -w 1 -x 100 -y 50',
        '-A -f 4712 -6 -s lc',
        '-a -f 4712 -6 -r [fd00::5]:0 -i -w 1 --tun-type gue --tun-port 6080 --tun-csum',
        '',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(table.services.map(summarizeVirtualService)).toEqual([
      { protocol: 'tcp', address: '10.96.0.1', port: 443, fwmark: null, scheduler: 'rr', realServers: [{ address: '172.18.0.3', port: 6443, forward: 'masq', weight: 1 }] },
      {
        protocol: 'tcp',
        address: '10.96.0.10',
        port: 53,
        fwmark: null,
        scheduler: 'rr',
        realServers: [
          { address: '10.244.0.3', port: 53, forward: 'masq', weight: 1 },
          { address: '10.244.0.4', port: 53, forward: 'masq', weight: 0 },
        ],
      },
      { protocol: 'udp', address: '10.96.0.10', port: 53, fwmark: null, scheduler: 'rr', realServers: [] },
      { protocol: 'tcp', address: '10.96.0.20', port: 80, fwmark: null, scheduler: 'rr', realServers: [] },
      { protocol: 'sctp', address: '10.0.0.2', port: 3868, fwmark: null, scheduler: 'sh', realServers: [{ address: '10.0.0.2', port: 3868, forward: 'route', weight: 1 }] },
      { protocol: 'fwm', address: null, port: null, fwmark: 4711, scheduler: 'wlc', realServers: [{ address: '10.1.0.1', port: 0, forward: 'route', weight: 1 }] },
      { protocol: 'fwm', address: null, port: null, fwmark: 4712, scheduler: 'lc', realServers: [{ address: parseAddress('fd00::5')!.text, port: 0, forward: 'tunnel', weight: 1 }] },
    ]);
    const [, , udp, sticky, sctp, fwm, fwm6] = table.services;
    expect(udp!.onePacket).toBe(true);
    expect(sticky!.persistent).toMatchObject({ timeout: 10800, netmask: { prefix: 24 } });
    expect(sctp!.flags).toEqual(['sh-fallback', 'sh-port']);
    expect(fwm!.realServers[0]).toMatchObject({ upperThreshold: 100, lowerThreshold: 50 });
    expect(fwm6!.family).toBe('ipv6');
    expect(fwm6!.realServers[0]!.tunnel).toEqual({ type: 'gue', port: 6080, checksum: 'csum' });
  });

  it('fills in what ipvsadm fills in: wlc, 360 s persistence, direct routing, weight 1, ports', () => {
    const { table, located } = build(
      [
        '-A -t 10.0.0.1:80',
        '-a -t 10.0.0.1:80 -r 10.1.0.1',
        '-a -t 10.0.0.1:80 -r 10.1.0.2:8080 -m',
        '-A -t 10.0.0.2 -p',
        '-a -t 10.0.0.2 -r 10.1.0.3:9000 -m',
        '',
      ].join('\n'),
    );
    expect(located).toEqual([]);
    const [web, any] = table.services;
    expect(web!.scheduler).toBe('wlc');
    expect(web!.realServers.map((r) => [r.port, r.forward, r.weight])).toEqual([
      [80, 'route', 1],
      [8080, 'masq', 1],
    ]);
    // "-t host" without a port is port 0, which only a persistent service may have.
    expect(any).toMatchObject({ port: 0, persistent: { timeout: 360 } });
  });

  it('direct routing and tunnelling real servers take the service port, with an info', () => {
    const { table, located } = build('-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.1.0.1:8080 -g\n');
    expect(located.map((d) => [d.code, d.text])).toEqual([['ipvs/port-ignored', '-a -t 10.0.0.1:80 -r 10.1.0.1:8080 -g']]);
    expect(table.services[0]!.realServers[0]!.port).toBe(80);
  });

  it('reads long options, `=` arguments, a leading "ipvsadm" and comments, as ipvsadm -R does', () => {
    const { table, located } = build(
      '# saved by hand\nipvsadm --add-service --tcp-service=10.0.0.1:80 --scheduler wrr\nipvsadm -a -t 10.0.0.1:80 --real-server 10.1.0.1:80 --masquerading --weight=4 # web-1\n',
    );
    expect(located).toEqual([]);
    expect(summarizeVirtualService(table.services[0]!)).toMatchObject({ scheduler: 'wrr', realServers: [{ weight: 4, forward: 'masq' }] });
  });

  it('applies edits and deletions in order', () => {
    const { table, located } = build(
      [
        '-A -t 10.0.0.1:80 -s rr',
        '-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 1',
        '-a -t 10.0.0.1:80 -r 10.1.0.2:80 -m -w 1',
        '-A -t 10.0.0.2:80 -s rr',
        '-E -t 10.0.0.1:80 -s wlc -p 60',
        '-e -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 5',
        '-d -t 10.0.0.1:80 -r 10.1.0.2:80',
        '-D -t 10.0.0.2:80',
        '',
      ].join('\n'),
    );
    expect(located).toEqual([]);
    expect(table.services).toHaveLength(1);
    expect(table.services[0]).toMatchObject({ scheduler: 'wlc', persistent: { timeout: 60 } });
    expect(table.services[0]!.realServers.map((r) => [r.address?.text, r.weight])).toEqual([['10.1.0.1', 5]]);
  });

  it('-C clears the table; -Z zeroes counters read from a listing', () => {
    const cleared = build('-A -t 10.0.0.1:80 -s rr\n-C\n-A -t 10.0.0.2:80 -s rr\n');
    expect(cleared.table.services.map((s) => s.address?.text)).toEqual(['10.0.0.2']);
    const zeroed = build(
      [
        'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
        '  -> RemoteAddress:Port',
        'TCP  10.0.0.1:80                         5       10       10     1000     2000',
        '  -> 10.1.0.1:80                         5       10       10     1000     2000',
        '-Z -t 10.0.0.1:80',
        '',
      ].join('\n'),
    );
    expect(zeroed.located).toEqual([]);
    expect(zeroed.table.services[0]!.stats?.conns.value).toBe(0n);
    expect(zeroed.table.services[0]!.realServers[0]!.stats?.outBytes.value).toBe(0n);
  });

  it('--set sets the connection timeouts; 0 keeps the current value', () => {
    expect(build('--set 3600 0 0\n').table.timeouts).toEqual({ tcp: 3600, tcpFin: 120, udp: 300 });
    expect(build('Timeout (tcp tcpfin udp): 900 60 30\n--set 0 10 0\n').table.timeouts).toEqual({ tcp: 900, tcpFin: 10, udp: 30 });
  });

  it('commands that do not change the table are ignored with a warning', () => {
    const { located, table } = build('-L -n\n--start-daemon master --mcast-interface eth0\n-A -t 10.0.0.1:80 -s rr\n');
    expect(located.map((d) => [d.code, d.text])).toEqual([
      ['ipvs/ignored-command', '-L -n'],
      ['ipvs/ignored-command', '--start-daemon master --mcast-interface eth0'],
    ]);
    expect(table.services).toHaveLength(1);
  });

  it('keeps host names of `ipvsadm -S` without -n, with a warning', () => {
    const { table, located } = build('-A -t lb.example.com:https -s rr\n');
    expect(located.map((d) => [d.code, d.text])).toEqual([
      ['ipvs/host-name', 'lb.example.com'],
      ['ipvs/port-name', 'https'],
    ]);
    expect(table.services[0]).toMatchObject({ host: 'lb.example.com', address: null, port: 443 });
  });
});

describe('lines ipvsadm -R would refuse are reported where they are, and not applied', () => {
  it.each([
    // Checks of ipvsadm's own option parsing.
    ['-A -t 10.0.0.1:80 -Q', 'ipvs/unknown-option', '-Q', null],
    ['-t 10.0.0.1:80 -A', 'ipvs/restore-refused', '-t', 'the first option must be a command such as -A, -E, -D, -C, -a, -e or -d'],
    ['-A -D -t 10.0.0.1:80', 'ipvs/restore-refused', '-D', 'multiple commands specified'],
    ['-A -t', 'ipvs/restore-refused', '-t', '-t: missing argument'],
    ['-A -t 10.0.0.1:80 rr', 'ipvs/restore-refused', 'rr', 'unexpected argument rr'],
    ['-A -t 10.0.0.1:80 -u 10.0.0.1:53', 'ipvs/restore-refused', '-u 10.0.0.1:53', "multiple 'service-address' options specified"],
    ['-a -t 10.0.0.1:80 -r 10.1.0.1 -m -g', 'ipvs/restore-refused', '-g', "multiple 'forwarding-method' options specified"],
    ['-A -t 10.0.0.1:80 -w 2', 'ipvs/restore-refused', '-w 2', "Illegal 'weight' option with the 'add-service' command"],
    ['-a -t 10.0.0.1:80 -m', 'ipvs/restore-refused', '-a -t 10.0.0.1:80 -m', "You need to supply the 'real-server' option for the 'add-server' command"],
    ['-A -s rr', 'ipvs/restore-refused', '-A -s rr', "You need to supply the 'service-address' option for the 'add-service' command"],
    ['--set 900 120', 'ipvs/restore-refused', '--set 900 120', '--set option requires 3 timeout values'],
    // Values.
    ['-A -t 80 -s rr', 'ipvs/restore-refused', '-A -t 80 -s rr', 'illegal virtual server address[:port] specified'],
    ['-A -f 0 -s rr', 'ipvs/restore-refused', '-A -f 0 -s rr', "invalid fwmark value `0' specified"],
    ['-A -6 -f 1 -s rr', 'ipvs/restore-refused', '-A -6 -f 1 -s rr', '-6 used before -f'],
    ['-A -t 10.0.0.1:80 -p 0', 'ipvs/restore-refused', '-A -t 10.0.0.1:80 -p 0', "invalid timeout value `0' specified"],
    ['-A -t 10.0.0.1:80 -p 60 -M 255.255.255.256', 'ipvs/restore-refused', '-A -t 10.0.0.1:80 -p 60 -M 255.255.255.256', 'illegal virtual server persistent mask specified'],
    ['-A -t [fd00::1]:80 -p 60 -M 129', 'ipvs/restore-refused', '-A -t [fd00::1]:80 -p 60 -M 129', 'illegal ipv6 netmask specified'],
    ['-A -t 10.0.0.1:80 -s rr -b sh-port', 'ipvs/restore-refused', 'sh-port', "incompatible scheduler flag `sh-port'"],
    ['-A -t 10.0.0.1:80 -s sh -b sh-port,fast', 'ipvs/restore-refused', 'sh-port,fast', "invalid scheduler flag `fast'"],
    // process_options() checks.
    ['-A -t 10.0.0.1:0 -s rr', 'ipvs/restore-refused', '-A -t 10.0.0.1:0 -s rr', 'Zero port specified for non-persistent service'],
    ['-A -t 10.0.0.1:53 -s rr -o', 'ipvs/restore-refused', '-A -t 10.0.0.1:53 -s rr -o', 'One-Packet Scheduling is only for UDP virtual services'],
    ['-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r [fd00::1]:80 -m', 'ipvs/restore-refused', '-a -t 10.0.0.1:80 -r [fd00::1]:80 -m', 'Different address family is allowed only for tunneling servers'],
    ['-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.1.0.1 -m --tun-type gre', 'ipvs/restore-refused', '-a -t 10.0.0.1:80 -r 10.1.0.1 -m --tun-type gre', 'Tunnel options conflict with forward method'],
    ['-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.1.0.1 -i --tun-type gue', 'ipvs/restore-refused', '-a -t 10.0.0.1:80 -r 10.1.0.1 -i --tun-type gue', "You need to supply the 'tun-port' option for the 'gue' tunnel type"],
    ['-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.1.0.1 -m -w 2147483648', 'ipvs/restore-refused', '-a -t 10.0.0.1:80 -r 10.1.0.1 -m -w 2147483648', 'illegal weight specified'],
    // Kernel errors (ipvs_strerror()).
    ['-A -t 10.0.0.1:80\n-A -t 10.0.0.1:80 -s rr', 'ipvs/restore-refused', '-A -t 10.0.0.1:80 -s rr', 'Service already exists'],
    ['-E -t 10.0.0.1:80 -s rr', 'ipvs/restore-refused', '-E -t 10.0.0.1:80 -s rr', 'No such service'],
    ['-D -t 10.0.0.1:80', 'ipvs/restore-refused', '-D -t 10.0.0.1:80', 'No such service'],
    ['-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m', 'ipvs/restore-refused', '-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m', 'Service not defined'],
    ['-A -t 10.0.0.1:80\n-a -t 10.0.0.1:80 -r 10.1.0.1 -m\n-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 2', 'ipvs/restore-refused', '-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m -w 2', 'Destination already exists'],
    ['-A -t 10.0.0.1:80\n-e -t 10.0.0.1:80 -r 10.1.0.1 -m', 'ipvs/restore-refused', '-e -t 10.0.0.1:80 -r 10.1.0.1 -m', 'No such destination'],
    ['-A -t 10.0.0.1:80\n-d -t 10.0.0.1:80 -r 10.1.0.1', 'ipvs/restore-refused', '-d -t 10.0.0.1:80 -r 10.1.0.1', 'No such destination'],
  ])('%s', (text, code, at, why) => {
    const r = refusal(`${text}\n`);
    expect({ code: r.code, at: r.at, why: r.why }).toEqual({ code, at, why });
  });

  it('a refused line leaves the table as it was, and the lines after it are applied', () => {
    const { table, located } = build('-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 -s wrr\n-a -t 10.0.0.1:80 -r 10.1.0.1:80 -m\n');
    expect(located.map((d) => d.code)).toEqual(['ipvs/restore-refused']);
    expect(summarizeVirtualService(table.services[0]!)).toMatchObject({ scheduler: 'rr', realServers: [{ address: '10.1.0.1' }] });
  });

  it('a non-contiguous IPv4 persistence mask is kept, with no prefix length', () => {
    const { table, located } = build('-A -t 10.0.0.1:80 -p 60 -M 255.0.255.0\n');
    expect(located).toEqual([]);
    expect(table.services[0]!.persistent?.netmask).toEqual({ family: 'ipv4', mask: 0xff00ff00n, prefix: null, text: '255.0.255.0' });
  });
});
