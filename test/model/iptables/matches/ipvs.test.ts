import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('ipvs', () => {
  it('reads the virtual-service properties; --ipvs is implied by any of them', () => {
    const m = matchOf('-m ipvs --ipvs --vproto tcp ! --vaddr 10.96.0.0/12 --vport 80 --vdir ORIGINAL --vmethod MASQ --vportctl 21', 'ipvs');
    expect(m.ipvs).toBeUndefined();
    expect(m.vproto).toEqual({ protocol: 6, negated: false });
    expect(m.vaddr?.negated).toBe(true);
    expect(printedMatch(m)).toBe('--vproto 6 ! --vaddr 10.96.0.0/12 --vport 80 --vdir ORIGINAL --vmethod MASQ --vportctl 21');
  });

  it('keeps --ipvs when alone', () => {
    expect(printedMatch(matchOf('-m ipvs ! --ipvs', 'ipvs'))).toBe('! --ipvs');
  });

  it('reports an unknown forwarding method', () => {
    expect(matchOf('-m ipvs --vmethod TUN', 'ipvs').problems).toEqual(['iptables/bad-value: TUN']);
  });
});
