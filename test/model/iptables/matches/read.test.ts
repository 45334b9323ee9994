import { describe, expect, it } from 'vitest';
import { resolveOptionDef, wordValue, valueDef, flagDef } from '../../../../src/model/iptables/matches/read.js';
import { matchOf, ruleOf } from '../rule-of.js';

describe('option reading', () => {
  const defs = [valueDef(['--mac-source']), flagDef(['--rsource']), flagDef(['--rdest']), valueDef(['--reap'])];

  it('resolves names as getopt_long does: exact first, then an unambiguous prefix', () => {
    expect(resolveOptionDef(defs, '--mac')?.names[0]).toBe('--mac-source');
    expect(resolveOptionDef(defs, '--rs')?.names[0]).toBe('--rsource');
    expect(resolveOptionDef(defs, '--r')).toBeUndefined();
    expect(resolveOptionDef(defs, '--reap')?.names[0]).toBe('--reap');
  });

  it('reads quoted values as iptables-restore does: a backslash escapes any character', () => {
    const text = '"it\\\'s \\"q\\" a\\b"';
    const word = { text: 'ignored', quoted: true, start: 0, end: text.length };
    expect(wordValue(word, { name: 't', text })).toBe('it\'s "q" ab');
  });

  it('reports a repeated option once, reads the first, keeps the rest as written', () => {
    const m = matchOf('-m comment --comment a --comment b', 'comment');
    expect(m.comment).toBe('a');
    expect(m.problems).toEqual(['iptables/repeated-option: --comment b']);
    expect(m.unread).toEqual([{ name: '--comment', negated: false, values: ['b'] }]);
  });

  it('reports a missing value and a negated flag that takes no "!"', () => {
    expect(matchOf('-m mark --mark', 'mark').problems).toEqual(['iptables/missing-value: --mark']);
    expect(matchOf('-m socket ! --transparent', 'socket').problems).toEqual(['iptables/not-negatable: ! --transparent']);
  });

  it('warns about the "!" after the option of iptables before 1.4.3, and still negates', () => {
    const { rule, problems } = ruleOf('-p tcp --dport ! 22 -d ! 10.0.0.1 -j ACCEPT');
    expect(problems).toEqual(['iptables/negation-after-option: --dport ! 22', 'iptables/negation-after-option: -d ! 10.0.0.1']);
    expect(rule.matches.find((m) => m.kind === 'tcp')).toMatchObject({ dport: { negated: true } });
    expect(rule.matches.find((m) => m.kind === 'destination')).toMatchObject({ negated: true });
  });
});
