import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('ULOG', () => {
  it('reads its options and prints only what differs from the defaults', () => {
    const t = targetOf('-j ULOG --ulog-nlgroup 2 --ulog-prefix x --ulog-qthreshold 1', 'ULOG');
    expect(t).toMatchObject({ nlgroup: 2, prefix: 'x', cprange: 0, qthreshold: 1 });
    expect(printedTarget(t)).toBe('--ulog-prefix x --ulog-nlgroup 2');
  });

  it('reports a group outside 1-32 and use in IPv6', () => {
    expect(targetOf('-j ULOG --ulog-nlgroup 33', 'ULOG').problems).toEqual(['iptables/bad-value: 33']);
    expect(targetOf('-j ULOG', 'ULOG', { family: 'ipv6' }).problems).toEqual(['iptables/wrong-family: -j ULOG']);
  });
});
