/**
 * parse → print → parse on every real capture, conformance dump, sample and fixture: the second
 * reading equals the first after normalisation, printing is a fixed point, nothing throws, and
 * every diagnostic points inside its file. (test/kernel/iptables-roundtrip.test.ts does the same
 * through the kernel.)
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../../src/index.js';
import { normaliseRuleset } from '../../../src/model/iptables/normalise.js';
import { printRuleset } from '../../../src/model/iptables/print.js';
import { sharedAvailable } from '../../support/paths.js';
import { catalogueFixtures, conformanceDumps, realCaptures, repositorySamples, type CorpusFile } from './corpus.js';

function roundTrip(file: CorpusFile): void {
  const text = readFileSync(file.path, 'utf8');
  const options = file.family ? { family: file.family } : {};
  const first = parseIptablesSave(text, file.name, options);
  for (const d of first.diagnostics) {
    expect(d.at, `${d.code} is located`).not.toBeNull();
    expect(d.at!.start >= 0 && d.at!.end <= text.length && d.at!.start <= d.at!.end, `${d.code} lies inside the file`).toBe(true);
  }
  const printed = printRuleset(first);
  const second = parseIptablesSave(printed, `${file.name} (printed)`, { family: first.family });
  expect(normaliseRuleset(second)).toEqual(normaliseRuleset(first));
  expect(printRuleset(second)).toBe(printed);
  // Printing adds no problem: the second reading reports at most what the first did.
  const codes = (rs: typeof first) => rs.diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code).sort();
  const before = codes(first);
  for (const code of codes(second)) expect(before, `printed text reports ${code}`).toContain(code);
}

describe('parse → print → parse', () => {
  describe.skipIf(!sharedAvailable)('real captures (../shared/samples/real)', () => {
    const files = realCaptures();
    it('finds the iptables-save captures SOURCES.md lists', () => expect(files.length).toBeGreaterThan(90));
    for (const file of files) it(file.name, () => roundTrip(file));
  });

  describe.skipIf(!sharedAvailable)('kube-proxy conformance dumps', () => {
    for (const file of conformanceDumps()) it(file.name, () => roundTrip(file));
  });

  describe('samples/ and fixtures', () => {
    for (const file of [...repositorySamples(), ...catalogueFixtures()]) {
      it(`${file.name} reads without errors and round-trips`, () => {
        const rs = parseIptablesSave(readFileSync(file.path, 'utf8'), file.name, file.family ? { family: file.family } : {});
        expect(rs.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)).toEqual([]);
        roundTrip(file);
      });
    }
  });
});
