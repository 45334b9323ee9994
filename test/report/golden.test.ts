/**
 * Golden outputs: what `iptlens` prints, per format, on a few samples, compared byte for byte
 * with test/golden/<case>/<format>. They change only through the explicit update step:
 *
 *   UPDATE_GOLDEN=1 npx vitest run --config test/vitest.config.ts test/report/golden.test.ts
 *
 * then review the diff of test/golden/ like code. The iptlens version in report footers is
 * written as `<version>`, so a release does not touch them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { repoRoot } from '../support/paths.js';
import { runIptlens } from './fixtures.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const goldenDir = join(repoRoot, 'test', 'golden');

type Format = 'text' | 'json' | 'markdown' | 'html';
const EXTENSION: Record<Format, string> = { text: 'txt', json: 'json', markdown: 'md', html: 'html' };

const CASES: readonly { name: string; args: readonly string[]; formats: readonly Format[] }[] = [
  {
    name: 'iptables-current-trace-dns',
    args: ['trace', 'samples/iptables-current/', '--from', 'pod', '--src', '10.244.1.5', '--dst', '10.96.0.10', '-p', 'udp', '--dport', '53'],
    formats: ['text', 'json', 'markdown', 'html'],
  },
  {
    name: 'iptables-current-trace-firewalled',
    args: ['trace', 'samples/iptables-current/', '--from', 'external', '--src', '198.51.100.7', '--dst', '10.0.0.102', '--dport', '80'],
    formats: ['text', 'json', 'markdown', 'html'],
  },
  {
    name: 'ipvs-local-trace-lb',
    args: ['trace', 'samples/ipvs-local/', '--from', 'pod', '--src', '10.244.1.5', '--dst', '10.0.0.100', '--dport', '80'],
    formats: ['text', 'json', 'markdown', 'html'],
  },
  {
    name: 'iptables-current-trace-firewalled-redacted',
    args: ['trace', 'samples/iptables-current/', '--from', 'external', '--src', '198.51.100.7', '--dst', '10.0.0.102', '--dport', '80', '--redact', 'names', '--redact-key', 'golden'],
    formats: ['text', 'markdown'],
  },
  { name: 'docker-host-parse', args: ['parse', 'samples/docker-host/'], formats: ['text', 'json', 'markdown', 'html'] },
  { name: 'docker-host-graph', args: ['graph', 'samples/docker-host/iptables-save.txt'], formats: ['json', 'markdown', 'html'] },
];

function normalise(output: string): string {
  return output.split(`iptlens ${VERSION} ·`).join('iptlens <version> ·');
}

describe.each(CASES)('golden $name', ({ name, args, formats }) => {
  it.each(formats)('%s', async (format) => {
    const run = await runIptlens([...args, '--output', format]);
    const actual = normalise(run.stdout);
    const file = join(goldenDir, name, `${format}.${EXTENSION[format]}`);
    if (UPDATE) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, actual);
      return;
    }
    expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run --config test/vitest.config.ts test/report/golden.test.ts`).toBe(true);
    expect(actual, `output differs from ${file}; if the change is intended, update with UPDATE_GOLDEN=1 (see docs/output.md)`).toBe(readFileSync(file, 'utf8'));
  });
});
