import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('conntrack', () => {
  it('reads every option with its own negation, states in print order, names as numbers', () => {
    const m = matchOf('-m conntrack ! --ctstate ESTABLISHED,NEW --ctproto tcp ! --ctorigsrc 10.1.2.3/8 --ctrepldstport 9:10 --ctstatus ASSURED --ctexpire 5 --ctdir reply', 'conntrack');
    expect(m.ctstate).toEqual({ states: ['NEW', 'ESTABLISHED'], negated: true });
    expect(m.ctproto).toEqual({ protocol: 6, negated: false });
    expect(m.ctorigsrc?.negated).toBe(true);
    expect(m.ctorigsrc?.cidr.text).toBe('10.0.0.0/8');
    expect(m.ctrepldstport).toEqual({ range: { from: 9, to: 10 }, negated: false });
    expect(m.ctstatus).toEqual({ statuses: ['ASSURED'], negated: false });
    expect(m.ctexpire).toEqual({ range: { from: 5, to: 5 }, negated: false });
    expect(m.ctdir).toBe('REPLY');
  });

  it('prints in conntrack_dump order', () => {
    const m = matchOf('-m conntrack --ctdir ORIGINAL --ctstate RELATED,ESTABLISHED --ctorigdst 2001:db8::/32', 'conntrack', { family: 'ipv6' });
    expect(printedMatch(m, 'ipv6')).toBe('--ctstate RELATED,ESTABLISHED --ctorigdst 2001:db8::/32 --ctdir ORIGINAL');
  });

  it('reports an unknown state, an address of the other family, a non-negatable --ctdir', () => {
    expect(matchOf('-m conntrack --ctstate NEW,BOGUS', 'conntrack').problems).toEqual(['iptables/bad-value: NEW,BOGUS']);
    expect(matchOf('-m conntrack --ctorigsrc 2001:db8::1', 'conntrack').problems).toEqual(['iptables/bad-value: 2001:db8::1']);
    expect(matchOf('-m conntrack ! --ctdir REPLY', 'conntrack').problems).toEqual(['iptables/not-negatable: ! --ctdir REPLY']);
  });
});
