import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../../src/index.js';
import { normaliseRuleset, toJson } from '../../../src/model/iptables/normalise.js';

const model = (rules: string, table = 'filter', family?: 'ipv4' | 'ipv6') =>
  normaliseRuleset(parseIptablesSave(`*${table}\n${rules}\nCOMMIT\n`, 't', family ? { family } : {}));

describe('normaliseRuleset', () => {
  it('makes equal what iptables-save prints back for what was written', () => {
    const pairs: [string, string, string?][] = [
      ['-A INPUT -s 1.2.3.4 -j ACCEPT', '-A INPUT -s 1.2.3.4/32 -j ACCEPT'],
      ['-A INPUT -m statistic --mode random --probability 0.5 -j ACCEPT', '-A INPUT -m statistic --mode random --probability 0.50000000000 -j ACCEPT'],
      ['-A INPUT -j MARK --or-mark 0x4000', '-A INPUT -j MARK --set-xmark 0x4000/0x4000'],
      ['-A INPUT -p tcp --dport 22 -j ACCEPT', '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT'],
      ['-A INPUT -p tcp -j ACCEPT', '-A INPUT -p tcp -m tcp -j ACCEPT'],
      ['-A INPUT -m tcp -p tcp --syn -o eth0 -j ACCEPT', '-A INPUT -o eth0 -p tcp -m tcp --tcp-flags FIN,SYN,RST,ACK SYN -j ACCEPT'],
      ['-A INPUT -m limit --limit 60/min', '-A INPUT -m limit --limit 1/sec'],
      ['-A INPUT -j NFLOG --nflog-range 64', '-A INPUT -j NFLOG'],
      ['-A INPUT -p 6 -j REJECT', '-A INPUT -p tcp -j REJECT --reject-with icmp-port-unreachable'],
    ];
    for (const [written, saved] of pairs) expect(model(written), written).toEqual(model(saved));
  });

  it('keeps apart what the kernel keeps apart', () => {
    expect(model('-A INPUT -m state --state NEW')).not.toEqual(model('-A INPUT -m conntrack --ctstate NEW'));
    expect(model('-A INPUT ! -s 1.2.3.4')).not.toEqual(model('-A INPUT -s 1.2.3.4'));
    expect(model('-A INPUT -m mark --mark 1 -m comment --comment a')).not.toEqual(model('-A INPUT -m comment --comment a -m mark --mark 1'));
  });

  it('ignores table and user-chain order, and counters unless asked', () => {
    const a = parseIptablesSave('*nat\n:B - [0:0]\n:A - [0:0]\nCOMMIT\n*filter\n:INPUT DROP [9:9]\n[3:4] -A INPUT -j ACCEPT\nCOMMIT\n');
    const b = parseIptablesSave('*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n*nat\n:A - [0:0]\n:B - [0:0]\nCOMMIT\n');
    expect(normaliseRuleset(a)).toEqual(normaliseRuleset(b));
    expect(normaliseRuleset(a, { counters: true })).not.toEqual(normaliseRuleset(b, { counters: true }));
  });

  it('is plain JSON: positions and raw options dropped, prefixes as text, bigints as strings', () => {
    const json = model('-A INPUT -s 10.1.2.3/8 -m set --match-set s src --packets-gt 5 -j ACCEPT');
    const text = JSON.stringify(json);
    expect(JSON.parse(text)).toEqual(json);
    expect(text).not.toMatch(/"at"|"options"|"implicit"/);
    expect(text).toContain('"cidr":"10.0.0.0/8"');
    expect(text).toContain('"value":"5"');
    expect(toJson({ first: 1n, last: 3n, family: 'ipv4', text: 'x' })).toBe('0.0.0.1-0.0.0.3');
  });
});

describe('unknown modules and targets', () => {
  it('are compared by their options as written', () => {
    expect(model('-A INPUT -m quota --quota 100 -j FOO --bar 1')).toEqual(model('-A INPUT -m quota --quota "100" -j FOO --bar 1'));
    expect(model('-A INPUT -m quota --quota 100')).not.toEqual(model('-A INPUT -m quota --quota 200'));
    expect(model('-A INPUT -j FOO --bar 1')).not.toEqual(model('-A INPUT -j FOO --bar 2'));
  });
});
