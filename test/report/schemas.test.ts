/**
 * The JSON contracts in docs/schemas hold for what the commands really print: every sample's
 * `parse`, `trace` and `graph` JSON, `services` JSON, and the report document behind
 * markdown/html, validated with ajv (JSON Schema 2020-12).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadNode } from '../../src/cli/inputs.js';
import { registerServicesCommand } from '../../src/cli/commands/services.js';
import { buildChainGraph } from '../../src/graph/chain-graph.js';
import { graphDocument } from '../../src/report/graph/document.js';
import { parseDocument } from '../../src/report/parse/document.js';
import { traceDocument } from '../../src/report/trace/document.js';
import { nodeFacts } from '../../src/eval/node-facts.js';
import { trace } from '../../src/eval/pipeline.js';
import { probeFromWords } from '../../src/eval/probe.js';
import { repoRoot } from '../support/paths.js';
import { graphArgs, runIptlens, SAMPLES, traceArgs } from './fixtures.js';

const schemaDir = join(repoRoot, 'docs', 'schemas');
const ajv = new Ajv2020.default({ allErrors: true, strict: true });
const schemas = Object.fromEntries(
  readdirSync(schemaDir)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => [f.replace('.schema.json', ''), ajv.compile(JSON.parse(readFileSync(join(schemaDir, f), 'utf8')) as object)]),
);

function check(name: string, value: unknown): void {
  const validate = schemas[name];
  expect(validate, `docs/schemas/${name}.schema.json`).toBeDefined();
  const ok = validate!(value);
  expect(ok ? [] : validate!.errors, `${name} output does not match its schema`).toEqual([]);
}

async function json(args: readonly string[]): Promise<unknown> {
  const run = await runIptlens(args);
  expect(run.stdout.trimStart().startsWith('{'), run.stderr).toBe(true);
  return JSON.parse(run.stdout);
}

describe('docs/schemas', () => {
  it('has one schema per JSON contract, each naming its version', () => {
    expect(Object.keys(schemas).sort()).toEqual(['graph', 'parse', 'report', 'services', 'trace']);
    for (const name of Object.keys(schemas)) {
      const schema = JSON.parse(readFileSync(join(schemaDir, `${name}.schema.json`), 'utf8')) as { $schema: string; title: string };
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(schema.title).toBe(`iptlens.${name}/v1`);
    }
  });

  it('rejects a document that breaks the contract', () => {
    expect(schemas.trace!({ schema: 'iptlens.trace/v1' })).toBe(false);
    expect(schemas.parse!({ schema: 'iptlens.parse/v2' })).toBe(false);
  });
});

describe.each(SAMPLES)('JSON of samples/%s', (sample) => {
  it('parse --json matches iptlens.parse/v1', async () => {
    check('parse', await json(['parse', `samples/${sample}/`, '--json']));
  });

  it('trace --json matches iptlens.trace/v1', async () => {
    const value = (await json([...traceArgs(sample), '--json'])) as { paths: unknown[] };
    expect(value.paths.length).toBeGreaterThan(0);
    check('trace', value);
  });

  it('graph --output json and --format json match iptlens.graph/v1', async () => {
    const value = (await json([...graphArgs(sample), '--output', 'json'])) as { nodes: unknown[] };
    expect(value.nodes.length).toBeGreaterThan(0);
    check('graph', value);
    check('graph', await json([...graphArgs(sample), '--format', 'json']));
  });

  it('services --json matches iptlens.services/v1', async () => {
    let stdout = '';
    const program = new Command().exitOverride();
    registerServicesCommand(program, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: {} }, () => undefined, loadNode);
    await program.parseAsync(['services', `samples/${sample}/`, '--json'], { from: 'user' });
    check('services', JSON.parse(stdout));
  });

  it('the report documents behind markdown/html match iptlens.report/v1', () => {
    const node = loadNode([`samples/${sample}/`]);
    const meta = { commandLine: ['iptlens', 'test'], version: '0.0.0' };
    check('report', parseDocument(node, meta));
    const args = traceArgs(sample);
    const word = (flag: string): string | undefined => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
    const parsed = probeFromWords({ from: word('--from')!, dst: word('--dst')!, src: word('--src')!, proto: word('-p') ?? 'tcp', dport: word('--dport')!, assumeHistory: false }, () => null);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    check('report', traceDocument(node, trace(nodeFacts(node, parsed.probe.family, { localIps: [] }), parsed.probe, { maxPaths: 2048 }), meta));
    const ruleset = node.ipv4 ?? node.ipv6;
    if (ruleset) check('report', graphDocument(node, buildChainGraph(ruleset), () => true, { family: ruleset.family, table: null, from: null }, 'digraph {}', meta));
  });
});
