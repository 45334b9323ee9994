import { describe, expect, it } from 'vitest';
import { parseIpRuleText } from '../../../grammar/iproute/parse-rule.js';
import { buildIpRules } from '../../../src/model/iproute/rules.js';

function rules(text: string, family?: 'ipv4' | 'ipv6') {
  return buildIpRules(parseIpRuleText({ name: 'ip-rule.txt', text }), family ? { family } : {});
}

describe('policy rules from ip rule', () => {
  it('reads selectors and actions', () => {
    const result = rules(
      [
        '0:\tfrom all lookup local',
        '100:\tfrom all fwmark 0x4000/0x4000 lookup 500',
        '150:\tfrom all fwmark 0x3 lookup FREIFUNK',
        '200:\tnot from 10.0.0.0/8 iif veth0 [detached] lookup main',
        '300:\tfrom all to 10.5.0.0/16 oif br0 goto 32766',
        '400:\tfrom 10.244.0.0/16 blackhole',
        '500:\tfrom all ipproto tcp sport 1024-2048 dport 80 uidrange 1000-2000 prohibit',
        '1000:\tfrom all lookup [l3mdev-table]',
        '32766:\tfrom all lookup main suppress_prefixlength 0',
      ].join('\n'),
    );
    expect(result.diagnostics).toEqual([]);
    const [local, mark, markNoMask, not, gotoRule, blackhole, ports, l3mdev, main] = result.rules;
    expect(local).toMatchObject({ priority: 0, from: 'all', to: 'all', action: { kind: 'lookup', table: 'local' }, family: 'ipv4' });
    expect(mark!.fwmark).toEqual({ value: 0x4000, mask: 0x4000 });
    expect(mark!.action).toEqual({ kind: 'lookup', table: 500 });
    expect(markNoMask!.fwmark).toEqual({ value: 3, mask: 0xffffffff });
    expect(markNoMask!.action).toEqual({ kind: 'lookup', table: 'FREIFUNK' });
    expect(not).toMatchObject({ not: true, iif: { name: 'veth0', detached: true } });
    expect(not!.from !== 'all' && not!.from.text).toBe('10.0.0.0/8');
    expect(gotoRule).toMatchObject({ oif: { name: 'br0', detached: false }, action: { kind: 'goto', priority: 32766 } });
    expect(gotoRule!.to !== 'all' && gotoRule!.to.text).toBe('10.5.0.0/16');
    expect(blackhole!.action).toEqual({ kind: 'blackhole' });
    expect(ports).toMatchObject({ ipproto: 'tcp', sport: { from: 1024, to: 2048 }, dport: { from: 80, to: 80 }, uidrange: { from: 1000, to: 2000 }, action: { kind: 'prohibit' } });
    expect(l3mdev).toMatchObject({ l3mdev: true, action: { kind: 'lookup', table: 'l3mdev' } });
    expect(main!.suppressPrefixLength).toBe(0);
  });

  it('takes the family from the first address, else the caller, else IPv4 with a note', () => {
    expect(rules('0:\tfrom all lookup local\n16383:\tfrom 2a00:4700:0:6::/64 lookup 500\n').rules.map((r) => r.family)).toEqual(['ipv6', 'ipv6']);
    expect(rules('0:\tfrom all lookup local\n', 'ipv6').rules[0]!.family).toBe('ipv6');
    const assumed = rules('0:\tfrom all lookup local\n');
    expect(assumed.diagnostics.map((d) => d.code)).toEqual(['iproute/family-assumed']);
  });

  it('leaves out, with an error, a rule whose selector cannot be read or that has no action', () => {
    const text = '100:\tfrom all fwmark banana lookup 500\n200:\tfrom 10.0.0.0/33 lookup main\n300:\tfrom all iif eth0\n32766:\tfrom all lookup main\n';
    const result = rules(text);
    expect(result.rules.map((r) => r.priority)).toEqual([32766]);
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, text.slice(d.at!.start, d.at!.end)])).toEqual([
      ['iproute/bad-selector', 'banana'],
      ['iproute/bad-selector', '10.0.0.0/33'],
      ['iproute/rule-without-action', '300:\tfrom all iif eth0'],
    ]);
  });
});
