import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('policy', () => {
  it('reads elements separated by --next, each field with its own negation', () => {
    const m = matchOf('-m policy --dir in --pol ipsec --strict --reqid 5 ! --proto esp --mode tunnel --tunnel-src 1.2.3.4 --next --proto ah', 'policy');
    expect(m).toMatchObject({ dir: 'in', pol: 'ipsec', strict: true });
    expect(m.elements).toHaveLength(2);
    expect(m.elements[0]).toMatchObject({ reqid: { value: 5, negated: false }, proto: { protocol: 'esp', negated: true }, mode: { mode: 'tunnel', negated: false } });
    expect(m.elements[1]).toEqual({ proto: { protocol: 'ah', negated: false } });
  });

  it('prints in policy4_save order (tunnel-dst before tunnel-src, spi in hex)', () => {
    const m = matchOf('-m policy --dir out --pol ipsec --tunnel-src 1.2.3.4 --tunnel-dst 5.6.7.0/24 --spi 16', 'policy');
    expect(printedMatch(m)).toBe('--dir out --pol ipsec --spi 0x10 --tunnel-dst 5.6.7.0/24 --tunnel-src 1.2.3.4');
  });

  it('reports a field repeated in one element, a bad mode and a missing --dir', () => {
    expect(matchOf('-m policy --dir in --pol ipsec --proto esp --proto ah', 'policy').problems).toEqual(['iptables/conflicting-options: --proto ah']);
    expect(matchOf('-m policy --dir in --pol ipsec --mode bus', 'policy').problems).toEqual(['iptables/bad-value: bus']);
    expect(matchOf('-m policy --pol none', 'policy').problems).toEqual(['iptables/missing-option: -m policy --pol none']);
  });
});
