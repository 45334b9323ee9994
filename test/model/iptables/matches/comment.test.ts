import { describe, expect, it } from 'vitest';
import { matchOf, printed, ruleOf } from '../rule-of.js';

describe('comment', () => {
  it('keeps the text, reading backslash escapes inside quotes as iptables-restore does', () => {
    expect(matchOf('-m comment --comment "it\\\'s a \\"test\\""', 'comment').comment).toBe('it\'s a "test"');
    expect(matchOf('-m comment --comment "a\\b"', 'comment').comment).toBe('ab');
    expect(ruleOf('-m comment --comment "x y" -j ACCEPT').rule.comment).toBe('x y');
  });

  it('reads each -m comment as its own match (a repeated -m clones the module)', () => {
    const { rule, problems } = ruleOf('-m comment --comment a -m comment --comment b -j ACCEPT');
    expect(rule.matches.map((m) => (m.kind === 'comment' ? m.comment : m.kind))).toEqual(['a', 'b']);
    expect(rule.comment).toBe('a; b');
    expect(problems).toEqual([]);
  });

  it('prints as xtables_save_string: bare for [A-Za-z0-9_-], else quoted with " \\ \' escaped', () => {
    expect(printed('-m comment --comment plain_word-1')).toBe('-A INPUT -m comment --comment plain_word-1');
    expect(printed('-m comment --comment "it\'s"')).toBe('-A INPUT -m comment --comment "it\\\'s"');
    expect(printed('-m comment --comment ""')).toBe('-A INPUT -m comment --comment ""');
  });

  it('reports a missing --comment and extra words, located', () => {
    expect(matchOf('-m comment', 'comment').problems).toEqual(['iptables/missing-option: -m comment']);
    expect(matchOf('-m comment --comment two words', 'comment').problems).toEqual(['iptables/extra-value: words']);
  });
});
