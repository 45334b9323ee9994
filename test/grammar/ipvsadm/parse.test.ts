import { describe, expect, it } from 'vitest';
import { parseIpvsadmText } from '../../../grammar/ipvsadm/parse.js';
import type { IpvsLineSyntax } from '../../../grammar/ipvsadm/syntax.js';
import type { SourceText } from '../../../grammar/source.js';

function parse(text: string, name = 'ipvsadm.txt') {
  const source: SourceText = { name, text };
  return { source, ...parseIpvsadmText(source) };
}

function only<K extends IpvsLineSyntax['kind']>(text: string, kind: K): Extract<IpvsLineSyntax, { kind: K }> {
  const r = parse(text);
  expect(r.diagnostics).toEqual([]);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]!.kind).toBe(kind);
  return r.lines[0] as Extract<IpvsLineSyntax, { kind: K }>;
}

/** The text a span of the source covers. */
const slice = (text: string, span: { start: number; end: number }) => text.slice(span.start, span.end);

describe('ipvsadm -Ln header lines', () => {
  it('reads the banner with version and hash table size', () => {
    const line = only('IP Virtual Server version 1.2.1 (size=4096)\n', 'banner');
    expect(line.version.text).toBe('1.2.1');
    expect(line.size?.text).toBe('4096');
    expect(line.at).toMatchObject({ start: 0, end: 43 });
  });

  it.each([
    ['Prot LocalAddress:Port Scheduler Flags', 'scheduler'],
    ['Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes', 'stats'],
    ['Prot LocalAddress:Port                 CPS    InPPS   OutPPS    InBPS   OutBPS', 'rate'],
    ['Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn InActConn', 'thresholds'],
    ['Prot LocalAddress:Port            Weight    PersistConn ActiveConn InActConn', 'persistent-conn'],
  ] as const)('tells the service title %j apart as %s', (text, columns) => {
    expect(only(text, 'service-title').columns).toBe(columns);
  });

  it.each([
    ['  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn', 'forward'],
    ['  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn', 'tunnel-info'],
    ['  -> RemoteAddress:Port', 'as-service'],
  ] as const)('tells the real server title %j apart as %s', (text, columns) => {
    expect(only(text, 'server-title').columns).toBe(columns);
  });

  it('reads `ipvsadm -L --timeout`', () => {
    const line = only('Timeout (tcp tcpfin udp): 900 120 300', 'timeouts');
    expect(line.values.map((v) => v.text)).toEqual(['900', '120', '300']);
  });
});

describe('virtual service lines', () => {
  it('splits protocol, address and port, with positions', () => {
    const text = 'TCP  10.96.0.1:443 rr\n';
    const line = only(text, 'service');
    expect(line.id.kind).toBe('address');
    if (line.id.kind !== 'address') return;
    expect(line.id.protocol.text).toBe('TCP');
    expect(slice(text, line.id.endpoint.host)).toBe('10.96.0.1');
    expect(slice(text, line.id.endpoint.port!)).toBe('443');
    expect(line.scheduler?.name.text).toBe('rr');
    expect(line.counts).toBeNull();
  });

  it('reads scheduler flags, persistence with mask and engine, and ops', () => {
    const line = only('UDP  10.0.0.1:5060 sh (sh-fallback,sh-port) persistent 10800 mask 255.255.255.0 pe sip ops', 'service');
    const s = line.scheduler!;
    expect(s.name.text).toBe('sh');
    expect(s.flags.map((f) => f.text)).toEqual(['sh-fallback', 'sh-port']);
    expect(s.persistent?.timeout.text).toBe('10800');
    expect(s.persistent?.mask?.text).toBe('255.255.255.0');
    expect(s.persistent?.engine?.text).toBe('sip');
    expect(s.ops).toBe(true);
  });

  it('reads ops inside the persistence block, as ipvsadm before 1.27 printed it', () => {
    const s = only('UDP  10.0.0.1:53 rr persistent 360 ops', 'service').scheduler!;
    expect(s.persistent?.timeout.text).toBe('360');
    expect(s.ops).toBe(true);
  });

  it('reads IPv6 addresses in brackets', () => {
    const text = 'TCP  [fd00::1]:80 wlc persistent 300 mask 64';
    const line = only(text, 'service');
    if (line.id.kind !== 'address') throw new Error('expected an address service');
    expect(line.id.endpoint.bracketed).toBe(true);
    expect(slice(text, line.id.endpoint.host)).toBe('fd00::1');
    expect(line.id.endpoint.port?.text).toBe('80');
    expect(line.scheduler?.persistent?.mask?.text).toBe('64');
  });

  it.each([
    ['FWM  4711 rr', false],
    ['FWM  4711 IPv6 rr', true],
  ])('reads firewall-mark services: %s', (text, ipv6) => {
    const line = only(text, 'service');
    expect(line.id).toMatchObject({ kind: 'fwmark', mark: { text: '4711' }, ipv6 });
  });

  it('reads SCTP services (printed with one space: %-4s)', () => {
    const line = only('SCTP 10.0.0.2:3868 rr', 'service');
    expect(line.id.kind === 'address' && line.id.protocol.text).toBe('SCTP');
  });

  it('reads the five counters of --stats, with and without K/M/G/T rounding', () => {
    const line = only('TCP  10.96.0.1:443                    1234   123456  1234567    1234K    5678M', 'service');
    expect(line.scheduler).toBeNull();
    expect(line.counts?.map((c) => c.text)).toEqual(['1234', '123456', '1234567', '1234K', '5678M']);
  });

  it('reads names printed by ipvsadm -L without -n', () => {
    const line = only('TCP  db.example.com:postgresql wlc', 'service');
    if (line.id.kind !== 'address') throw new Error('expected an address service');
    expect(line.id.endpoint.host.text).toBe('db.example.com');
    expect(line.id.endpoint.port?.text).toBe('postgresql');
  });
});

describe('real server lines', () => {
  it('reads Forward, Weight, ActiveConn, InActConn', () => {
    const text = '  -> 10.244.0.3:53                Masq    1      0          8         ';
    const line = only(text, 'server');
    expect(slice(text, line.endpoint.host)).toBe('10.244.0.3');
    expect(line.forward?.text).toBe('Masq');
    expect(line.tunnelInfo).toBeNull();
    expect(line.numbers.map((n) => n.text)).toEqual(['1', '0', '8']);
    // The line ends before its trailing blanks are part of nothing; `at` covers the whole line.
    expect(line.at).toMatchObject({ start: 0, end: text.length });
  });

  it.each(['Masq', 'Route', 'Tunnel', 'Local', '(null)'])('reads the forwarding method %s', (fwd) => {
    expect(only(`  -> 10.0.0.1:80 ${fwd} 1 0 0`, 'server').forward?.text).toBe(fwd);
  });

  it('reads the --tun-info column', () => {
    const line = only('  -> [fd00::5]:0                  Tunnel  gue:6080:csum 1      0          0', 'server');
    expect(line.tunnelInfo?.text).toBe('gue:6080:csum');
    expect(line.endpoint.bracketed).toBe(true);
  });

  it('reads four numbers (--thresholds, --persistent-conn) and five counters (--stats, --rate)', () => {
    expect(only('  -> 10.0.0.1:80                 100        50         3          4', 'server').numbers).toHaveLength(4);
    expect(only('  -> 10.0.0.1:80                     7       80       60     9K    12M', 'server').numbers).toHaveLength(5);
  });
});

describe('ipvsadm -Sn commands', () => {
  it('reads options with their arguments and positions', () => {
    const text = '-A -t 10.96.0.1:443 -s rr -p 10800 -M 255.255.255.0';
    const line = only(text, 'command');
    expect(line.options.map((o) => [o.name.text, o.values.map((v) => v.text)])).toEqual([
      ['-A', []],
      ['-t', ['10.96.0.1:443']],
      ['-s', ['rr']],
      ['-p', ['10800']],
      ['-M', ['255.255.255.0']],
    ]);
    const t = line.options[1]!;
    expect(slice(text, t)).toBe('-t 10.96.0.1:443');
    expect(t.values[0]!.endpoint?.port?.text).toBe('443');
  });

  it('keeps a comma list as one argument with its parts', () => {
    const line = only('-A -t 10.0.0.1:80 -s sh -b sh-fallback,sh-port', 'command');
    const b = line.options[3]!;
    expect(b.values).toHaveLength(1);
    expect(b.values[0]!.text).toBe('sh-fallback,sh-port');
    expect(b.values[0]!.parts.map((p) => p.text)).toEqual(['sh-fallback', 'sh-port']);
  });

  it('reads long options, --opt=value, a leading "ipvsadm" and a trailing comment', () => {
    const text = 'ipvsadm --add-server --sctp-service [fd00::1]:3868 --real-server=[fd00::9]:3868 --weight 0 # drained';
    const line = only(text, 'command');
    expect(line.options.map((o) => o.name.text)).toEqual(['--add-server', '--sctp-service', '--real-server', '--weight']);
    const r = line.options[2]!.values[0]!;
    expect(r.text).toBe('[fd00::9]:3868');
    expect(slice(text, r)).toBe('[fd00::9]:3868');
    expect(r.endpoint).toMatchObject({ bracketed: true, host: { text: 'fd00::9' }, port: { text: '3868' } });
  });

  it('reads a bare IPv6 address without a port, as parse_service() does', () => {
    const line = only('-A -t fd00::1 -s rr -p', 'command');
    expect(line.options[1]!.values[0]!.endpoint).toMatchObject({ host: { text: 'fd00::1' }, port: null, bracketed: false });
  });
});

describe('pasted sessions', () => {
  it('reads a prompt line as a prompt, with an info', () => {
    const r = parse('$ ipvsadm -Ln\nroot@node-1:~# ipvsadm -Sn\n[root@lb ~]# ipvsadm -L\n');
    expect(r.lines.map((l) => l.kind)).toEqual(['prompt', 'prompt', 'prompt']);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['ipvs/prompt-line', 'info'],
      ['ipvs/prompt-line', 'info'],
      ['ipvs/prompt-line', 'info'],
    ]);
    expect(r.diagnostics[1]!.message).toContain('prompt line skipped');
  });

  it('warns about "..." lines where output was cut', () => {
    const text = 'TCP  10.0.0.1:80 rr\n...\n…\n';
    const r = parse(text);
    expect(r.lines.map((l) => l.kind)).toEqual(['service', 'elision', 'elision']);
    expect(r.diagnostics.map((d) => [d.code, d.severity, slice(text, d.at!)])).toEqual([
      ['ipvs/elided-output', 'warning', '...'],
      ['ipvs/elided-output', 'warning', '…'],
    ]);
  });
});

describe('bad input', () => {
  it('reports a line that does not parse where it goes wrong, and reads the next lines', () => {
    const text = 'TCP  10.0.0.1:80 rr\nTCP  10.0.0.2:80\n  -> 10.1.0.1:80 Masq one 0 0\nUDP  10.0.0.3:53 rr\n';
    const r = parse(text);
    expect(r.lines.map((l) => l.kind)).toEqual(['service', 'service']);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['ipvs/syntax', 'ipvs/syntax']);
    // "TCP  10.0.0.2:80" ends too early: the error points at the end of that line.
    const firstEnd = text.indexOf('\n', text.indexOf('10.0.0.2'));
    expect(r.diagnostics[0]!.at).toMatchObject({ start: firstEnd, end: firstEnd });
    expect(r.diagnostics[0]!.message).toContain('the end of the line');
    expect(slice(text, r.diagnostics[1]!.at!)).toBe('one');
    expect(r.diagnostics[1]!.message).toContain('this line was not read');
  });

  it('reports text that is not ipvsadm output', () => {
    const text = 'Chain INPUT (policy ACCEPT)\n';
    const r = parse(text);
    expect(r.lines).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'ipvs/syntax', severity: 'error', at: { start: 0, end: 5 } });
  });

  it('reports characters no token takes, once per line', () => {
    const text = 'TCP  [fd00::1:80 rr [\n  -> 10.0.0.1:80 Masq 1 0 0\n';
    const r = parse(text);
    expect(r.diagnostics.map((d) => [d.code, d.at?.start])).toEqual([['ipvs/unexpected-character', 5]]);
    expect(r.lines.map((l) => l.kind)).toEqual(['server']);
  });

  it('reads CRLF line ends without making the CR part of the line', () => {
    const text = 'TCP  10.0.0.1:80 rr\r\n  -> 10.1.0.1:80 Masq 1 0 0\r\n';
    const r = parse(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.lines.map((l) => slice(text, l.at))).toEqual(['TCP  10.0.0.1:80 rr', '  -> 10.1.0.1:80 Masq 1 0 0']);
  });

  it('parses only the given range, with positions in the whole source', () => {
    const text = 'garbage before\nTCP  10.0.0.1:80 rr\ngarbage after';
    const start = text.indexOf('TCP');
    const source = { name: 'session.log', text };
    const r = parseIpvsadmText(source, { start, end: text.indexOf('\ngarbage after') });
    expect(r.diagnostics).toEqual([]);
    expect(r.lines).toHaveLength(1);
    const line = r.lines[0]!;
    if (line.kind !== 'service' || line.id.kind !== 'address') throw new Error('expected a service line');
    expect(slice(text, line.id.endpoint.host)).toBe('10.0.0.1');
    expect(slice(text, line.at)).toBe('TCP  10.0.0.1:80 rr');
  });

  it('gives an empty result for empty input', () => {
    expect(parse('')).toMatchObject({ lines: [], diagnostics: [] });
  });
});
