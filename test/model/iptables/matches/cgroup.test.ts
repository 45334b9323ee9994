import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('cgroup', () => {
  it('reads a class id (printed in decimal) or a path, each negatable', () => {
    expect(printedMatch(matchOf('-m cgroup ! --cgroup 0x10', 'cgroup'))).toBe('! --cgroup 16');
    expect(matchOf('-m cgroup --path service/http', 'cgroup').path).toEqual({ path: 'service/http', negated: false });
  });

  it('reports both options together', () => {
    expect(matchOf('-m cgroup --path a --cgroup 1', 'cgroup').problems).toEqual(['iptables/conflicting-options: --cgroup 1']);
  });
});
