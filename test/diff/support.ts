/** Nodes for the diff tests: sample bundles read as the CLI reads them, or files written on the fly. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNode } from '../../src/cli/inputs.js';
import type { NodeSnapshot } from '../../src/model/node.js';
import { buildNodeSnapshot } from '../../src/model/node.js';
import { repoRoot } from '../support/paths.js';

export const samplesDir = join(repoRoot, 'samples');

export function sample(name: string): NodeSnapshot {
  return loadNode([join(samplesDir, name)]);
}

/** A sample bundle's files, each passed through `edit` (file name → text), as a new node. */
export function editedSample(name: string, edit: (file: string, text: string) => string, nodeName = `${name}-edited`): NodeSnapshot {
  const dir = join(samplesDir, name);
  const sources = readdirSync(dir)
    .sort()
    .map((file) => ({ name: `${nodeName}/${file}`, text: edit(file, readFileSync(join(dir, file), 'utf8')) }));
  return buildNodeSnapshot(nodeName, sources);
}

/** A bundle directory holding the given files (for the CLI). */
export function bundle(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iptlens-diff-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

export function node(name: string, files: Record<string, string>): NodeSnapshot {
  return buildNodeSnapshot(
    name,
    Object.entries(files).map(([file, text]) => ({ name: `${name}/${file}`, text })),
  );
}
