import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../../grammar/ipset/parse.js';
import { buildIpsets } from '../../../src/model/ipset/build.js';
import { contains } from '../../../src/model/ipset/contains.js';
import type { IpSetPacket } from '../../../src/model/ipset/types.js';

// Words ipset text is made of, to build texts that are almost right.
const words = [
  'create', 'add', 'del', 'flush', 'destroy', 'rename', 'swap', 'COMMIT', 'Name:', 'Type:', 'Header:', 'Members:',
  'Revision:', 'References:', 'Size in memory:', 'Number of entries:', '$', '#', 's', 't', 'hash:ip', 'hash:net',
  'hash:ip,port', 'hash:net,iface', 'hash:ip,port,net', 'bitmap:port', 'bitmap:ip', 'list:set', 'hash:ip,mark',
  'family', 'inet', 'inet6', 'hashsize', '1024', 'timeout', 'counters', 'comment', '"x y"', '"', 'nomatch', 'wildcard',
  'range', '0-65535', '10.0.0.0/8', '10.0.0.1', '10.0.0.1-10.0.0.9', '::1', '2001:db8::/32', 'tcp:80', 'udp:53-60',
  'icmp:echo-request', 'icmp:8/0', 'gre:0', 'eth0', 'physdev:eth1', '0x10', ',', 'netmask', '24', 'before', '\t', '\r',
];
const line = fc.array(fc.constantFrom(...words), { maxLength: 8 }).map((ws) => ws.join(' ').replace(/ , /g, ','));
const almostIpset = fc.array(line, { maxLength: 25 }).map((ls) => ls.join('\n'));

const packet: IpSetPacket = { family: 'ipv4', src: 0x0a000001n, dst: 0x0a000002n, proto: 'tcp', sport: 80, dport: 80, inIface: 'eth0', outIface: 'eth1' };

function check(text: string): void {
  const syntax = parseIpsetText({ name: 'fuzz', text });
  const model = buildIpsets(syntax);
  for (const d of [...syntax.diagnostics, ...model.diagnostics]) {
    expect(d.at).not.toBeNull();
    expect(d.at!.start).toBeGreaterThanOrEqual(0);
    expect(d.at!.end).toBeLessThanOrEqual(text.length);
  }
  const byName = new Map(model.sets.map((s) => [s.name, s]));
  for (const set of model.sets) {
    expect(typeof contains(set, packet, ['src', 'dst', 'src'], byName)).toBe('boolean');
  }
}

describe('ipset parse, build and contains on arbitrary input', () => {
  it('never throw, and locate every diagnostic inside the text (random text)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => check(text)), { numRuns: 300 });
  });

  it('never throw, and locate every diagnostic inside the text (nearly ipset text)', () => {
    fc.assert(fc.property(almostIpset, (text) => check(text)), { numRuns: 500 });
  });

  it('give every unreadable line its own diagnostic', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('add s 10.0.0.1,', 'create', '"open', 'Name:', 'add s 10.0.0.9'), { minLength: 1, maxLength: 20 }), (ls) => {
        const text = `create s hash:ip\n${ls.join('\n')}\n`;
        const syntax = parseIpsetText({ name: 'fuzz', text });
        const model = buildIpsets(syntax);
        const bad = ls.filter((l) => l !== 'add s 10.0.0.9').length;
        expect(syntax.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(bad);
        expect(model.sets[0]?.members.length ?? 0).toBe(ls.length - bad > 0 ? 1 : 0);
      }),
      { numRuns: 200 },
    );
  });
});
