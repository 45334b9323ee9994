import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('recent', () => {
  it('reads the mode with its negation and fills in name, mask and side defaults', () => {
    const m = matchOf('-m recent ! --rcheck --seconds 180 --reap', 'recent');
    expect(m).toMatchObject({ mode: 'rcheck', negated: true, seconds: 180, reap: true, name: 'DEFAULT', side: 'source', mask: 0xffffffffn });
    expect(printedMatch(m)).toBe('! --rcheck --seconds 180 --reap --name DEFAULT --mask 255.255.255.255 --rsource');
  });

  it('prints the IPv6 default mask and --rdest', () => {
    const m = matchOf('-m recent --set --name x --rdest', 'recent', { family: 'ipv6' });
    expect(printedMatch(m, 'ipv6')).toBe('--set --name x --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rdest');
  });

  it('reports two modes, --reap without --seconds and a bad mask', () => {
    expect(matchOf('-m recent --set --update', 'recent').problems).toEqual(['iptables/conflicting-options: --update']);
    expect(matchOf('-m recent --update --reap', 'recent').problems).toEqual(['iptables/missing-option: -m recent --update --reap']);
    expect(matchOf('-m recent --set --mask 300.0.0.0', 'recent').problems).toEqual(['iptables/bad-value: 300.0.0.0']);
  });
});
