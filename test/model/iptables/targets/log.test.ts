import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf, printed } from '../rule-of.js';

describe('LOG', () => {
  it('reads level names as numbers, the prefix and flags', () => {
    const t = targetOf('-j LOG --log-level debug --log-prefix "IN: " --log-uid --log-tcp-sequence', 'LOG');
    expect(t).toMatchObject({ level: 7, prefix: 'IN: ', uid: true, tcpSequence: true, tcpOptions: false });
    expect(printedTarget(t)).toBe('--log-prefix IN:  --log-level 7 --log-tcp-sequence --log-uid');
    expect(printed('-j LOG --log-prefix "IN: " --log-level 4')).toBe('-A INPUT -j LOG --log-prefix "IN: "');
  });

  it('reads the abbreviation --log-pre, single quotes being plain characters', () => {
    expect(printed("-j LOG --log-pre 'x'")).toBe('-A INPUT -j LOG --log-prefix "\\\'x\\\'"');
  });

  it('reports a level name iptables does not know and a prefix over 29 characters', () => {
    expect(targetOf('-j LOG --log-level err', 'LOG').problems).toEqual(['iptables/bad-value: err']);
    expect(targetOf(`-j LOG --log-prefix ${'p'.repeat(30)}`, 'LOG').problems).toEqual([`iptables/bad-value: ${'p'.repeat(30)}`]);
  });
});
