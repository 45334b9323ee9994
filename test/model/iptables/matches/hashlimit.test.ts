import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('hashlimit', () => {
  it('reads upto/above (negation flips it), the rate as the kernel cost, modes and masks', () => {
    const m = matchOf('-m hashlimit ! --hashlimit-upto 30/m --hashlimit-mode dstport,srcip --hashlimit-name web --hashlimit-srcmask 24', 'hashlimit');
    expect(m).toMatchObject({ above: true, bytes: false, avg: 2000000n, burst: 5n, modes: ['srcip', 'dstport'], name: 'web', srcMask: 24, dstMask: 32, htableExpire: 60000 });
    expect(printedMatch(m)).toBe('--hashlimit-above 30/min --hashlimit-burst 5 --hashlimit-mode srcip,dstport --hashlimit-name web --hashlimit-srcmask 24');
  });

  it('prints the defaults iptables-save prints (old --hashlimit spelling included)', () => {
    expect(printedMatch(matchOf('-m hashlimit --hashlimit 10/sec --hashlimit-name h', 'hashlimit'))).toBe('--hashlimit-upto 10/sec --hashlimit-burst 5 --hashlimit-name h');
  });

  it('reads byte rates and byte bursts as the kernel counts them', () => {
    const m = matchOf('-m hashlimit --hashlimit-above 1mb/s --hashlimit-burst 2mb --hashlimit-name z', 'hashlimit');
    expect(m.bytes).toBe(true);
    expect(m.htableExpire).toBe(60000);
    expect(printedMatch(m)).toBe('--hashlimit-above 1mb/s --hashlimit-burst 2mb --hashlimit-name z');
    expect(printedMatch(matchOf('-m hashlimit --hashlimit-above 512kb/s --hashlimit-name y', 'hashlimit'))).toBe('--hashlimit-above 512kb/s --hashlimit-name y');
  });

  it('applies --hashlimit-rate-match as hashlimit_mt_check does', () => {
    const m = matchOf('-m hashlimit --hashlimit-upto 1/hour --hashlimit-name r --hashlimit-rate-match --hashlimit-rate-interval 5', 'hashlimit');
    expect(printedMatch(m)).toBe('--hashlimit-upto 1/sec --hashlimit-burst 5 --hashlimit-name r --hashlimit-htable-expire 3600000 --hashlimit-rate-match --hashlimit-rate-interval 5');
  });

  it('reports a missing rate and name, and a bad mode', () => {
    expect(matchOf('-m hashlimit --hashlimit-mode srcip', 'hashlimit').problems).toEqual([
      'iptables/missing-option: -m hashlimit --hashlimit-mode srcip',
      'iptables/missing-option: -m hashlimit --hashlimit-mode srcip',
    ]);
    expect(matchOf('-m hashlimit --hashlimit-upto 1/s --hashlimit-name n --hashlimit-mode srcmac', 'hashlimit').problems).toEqual(['iptables/bad-value: srcmac']);
  });
});
