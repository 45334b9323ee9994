import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('NFQUEUE', () => {
  it('reads one queue (0 by default) or a balanced range, and the flags', () => {
    expect(printedTarget(targetOf('-j NFQUEUE', 'NFQUEUE'))).toBe('--queue-num 0');
    const t = targetOf('-j NFQUEUE --queue-balance 2:5 --queue-bypass --queue-cpu-fanout', 'NFQUEUE');
    expect(t).toMatchObject({ queues: { from: 2, to: 5 }, bypass: true, cpuFanout: true });
    expect(printedTarget(t)).toBe('--queue-balance 2:5 --queue-bypass --queue-cpu-fanout');
  });

  it('reports a range that is not increasing and --queue-num with --queue-balance', () => {
    expect(targetOf('-j NFQUEUE --queue-balance 3:3', 'NFQUEUE').problems).toEqual(['iptables/bad-value: 3:3']);
    expect(targetOf('-j NFQUEUE --queue-num 1 --queue-balance 2:3', 'NFQUEUE').problems).toEqual(['iptables/conflicting-options: --queue-balance 2:3']);
  });
});
