/**
 * Redaction on whole reports: for every sample, the redacted output of parse, trace and graph in
 * every format holds none of the sample's addresses (except the special ones kept on purpose),
 * and the pseudonyms keep subnets together.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../../src/report/redact/redactor.js';
import { filesUnder, realDir, repoRoot, sharedAvailable } from '../../support/paths.js';
import { graphArgs, runIptlens, SAMPLES, traceArgs } from '../fixtures.js';
import { addressesIn, keyOf, mustChange, type FoundAddress } from './found.js';

const KEY = 'samples-test-key';
const FORMATS = ['text', 'json', 'markdown', 'html'] as const;

function inputText(sample: string): string {
  const dir = join(repoRoot, 'samples', sample);
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

function leaked(sensitive: ReadonlySet<string>, output: string): string[] {
  return [...new Set(addressesIn(output).filter((a) => sensitive.has(keyOf(a))).map((a) => a.text))];
}

describe.each(SAMPLES)('redacted reports of samples/%s', (sample) => {
  const input = inputText(sample);
  const found = addressesIn(input);
  const sensitive = new Set(found.filter(mustChange).map(keyOf));

  it('the sample has addresses to hide', () => {
    expect(sensitive.size).toBeGreaterThan(3);
  });

  for (const [command, args] of [
    ['parse', ['parse', `samples/${sample}/`]],
    ['trace', traceArgs(sample)],
    ['graph', graphArgs(sample)],
  ] as const) {
    it.each(FORMATS)(`${command} --output %s --redact names leaves no address of the input`, async (format) => {
      const plain = await runIptlens([...args, '--output', format]);
      const run = await runIptlens([...args, '--output', format, '--redact', 'names', '--redact-key', KEY]);
      expect(run.code).toBe(plain.code);
      expect(run.stdout.length).toBeGreaterThan(0);
      // The unredacted output does show addresses, so this check has something to find.
      if (command === 'trace') expect(leaked(sensitive, plain.stdout).length).toBeGreaterThan(0);
      expect(leaked(sensitive, run.stdout)).toEqual([]);
      expect(leaked(sensitive, run.stderr)).toEqual([]);
    });
  }

  it('keeps two addresses in one /24 in one /24, and apart when they were apart', () => {
    const r = createRedactor({ names: false, key: KEY });
    const hosts = new Map<string, FoundAddress>();
    for (const a of found) if (a.family === 'ipv4' && a.prefix === null && mustChange(a)) hosts.set(a.value.toString(), a);
    const list = [...hosts.values()];
    const net = (text: string): string => text.split('.').slice(0, 3).join('.');
    const pseudonym = new Map(list.map((a) => [a, r.text(addressText(a))]));
    let pairs = 0;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        const same = a.value >> 8n === b.value >> 8n;
        expect(net(pseudonym.get(a)!) === net(pseudonym.get(b)!), `${addressText(a)} ${addressText(b)}`).toBe(same);
        pairs++;
      }
    }
    if (sample !== 'ipv6') expect(pairs).toBeGreaterThan(0);
  });

  it('uses the pseudonyms --redact-key gives, the same in every format', async () => {
    const r = createRedactor({ names: false, key: KEY });
    const args = traceArgs(sample);
    const src = args[args.indexOf('--src') + 1]!;
    const json = JSON.parse((await runIptlens([...args, '--json', '--redact', '--redact-key', KEY])).stdout) as { probe: { src: string } };
    expect(json.probe.src).toBe(r.text(src));
    const markdown = (await runIptlens([...args, '--output', 'markdown', '--redact-key', KEY])).stdout;
    expect(markdown).toContain(r.text(src));
  });
});

function addressText(a: FoundAddress): string {
  return a.text.replace(/\/\d+$/, '');
}

describe.skipIf(!sharedAvailable)('redaction of the real captures in ../shared/samples/real', () => {
  const files = filesUnder(realDir, (p) => !p.endsWith('.md'));
  it.each(files.map((f) => [f.slice(realDir.length + 1), f]))('%s: no address survives', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const sensitive = new Set(addressesIn(text).filter(mustChange).map(keyOf));
    const out = createRedactor({ names: true, key: KEY }).text(text);
    expect(leaked(sensitive, out)).toEqual([]);
    // Lines stay lines: redaction replaces addresses, it does not reflow the text.
    expect(out.split('\n').length).toBe(text.split('\n').length);
  });
});
