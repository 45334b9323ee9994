import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('owner', () => {
  it('reads uid/gid ranges, root as 0, socket-exists and suppl-groups, in save order', () => {
    const m = matchOf('-A OUTPUT -m owner ! --uid-owner root --gid-owner 10-20 --suppl-groups ! --socket-exists', 'owner');
    expect(m.uid).toEqual({ range: { from: 0, to: 0 }, negated: true });
    expect(m.gid).toEqual({ range: { from: 10, to: 20 }, negated: false });
    expect(printedMatch(m)).toBe('! --socket-exists ! --uid-owner 0 --gid-owner 10-20 --suppl-groups');
  });

  it('keeps a user name it cannot resolve without /etc/passwd', () => {
    const m = matchOf('-A OUTPUT -m owner --uid-owner www-data', 'owner');
    expect(m.uid).toEqual({ range: null, name: 'www-data', negated: false });
    expect(printedMatch(m)).toBe('--uid-owner www-data');
  });

  it('reports a reversed range', () => {
    expect(matchOf('-A OUTPUT -m owner --uid-owner 20-10', 'owner').problems).toEqual(['iptables/bad-value: 20-10']);
  });
});
