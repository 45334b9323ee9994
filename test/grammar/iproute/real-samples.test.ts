/**
 * Every real capture in ../shared/samples/real goes through every parser and model of this area
 * without throwing; the captures of each kind read without syntax errors and as SOURCES.md
 * describes them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import { parseIpAddrText } from '../../../grammar/iproute/parse-addr.js';
import { parseIpRouteText } from '../../../grammar/iproute/parse-route.js';
import { parseIpRuleText } from '../../../grammar/iproute/parse-rule.js';
import { parseIptablesListingText } from '../../../grammar/iptables-listing/parse.js';
import { parseSysctlText } from '../../../grammar/sysctl/parse.js';
import { buildInterfaces, buildIpRules, buildRoutes, localAddresses } from '../../../src/model/iproute/index.js';
import { buildIptablesListing, listingLosses } from '../../../src/model/iptables-listing/index.js';
import { buildSysctls } from '../../../src/model/sysctl/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = path.resolve(repoRoot, '../shared');
const real = path.join(shared, 'samples/real');
const exists = existsSync(path.join(real, 'SOURCES.md'));
if (!exists) console.warn(`test/grammar/iproute/real-samples.test.ts skipped: ${real} is absent`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** SOURCES.md's per-file table: relative path → kind and features. */
function sources(): Map<string, { kind: string; features: string }> {
  const table = new Map<string, { kind: string; features: string }>();
  for (const line of readFileSync(path.join(real, 'SOURCES.md'), 'utf8').split('\n')) {
    const cells = line.split(' | ');
    const file = /^\| `([^`]+)`$/.exec(cells[0] ?? '')?.[1];
    if (file && cells.length >= 6) table.set(file, { kind: cells[1] ?? '', features: cells[5] ?? '' });
  }
  return table;
}

const SYNTAX_CODES = new Set(['iproute/syntax', 'iproute/unexpected-character', 'sysctl/syntax', 'sysctl/unexpected-character', 'iptables-listing/syntax', 'iptables-listing/unexpected-character', 'json/syntax']);

function syntaxErrors(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.filter((d) => SYNTAX_CODES.has(d.code)).map((d) => `${d.code} at ${d.at?.start}: ${d.message}`);
}

const files = exists ? filesUnder(real).map((f) => path.relative(real, f)) : [];

describe.skipIf(!exists)('every real capture, through every parser and model of this area', () => {
  it('finds the captures', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it.each(files)('%s: no throw, and a located diagnostic for each line a parser could not read', (file) => {
    const source = { name: file, text: readFileSync(path.join(real, file), 'utf8') };
    const interfaces = buildInterfaces(parseIpAddrText(source));
    const routes = buildRoutes(parseIpRouteText(source));
    localAddresses(interfaces.interfaces, routes.routes);
    const rules = buildIpRules(parseIpRuleText(source));
    const sysctls = buildSysctls(parseSysctlText(source));
    const listing = buildIptablesListing(parseIptablesListingText(source));
    listingLosses(listing);
    for (const diagnostics of [interfaces.diagnostics, routes.diagnostics, rules.diagnostics, sysctls.diagnostics, listing.diagnostics]) {
      for (const d of diagnostics) {
        if (!d.at) continue;
        expect(d.at.start).toBeGreaterThanOrEqual(0);
        expect(d.at.end).toBeLessThanOrEqual(source.text.length);
      }
    }
  });
});

describe.skipIf(!exists)('real captures of each kind', () => {
  it('reads every `ip addr` capture without syntax errors, with the interfaces SOURCES.md counts', () => {
    const table = sources();
    const addr = [...table].filter(([, s]) => s.kind === 'ip addr');
    expect(addr.length).toBeGreaterThanOrEqual(10);
    for (const [file, { features }] of addr) {
      const text = readFileSync(path.join(real, file), 'utf8');
      const result = buildInterfaces(parseIpAddrText({ name: file, text }));
      expect(syntaxErrors(result.diagnostics), file).toEqual([]);
      const count = /(\d+) interfaces/.exec(features)?.[1];
      if (count) expect(result.interfaces.length, file).toBe(Number(count));
      // What cannot be read is an anonymised address, and each is reported where it is.
      for (const d of result.diagnostics.filter((x) => x.severity === 'error')) {
        expect(d.code, file).toBe('iproute/bad-address');
        expect(text.slice(d.at!.start, d.at!.end), file).toMatch(/X|\[/);
      }
    }
  });

  it('reads every `ip route` and `ip rule` capture without errors', () => {
    const table = sources();
    const routeFiles = [...table].filter(([, s]) => s.kind.startsWith('ip route'));
    const ruleFiles = [...table].filter(([, s]) => s.kind === 'ip rule');
    expect(routeFiles.length).toBeGreaterThanOrEqual(10);
    expect(ruleFiles.length).toBeGreaterThanOrEqual(3);
    for (const [file] of routeFiles) {
      const text = readFileSync(path.join(real, file), 'utf8');
      const result = buildRoutes(parseIpRouteText({ name: file, text }));
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), file).toEqual([]);
      // One route per line, except prompt lines.
      const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('$'));
      expect(result.routes.length, file).toBe(lines.length);
    }
    for (const [file] of ruleFiles) {
      const text = readFileSync(path.join(real, file), 'utf8');
      const result = buildIpRules(parseIpRuleText({ name: file, text }));
      expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), file).toEqual([]);
      expect(result.rules.length, file).toBe(text.split('\n').filter((l) => l.trim() !== '').length);
    }
  });

  it('reads the Calico node routes: blackhole, proto bird, /32 routes to cali* devices', () => {
    const file = 'tkng-kind/calico__ip-route.txt';
    const result = buildRoutes(parseIpRouteText({ name: file, text: readFileSync(path.join(real, file), 'utf8') }));
    const blackhole = result.routes.find((r) => r.type === 'blackhole')!;
    expect([blackhole.destination !== 'default' && blackhole.destination.text, blackhole.proto]).toEqual(['10.244.190.0/24', 'bird']);
    const pods = result.routes.filter((r) => r.dev?.startsWith('cali'));
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((r) => r.destination !== 'default' && r.destination.prefix === 32 && r.scope === 'link')).toBe(true);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['iproute/prompt-line']);
  });

  it('recognises the `iptables -nvL` capture as a listing and says what it loses', () => {
    const [file] = [...sources()].find(([, s]) => s.kind.includes('NOT save format')) ?? [];
    expect(file).toBeDefined();
    const text = readFileSync(path.join(real, file!), 'utf8');
    const listing = buildIptablesListing(parseIptablesListingText({ name: file!, text }));
    expect(syntaxErrors(listing.diagnostics)).toEqual([]);
    expect(listing.chains.map((c) => [c.name, c.references, c.ruleCount])).toEqual([['KUBE-SERVICES', 2, 3]]);
    expect(listing.flags).toMatchObject({ verbose: true, numeric: true });
    expect(listing.chains[0]!.rows[0]!.source).toEqual({ text: '10.244.0.0/16', negated: true });
    const losses = listingLosses(listing).join('\n');
    expect(losses).toMatch(/Only chain KUBE-SERVICES is listed/);
    expect(losses).toMatch(/iptables-save/);
  });
});
