import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../../grammar/ipset/parse.js';
import { buildIpsets } from '../../../src/model/ipset/build.js';
import { contains } from '../../../src/model/ipset/contains.js';
import type { Direction, IpSet, IpSetMember, IpSetPacket } from '../../../src/model/ipset/types.js';
import { filesUnder, realDir, sharedAvailable } from '../../support/paths.js';

if (!sharedAvailable) console.warn('[ipset model] ../shared/samples/real is absent: the real-capture tests are skipped.');

const all = filesUnder(realDir);
const listings = all.filter((p) => basename(p).includes('ipset'));

/** A packet that carries a member's first value in every dimension, all read as destination. */
function packetOf(set: IpSet, member: IpSetMember): { packet: IpSetPacket; flags: Direction[] } {
  let packet: IpSetPacket = { family: set.family === 'ipv6' ? 'ipv6' : 'ipv4', src: 1n, dst: 1n, proto: 'tcp' };
  const flags: Direction[] = [];
  member.dims.forEach((dim, i) => {
    // Addresses after the first go to the source (hash:ip,port,ip / ,net name the client there).
    const direction: Direction = dim.kind === 'address' && i > 0 ? 'src' : 'dst';
    flags.push(direction);
    switch (dim.kind) {
      case 'address':
        packet = { ...packet, family: dim.family, [direction]: dim.first };
        break;
      case 'port':
        packet = { ...packet, proto: dim.protocol ?? 'tcp', dport: dim.from, icmpType: dim.from >> 8, icmpCode: dim.from & 0xff };
        break;
      default:
        throw new Error(`no packet field for ${dim.kind} in these captures`);
    }
  });
  return { packet, flags };
}

describe.skipIf(!sharedAvailable)('buildIpsets over the real captures', () => {
  it.each(listings.map((p) => [relative(realDir, p), p]))('%s: one set, every listed member read and matching itself', (_name, path) => {
    const syntax = parseIpsetText({ name: path, text: readFileSync(path, 'utf8') });
    const model = buildIpsets(syntax);
    expect(model.diagnostics).toEqual([]);
    expect(model.sets).toHaveLength(1);
    const set = model.sets[0]!;
    expect(set.type).not.toBe('unknown');
    expect(set.membersKnown).toBe(true);
    expect(set.members.length).toBe(set.listing?.entries);
    for (const member of set.members) {
      const { packet, flags } = packetOf(set, member);
      expect([member.text, contains(set, packet, flags)]).toEqual([member.text, true]);
    }
  });

  it('never throws on any file of the corpus', () => {
    expect(all.length).toBeGreaterThan(100);
    for (const path of all) {
      const model = buildIpsets(parseIpsetText({ name: path, text: readFileSync(path, 'utf8') }));
      expect(Array.isArray(model.sets)).toBe(true);
    }
  });
});
