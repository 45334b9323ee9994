import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffNodes } from '../../src/diff/index.js';
import { loadNode } from '../../src/cli/inputs.js';
import { diffReportText } from '../../src/report/diff/text.js';
import { PLAIN } from '../../src/report/style.js';
import { repoRoot } from '../support/paths.js';

/** The example of docs/diff.md is what the command prints (paths as given, from the repository root). */
describe('docs/diff.md', () => {
  const doc = readFileSync(join(repoRoot, 'docs', 'diff.md'), 'utf8');
  const rel = (name: string) => relative(process.cwd(), join(repoRoot, 'samples', name));
  const result = diffNodes(loadNode([rel('ipvs-local')]), loadNode([rel('ipvs-cluster')]));

  it('shows the --quiet output of its example command', () => {
    const block = /```text\n\$ iptlens diff samples\/ipvs-local samples\/ipvs-cluster --quiet\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(block).toBeDefined();
    const printed = diffReportText(result, { style: PLAIN, quiet: true }).replaceAll(`${relative(process.cwd(), repoRoot) ? `${relative(process.cwd(), repoRoot)}/` : ''}samples/`, 'samples/');
    expect(printed).toBe(block);
  });

  it('shows a probe with its side-by-side paths as printed', () => {
    const blocks = [...doc.matchAll(/```text\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const paths = blocks.find((b) => b.includes('▶'));
    expect(paths).toBeDefined();
    const printed = diffReportText(result, { style: PLAIN });
    expect(printed).toContain(paths!.replace(/\n$/, ''));
  });
});
