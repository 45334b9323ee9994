/**
 * The shared output options of parse, trace and graph (src/cli/output-options.ts), through the
 * real CLI. (Kept under test/report with the renderers they choose between.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIptlens } from './fixtures.js';

const TRACE = ['trace', 'samples/iptables-current/', '--from', 'pod', '--src', '10.244.1.5', '--dst', '10.96.0.10', '-p', 'udp', '--dport', '53'];
const ANSI = /\u001b\[/;

describe('--output and --json', () => {
  it.each([
    ['parse', ['parse', 'samples/iptables-current/']],
    ['trace', TRACE],
  ])('%s: --json is --output json, and text stays the default', async (_name, args) => {
    const json = await runIptlens([...args, '--json']);
    expect((await runIptlens([...args, '--output', 'json'])).stdout).toBe(json.stdout);
    expect(JSON.parse(json.stdout).schema).toMatch(/^iptlens\.(parse|trace)\/v1$/);
    expect((await runIptlens(args)).stdout).toBe((await runIptlens([...args, '--output', 'text'])).stdout);
  });

  it('graph: --output json prints the graph JSON; --format still picks the text output', async () => {
    const file = 'samples/docker-host/iptables-save.txt';
    expect((await runIptlens(['graph', file, '--output', 'json'])).stdout).toBe((await runIptlens(['graph', file, '--format', 'json'])).stdout);
    expect((await runIptlens(['graph', file])).stdout).toMatch(/^digraph chains \{/);
    expect((await runIptlens(['graph', file, '--format', 'mermaid'])).stdout).toMatch(/^flowchart LR/);
    expect((await runIptlens(['graph', file, '--output', 'markdown'])).stdout).toMatch(/^## ℹ️ iptlens graph iptables-save\.txt: \d+ chains, \d+ jumps/);
  });

  it('refuses an unknown format with a usage error', async () => {
    const run = await runIptlens([...TRACE, '--output', 'pdf']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Allowed choices are text, markdown, json, html');
  });

  it('never puts terminal colours into markdown, html or json, even when colours are forced', async () => {
    for (const format of ['markdown', 'html', 'json']) {
      const run = await runIptlens([...TRACE, '--output', format], { FORCE_COLOR: '1' }, true);
      expect(run.stdout).not.toMatch(ANSI);
    }
    expect((await runIptlens(TRACE, { FORCE_COLOR: '1' }, true)).stdout).toMatch(ANSI);
    expect((await runIptlens(TRACE, { NO_COLOR: '1' }, true)).stdout).not.toMatch(ANSI);
  });

  it('lists the formats and redaction in --help of parse, trace and graph', async () => {
    for (const command of ['parse', 'trace', 'graph']) {
      const help = (await runIptlens([command, '--help'])).stdout.replace(/\s+/g, ' ');
      expect(help).toMatch(/--output <format>[\s\S]*choices: "text", "markdown", "json", "html"/);
      expect(help).toContain('--redact [what]');
      expect(help).toContain('--redact-key <key>');
    }
  });
});

describe('--redact', () => {
  it('takes "names" or nothing; an input right after it is refused with a clear message', async () => {
    expect((await runIptlens([...TRACE, '--redact'])).code).toBe(0);
    expect((await runIptlens([...TRACE, '--redact=names'])).code).toBe(0);
    const run = await runIptlens(['parse', '--redact', 'samples/iptables-current/']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/argument 'samples\/iptables-current\/' is invalid\. Allowed choices are addresses, names/);
  });

  it('replaces addresses in the text output, names only with "names"', async () => {
    const plain = (await runIptlens(TRACE)).stdout;
    const addresses = (await runIptlens([...TRACE, '--redact'])).stdout;
    const names = (await runIptlens([...TRACE, '--redact', 'names'])).stdout;
    expect(plain).toContain('10.244.1.5:40000');
    expect(addresses).not.toContain('10.244.1.5');
    expect(addresses).toContain('"kube-system/kube-dns:dns cluster IP"');
    expect(names.split('\n').length).toBe(plain.split('\n').length);
  });

  it('gives the same pseudonyms with the same --redact-key (which implies --redact), new ones without', async () => {
    const a = (await runIptlens([...TRACE, '--redact-key', 'k1'])).stdout;
    expect(a).not.toContain('10.244.1.5');
    expect((await runIptlens([...TRACE, '--redact-key', 'k1'])).stdout).toBe(a);
    expect((await runIptlens([...TRACE, '--redact-key', 'k2'])).stdout).not.toBe(a);
    expect((await runIptlens([...TRACE, '--redact'])).stdout).not.toBe((await runIptlens([...TRACE, '--redact'])).stdout);
  });

  it('redacts what goes to stderr too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iptlens-redact-'));
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -s 203.0.113.77/32 -j\nCOMMIT\n');
    const plain = await runIptlens(['trace', bad, '--from', 'external', '--src', '203.0.113.77', '--dst', '10.0.0.11', '--local-ip', '10.0.0.11']);
    expect(plain.stderr).toContain('203.0.113.77');
    const redacted = await runIptlens(['trace', bad, '--from', 'external', '--src', '203.0.113.77', '--dst', '10.0.0.11', '--local-ip', '10.0.0.11', '--redact']);
    expect(redacted.stderr.length).toBeGreaterThan(0);
    expect(redacted.stderr).not.toContain('203.0.113.77');
    expect(redacted.stdout).not.toContain('203.0.113.77');
  });
});

describe('progress', () => {
  it('shows a progress line on a terminal and clears it; never with --quiet or when piped', async () => {
    const tty = await runIptlens(TRACE, { NO_COLOR: '1' }, true);
    expect(tty.stderr).toContain('iptlens: reading inputs…');
    expect(tty.stderr).toContain('iptlens: tracing…');
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect((await runIptlens([...TRACE, '--quiet'], { NO_COLOR: '1' }, true)).stderr).toBe('');
    expect((await runIptlens(TRACE)).stderr).toBe('');
  });
});
