import { readFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../../grammar/ipset/parse.js';
import { filesUnder, realDir, sharedAvailable } from '../../support/paths.js';

if (!sharedAvailable) console.warn('[ipset grammar] ../shared/samples/real is absent: the real-capture tests are skipped.');

const all = filesUnder(realDir);
const listings = all.filter((p) => basename(p).includes('ipset'));

describe.skipIf(!sharedAvailable)('parseIpsetText over the real captures', () => {
  it('finds the ipset listings of the corpus', () => {
    expect(listings.length).toBeGreaterThanOrEqual(5);
  });

  it.each(listings.map((p) => [relative(realDir, p), p]))('%s: parses with no diagnostic but the skipped prompt', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    const { statements, diagnostics } = parseIpsetText({ name: path, text });
    expect(diagnostics.filter((d) => d.code !== 'ipset/prompt-line')).toEqual([]);
    // Each capture starts with one "$ …" prompt line: exactly one info for it.
    expect(diagnostics.map((d) => d.severity)).toEqual(text.startsWith('$ ') ? ['info'] : []);
    const listing = statements.find((s) => s.kind === 'listing');
    expect(listing?.kind).toBe('listing');
    if (listing?.kind === 'listing') {
      const memberLines = text.slice(text.indexOf('Members:\n') + 'Members:\n'.length).split('\n').filter((l) => l.trim() !== '');
      expect(listing.members?.map((m) => m.element.text)).toEqual(memberLines.map((l) => l.trim()));
    }
  });

  it('never throws on any file of the corpus, and locates every diagnostic inside its file', () => {
    expect(all.length).toBeGreaterThan(100);
    for (const path of all) {
      const text = readFileSync(path, 'utf8');
      const result = parseIpsetText({ name: path, text });
      for (const d of result.diagnostics) {
        expect(d.at).not.toBeNull();
        expect(d.at!.start).toBeGreaterThanOrEqual(0);
        expect(d.at!.end).toBeLessThanOrEqual(text.length);
        expect(d.at!.start).toBeLessThanOrEqual(d.at!.end);
      }
    }
  });
});
