/** The index of checks is complete, each check is well-formed and has its docs page (house rule 7). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS, checkById } from '../../../src/k8s/doctor/index.js';
import { SEVERITIES, type Requirement } from '../../../src/k8s/doctor/types.js';
import { repoRoot } from '../../support/paths.js';

const checksDir = join(repoRoot, 'src', 'k8s', 'doctor', 'checks');
const REQUIREMENTS: readonly Requirement[] = ['iptables', 'ipsets', 'ipvs', 'interfaces', 'routes', 'sysctls', 'kube-proxy', 'several-nodes'];

describe('doctor check index', () => {
  it('lists every file of checks/, as the check whose id is the file name', async () => {
    const files = readdirSync(checksDir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(CHECKS.map((c) => c.meta.id).sort()).toEqual(files);
    for (const id of files) {
      const mod = (await import(join(checksDir, `${id}.ts`))) as { check?: unknown };
      expect(mod.check, id).toBe(checkById(id));
    }
  });

  it('ids are unique and kebab-case; metas are complete', () => {
    const ids = CHECKS.map((c) => c.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { meta } of CHECKS) {
      expect(meta.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(SEVERITIES).toContain(meta.severity);
      expect(meta.title.length).toBeGreaterThan(10);
      expect(meta.docs).toBe(`docs/checks/${meta.id}.md`);
      expect(meta.requires.every((r) => REQUIREMENTS.includes(r)), meta.id).toBe(true);
      expect(Object.keys(meta.messages).length, meta.id).toBeGreaterThan(0);
    }
  });

  it('every check has a docs page with the four sections, and the index page lists it', () => {
    const index = readFileSync(join(repoRoot, 'docs', 'checks', 'README.md'), 'utf8');
    for (const { meta } of CHECKS) {
      const path = join(repoRoot, meta.docs);
      expect(existsSync(path), path).toBe(true);
      const page = readFileSync(path, 'utf8');
      expect(page.startsWith(`# \`${meta.id}\``), meta.id).toBe(true);
      for (const section of ['## What it means', '## Why', '## Example', '## Remediation']) expect(page, `${meta.id}: ${section}`).toContain(section);
      expect(index).toContain(`[\`${meta.id}\`](${meta.id}.md)`);
    }
    const pages = readdirSync(join(repoRoot, 'docs', 'checks')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.sort()).toEqual(CHECKS.map((c) => `${c.meta.id}.md`).sort());
  });
});
