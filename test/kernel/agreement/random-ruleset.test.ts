/** The random ruleset generator writes rulesets iptlens reads cleanly (no kernel needed). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNodeSnapshot } from '../../../src/model/node.js';
import { packetArb, renderRuleset, rulesetArb } from './random-ruleset.js';

describe('random rulesets', () => {
  it('render to iptables-save text that the model reads without errors, every rule kept', () => {
    fc.assert(
      fc.property(rulesetArb, (rs) => {
        const text = renderRuleset(rs);
        const snapshot = buildNodeSnapshot('random', [{ name: 'iptables-save.txt', text }]);
        const errors = snapshot.diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => d.message), text).toEqual([]);
        const rules = snapshot.ipv4?.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0);
        expect(rules).toBe(text.split('\n').filter((l) => l.startsWith('-A ')).length);
      }),
      { numRuns: 200 },
    );
  });

  it('write every table, so a restore replaces what the previous ruleset left', () => {
    const text = renderRuleset(fc.sample(rulesetArb, { seed: 1, numRuns: 1 })[0]!);
    expect(text.match(/^\*\w+$/gm)).toEqual(['*raw', '*mangle', '*nat', '*filter']);
  });

  it('respect where targets are valid: NAT only in nat, REJECT only in filter, no -i in OUTPUT/POSTROUTING', () => {
    fc.assert(
      fc.property(rulesetArb, (rs) => {
        let table = '';
        for (const line of renderRuleset(rs).split('\n')) {
          if (line.startsWith('*')) table = line.slice(1);
          if (!line.startsWith('-A ')) continue;
          const chain = line.split(' ')[1]!;
          if (/-j (DNAT|REDIRECT)/.test(line)) expect([table, ['PREROUTING', 'OUTPUT', 'ND1', 'ND2'].includes(chain)]).toEqual(['nat', true]);
          if (/-j (SNAT|MASQUERADE)/.test(line)) expect([table, ['POSTROUTING', 'INPUT', 'NS1'].includes(chain)]).toEqual(['nat', true]);
          if (/-j MASQUERADE/.test(line)) expect(chain).not.toBe('INPUT');
          if (/-j REJECT/.test(line)) expect(table).toBe('filter');
          if (/ -i /.test(line)) expect(['OUTPUT', 'POSTROUTING']).not.toContain(chain);
          if (/ -o /.test(line)) expect(['PREROUTING', 'INPUT']).not.toContain(chain);
          if (/--to-(destination \S+:\d|ports)|tcp-reset|--[sd]port|multiport/.test(line)) expect(line).toMatch(/-p (tcp|udp)/);
          if (/tcp-reset/.test(line)) expect(line).toContain('-p tcp');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('send external packets only to addresses upstream routes to the node, and loopback ones only from the host', () => {
    fc.assert(
      fc.property(packetArb, (p) => {
        if (p.origin === 'external') expect(['10.0.0.11', '10.244.1.6', '10.244.1.5', '10.244.1.1', '10.96.0.10', '10.96.0.50']).toContain(p.dst);
        if (p.dst.startsWith('127.')) expect([p.origin, p.src]).toEqual(['host', '127.0.0.1']);
        if (p.origin === 'pod') expect(p.src).toBe('10.244.1.5');
      }),
    );
  });
});
