/**
 * Every docs page's examples, run: each `iptlens doctor …` command of a page's "## Example" section
 * must print the lines of the ```text block that follows it (the "examples a test runs" rule).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerDoctorCommand } from '../../../src/cli/commands/doctor.js';
import { loadNodes } from '../../../src/cli/inputs.js';
import { CHECKS } from '../../../src/k8s/doctor/index.js';
import { repoRoot } from '../../support/paths.js';

interface Example {
  readonly argv: string[];
  readonly expected: string[];
}

/** The (command, expected lines) pairs of a page's Example section. */
function examplesOf(page: string): Example[] {
  const start = page.indexOf('## Example');
  const end = page.indexOf('\n## ', start + 1);
  const section = page.slice(start, end < 0 ? page.length : end);
  const blocks = [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));
  const out: Example[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.lang !== 'sh') continue;
    const next = blocks[i + 1];
    const command = b.body.trim();
    if (!command.startsWith('iptlens doctor ') || !next || next.lang !== 'text') continue;
    out.push({ argv: command.split(/\s+/).slice(1), expected: next.body.split('\n').filter((l) => l.trim() !== '') });
  }
  return out;
}

async function runDoctorCli(argv: readonly string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  let code = -1;
  const program = new Command().name('iptlens').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: () => undefined });
  const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: { NO_COLOR: '1' } };
  registerDoctorCommand(program, io, (c) => (code = c), loadNodes);
  // Paths in the pages are relative to the repository root.
  const args = argv.slice(1).map((a) => (a.startsWith('-') || isAbsolute(a) || !/[/.]/.test(a) ? a : join(repoRoot, a)));
  try {
    await program.parseAsync([argv[0]!, ...args], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    code = error.exitCode;
  }
  // Shown relative to the repository root, as the page writes them.
  return { code, stdout: stdout.replaceAll(`${repoRoot}/`, '') };
}

describe('docs/checks examples', () => {
  for (const { meta } of CHECKS) {
    const page = readFileSync(join(repoRoot, meta.docs), 'utf8');
    const examples = examplesOf(page);
    it(`${meta.id}: has an example, and each prints what the page shows`, async () => {
      expect(examples.length, `${meta.docs} has no runnable example`).toBeGreaterThan(0);
      for (const ex of examples) {
        expect(ex.argv[0]).toBe('doctor');
        const { code, stdout } = await runDoctorCli(ex.argv);
        expect([0, 1], ex.argv.join(' ')).toContain(code);
        for (const line of ex.expected) expect(stdout, `${meta.docs}: iptlens ${ex.argv.join(' ')}`).toContain(line.trimEnd());
        // An example of a check shows that check at work (or says it found nothing).
        expect(stdout.includes(meta.id) || stdout.includes('no findings')).toBe(true);
      }
    });
  }
});
