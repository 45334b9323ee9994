import { describe, expect, it } from 'vitest';
import { matchOf, printed, printedMatch, ruleOf } from '../rule-of.js';

describe('tcp', () => {
  it('is loaded implicitly by -p tcp, with ports (names and open ranges) and per-option negation', () => {
    const m = matchOf('-p tcp --sport :1024 ! --dport http', 'tcp');
    expect(m.implicit).toBe(true);
    expect(m.sport).toEqual({ range: { from: 0, to: 1024 }, negated: false });
    expect(m.dport).toEqual({ range: { from: 80, to: 80 }, negated: true });
  });

  it('stores --syn as the flags it stands for, in kernel bit order', () => {
    expect(matchOf('-p tcp ! --syn', 'tcp').flags).toEqual({ mask: ['FIN', 'SYN', 'RST', 'ACK'], comp: ['SYN'], negated: true });
    expect(matchOf('-p tcp --tcp-flags ALL NONE', 'tcp').flags).toEqual({ mask: ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG'], comp: [], negated: false });
  });

  it('prints what iptables-save prints: -m tcp, --syn as --tcp-flags, 0:65535 dropped', () => {
    expect(printed('-p tcp --syn --dport 22 --tcp-option 2')).toBe('-A INPUT -p tcp -m tcp --dport 22 --tcp-option 2 --tcp-flags FIN,SYN,RST,ACK SYN');
    expect(printedMatch(matchOf('-p tcp --dport 0:65535', 'tcp'))).toBe('');
  });

  it('reports bad values at the value and keeps the option as written', () => {
    const m = matchOf('-p tcp --dport 90000 --tcp-flags SYN,BOGUS SYN', 'tcp');
    expect(m.problems).toEqual(['iptables/bad-value: 90000', 'iptables/bad-value: SYN,BOGUS']);
    expect(m.unread.map((u) => u.name)).toEqual(['--dport', '--tcp-flags']);
    expect(m.dport).toBeUndefined();
    expect(printedMatch(m)).toBe('');
    expect(printed('-p tcp --dport 90000')).toBe('-A INPUT -p tcp -m tcp --dport 90000');
  });

  it('refuses --syn together with --tcp-flags, and a tcp option without -p tcp', () => {
    expect(matchOf('-p tcp --syn --tcp-flags SYN SYN', 'tcp').problems).toEqual(['iptables/conflicting-options: --syn']);
    expect(ruleOf('--dport 22 -j ACCEPT').problems).toEqual(['iptables/unknown-option: --dport 22']);
  });
});
