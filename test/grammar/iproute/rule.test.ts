import { describe, expect, it } from 'vitest';
import { parseIpRuleText } from '../../../grammar/iproute/parse-rule.js';
import type { IpRuleSyntax } from '../../../grammar/iproute/syntax.js';

function parse(text: string) {
  return parseIpRuleText({ name: 'ip-rule.txt', text });
}

function summary(rule: IpRuleSyntax): string {
  return [rule.priority.text, rule.not ? 'not' : '', rule.from.text, ...rule.attributes.map((a) => [a.known ? '' : '?', a.name, ...a.values.map((v) => v.text)].join(''))].filter(Boolean).join('|');
}

describe('ip rule', () => {
  it('reads priorities, not, from, selectors with [detached], and every action', () => {
    const text = [
      '0:\tfrom all lookup local ',
      '100:\tfrom all fwmark 0x4000/0x4000 lookup 500',
      '200:\tnot from 10.0.0.0/8 iif veth0 [detached] lookup main',
      '300:\tfrom all to 10.5.0.0/16 oif br0 goto 32766',
      '400:\tfrom 10.244.0.0/16 blackhole',
      '500:\tfrom all ipproto tcp dport 80-90 uidrange 1000-2000 unreachable',
      '1000:\tfrom all lookup [l3mdev-table] l3mdev',
      '32766:\tfrom all lookup main suppress_prefixlength 0',
    ].join('\n');
    const syntax = parse(text);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.rules.map(summary)).toEqual([
      '0|all|lookuplocal',
      '100|all|fwmark0x4000/0x4000|lookup500',
      '200|not|10.0.0.0/8|iifveth0[detached]|lookupmain',
      '300|all|to10.5.0.0/16|oifbr0|goto32766',
      '400|10.244.0.0/16|blackhole',
      '500|all|ipprototcp|dport80-90|uidrange1000-2000|unreachable',
      '1000|all|lookup[l3mdev-table]|l3mdev',
      '32766|all|lookupmain|suppress_prefixlength0',
    ]);
    expect(text.slice(syntax.rules[1]!.priority.start, syntax.rules[1]!.priority.end)).toBe('100');
  });

  it('gives one located error per unreadable line and reads on', () => {
    const text = '0:\tfrom all lookup local\n32766 from all lookup main\n32767:\tfrom all lookup default\n';
    const syntax = parse(text);
    expect(syntax.diagnostics.map((d) => [d.code, text.slice(d.at!.start, d.at!.end)])).toEqual([['iproute/syntax', '32766']]);
    expect(syntax.rules.map((r) => r.priority.text)).toEqual(['0', '32767']);
  });

  it('reads `ip -j rule` into the same selectors as the text', () => {
    const text =
      '[{"priority":0,"src":"all","table":"local"},{"priority":100,"src":"all","fwmark":"0x4000","fwmask":"0x4000","table":"500"},' +
      '{"priority":200,"not":null,"src":"10.0.0.0","srclen":8,"iif":"veth0","table":"main"},{"priority":300,"src":"all","dst":"10.5.0.0","dstlen":16,"oif":"br0","goto":32766}]';
    const syntax = parse(text);
    expect(syntax.diagnostics).toEqual([]);
    expect(syntax.rules.map(summary)).toEqual([
      '0|all|lookuplocal',
      '100|all|fwmark0x4000/0x4000|lookup500',
      '200|not|10.0.0.0/8|iifveth0|lookupmain',
      '300|all|to10.5.0.0/16|oifbr0|goto32766',
    ]);
  });
});
