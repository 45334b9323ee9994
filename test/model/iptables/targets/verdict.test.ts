import { describe, expect, it } from 'vitest';
import { printed, ruleOf, targetOf } from '../rule-of.js';

describe('verdicts', () => {
  it('reads ACCEPT, DROP, RETURN and QUEUE as themselves', () => {
    for (const v of ['ACCEPT', 'DROP', 'RETURN', 'QUEUE'] as const) expect(targetOf(`-j ${v}`, v).kind).toBe(v);
  });

  it('reports an option after a verdict and prints it back as written', () => {
    const { problems } = ruleOf('-j ACCEPT --log-prefix x');
    expect(problems).toEqual(['iptables/unknown-option: --log-prefix x']);
    expect(printed('-j ACCEPT --log-prefix x')).toBe('-A INPUT -j ACCEPT --log-prefix x');
  });

  it('tells jumps and gotos to chains from targets, and keeps an unknown target with its options', () => {
    const rs = ruleOf('-A INPUT -j NOPE --foo 1');
    expect(rs.rule.target).toMatchObject({ kind: 'unknown', name: 'NOPE' });
    expect(rs.problems).toEqual(['iptables/unknown-target: -j NOPE --foo 1']);
    expect(printed('-A INPUT -j NOPE --foo 1')).toBe('-A INPUT -j NOPE --foo 1');
  });
});
