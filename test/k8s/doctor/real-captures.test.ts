/**
 * Every real capture of the shared corpus, each file alone as a node: no check fails, nothing
 * throws, and every finding cites lines of that file.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadNodes } from '../../../src/cli/inputs.js';
import { runDoctor } from '../../../src/k8s/doctor/run.js';
import { filesUnder, realDir, sharedAvailable } from '../../support/paths.js';

if (!sharedAvailable) console.warn(`[iptlens tests] ${realDir} is absent: doctor over the real captures is skipped.`);

const files = filesUnder(realDir, (p) => !p.endsWith('.md'));

describe.skipIf(!sharedAvailable)('doctor over every real capture', () => {
  it.each(files.map((f) => [basename(f), f]))('%s', (_name, file) => {
    const result = runDoctor(loadNodes([file]));
    expect(result.failed).toEqual([]);
    for (const f of result.findings) {
      expect(f.evidence.length, f.title).toBeGreaterThan(0);
      for (const e of f.evidence) expect(e.at.source.name).toBe(file);
    }
  });
});
