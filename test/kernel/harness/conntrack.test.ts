/** The conntrack line grammar, on lines as conntrack-tools 1.4.7 prints them (no kernel needed). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConntrackLine, parseConntrackText } from './conntrack.js';
import type { ConntrackEntry } from './types.js';

function entry(line: string): ConntrackEntry {
  const r = parseConntrackLine(line);
  if (typeof r === 'string') throw new Error(`not read: ${r}`);
  return r;
}

describe('parseConntrackLine', () => {
  it('reads a TCP entry of conntrack -L: state, timeout, both tuples, flags and extras', () => {
    const e = entry('tcp      6 119 SYN_SENT src=10.244.1.5 dst=10.96.0.10 sport=40000 dport=80 [UNREPLIED] src=10.244.2.7 dst=10.0.0.11 sport=8080 dport=40000 mark=0 use=1');
    expect(e).toEqual({
      event: null,
      l3: null,
      protocol: 'tcp',
      protocolNumber: 6,
      timeout: 119,
      state: 'SYN_SENT',
      original: { src: '10.244.1.5', dst: '10.96.0.10', sport: 40000, dport: 80 },
      reply: { src: '10.244.2.7', dst: '10.0.0.11', sport: 8080, dport: 40000 },
      flags: ['UNREPLIED'],
      extras: { mark: '0', use: '1' },
    });
  });

  it('reads UDP (no state word) and the extended form with its layer-3 prefix', () => {
    const udp = entry('udp      17 29 src=10.0.0.11 dst=10.0.0.1 sport=54193 dport=53 [UNREPLIED] src=10.0.0.1 dst=10.0.0.11 sport=53 dport=54193 mark=0 use=1');
    expect(udp.state).toBeNull();
    expect(udp.timeout).toBe(29);
    expect(udp.reply).toEqual({ src: '10.0.0.1', dst: '10.0.0.11', sport: 53, dport: 54193 });
    const ext = entry('ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.2 dst=10.0.0.1 sport=5000 dport=22 src=10.0.0.1 dst=10.0.0.2 sport=22 dport=5000 [ASSURED] mark=0 zone=3 use=2');
    expect(ext.l3).toBe('ipv4');
    expect(ext.protocol).toBe('tcp');
    expect(ext.protocolNumber).toBe(6);
    expect(ext.state).toBe('ESTABLISHED');
    expect(ext.flags).toEqual(['ASSURED']);
    expect(ext.extras).toEqual({ mark: '0', zone: '3', use: '2' });
  });

  it('reads conntrack -E events, with or without a timeout, and marker entries made by conntrack -I', () => {
    const created = entry('    [NEW] tcp      6 120 SYN_SENT src=fd00:10:244:1::5 dst=fd00:10:244:2::7 sport=38524 dport=80 [UNREPLIED] src=fd00:10:244:2::7 dst=fd00:10:244:1::5 sport=80 dport=38524');
    expect(created.event).toBe('new');
    expect(created.original.src).toBe('fd00:10:244:1::5');
    const gone = entry('[DESTROY] udp      17 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1');
    expect(gone.event).toBe('destroy');
    expect(gone.timeout).toBeNull();
    const marker = entry('    [NEW] udp      17 5 src=127.127.127.127 dst=127.127.127.126 sport=9 dport=1001 [UNREPLIED] src=127.127.127.126 dst=127.127.127.127 sport=1001 dport=9 mark=0 [USERSPACE] portid=5285 progname=conntrack');
    expect(marker.flags).toEqual(['UNREPLIED', 'USERSPACE']);
    expect(marker.extras).toEqual({ mark: '0', portid: '5285', progname: 'conntrack' });
  });

  it('reads ICMP tuples (type, code, id instead of ports)', () => {
    const e = entry('icmp     1 29 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=1234 src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=1234 mark=0 use=1');
    expect(e.original).toEqual({ src: '10.0.0.1', dst: '10.0.0.2', type: 8, code: 0, id: 1234 });
    expect(e.reply).toEqual({ src: '10.0.0.2', dst: '10.0.0.1', type: 0, code: 0, id: 1234 });
  });

  it('says why a line cannot be read instead of guessing', () => {
    expect(parseConntrackLine('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.')).toMatch(/unexpected character/);
    expect(parseConntrackLine('tcp 6 120 SYN_SENT')).toMatch(/no original tuple/);
    expect(parseConntrackLine('tcp 6 120 SYN_SENT src=1.2.3.4 dst=5.6.7.8 sport=1 dport=2')).toMatch(/no reply tuple/);
    expect(parseConntrackLine('tcp 6 1 src=1.2.3.4 dst=5.6.7.8 sport=x dport=2 src=5.6.7.8 dst=1.2.3.4 sport=2 dport=1')).toMatch(/sport=x: expected a number/);
    expect(parseConntrackLine('src=1.2.3.4')).toMatch(/expected a conntrack entry/);
  });
});

describe('parseConntrackText', () => {
  it('reads every line and reports the unreadable ones with their 0-based line number', () => {
    const text = [
      'tcp      6 119 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1',
      '',
      'garbage here!',
      'udp      17 29 src=10.0.0.1 dst=10.0.0.2 sport=3 dport=4 src=10.0.0.2 dst=10.0.0.1 sport=4 dport=3\r',
    ].join('\n');
    const r = parseConntrackText(text);
    expect(r.entries.map((e) => e.protocol)).toEqual(['tcp', 'udp']);
    expect(r.unreadable).toEqual([{ line: 2, text: 'garbage here!', why: expect.stringMatching(/unexpected character "!"/) }]);
  });

  it('never throws and accounts for every non-blank line', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('tcp 6 1 src=1.1.1.1 dst=2.2.2.2 sport=1 dport=2 src=2.2.2.2 dst=1.1.1.1 sport=2 dport=1', '[NEW] udp 17', 'x=y [A]'))), (lines) => {
        const text = lines.join('\n');
        const r = parseConntrackText(text);
        const nonBlank = text.split('\n').filter((l) => l.replace(/\r$/, '').trim() !== '').length;
        expect(r.entries.length + r.unreadable.length).toBe(nonBlank);
      }),
    );
  });
});
