import { describe, expect, it } from 'vitest';
import { matchOf, printed } from '../rule-of.js';

describe('udp', () => {
  it('reads source and destination ports with their own negation', () => {
    const m = matchOf('-p udp ! --sport 53 --destination-port 1000:2000', 'udp');
    expect(m.sport).toEqual({ range: { from: 53, to: 53 }, negated: true });
    expect(m.dport).toEqual({ range: { from: 1000, to: 2000 }, negated: false });
  });

  it('prints -m udp with the canonical option names', () => {
    expect(printed('-p udp --destination-port domain')).toBe('-A INPUT -p udp -m udp --dport 53');
  });

  it('reports a reversed range at the value', () => {
    expect(matchOf('-p udp --sport 5:4', 'udp').problems).toEqual(['iptables/bad-value: 5:4']);
  });
});
