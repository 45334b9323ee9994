/** Where tests find the repository, its samples, and the shared corpus beside it. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const sharedDir = resolve(repoRoot, '../shared');
export const sharedAvailable = existsSync(join(sharedDir, 'samples', 'real'));
export const realDir = join(sharedDir, 'samples', 'real');

if (!sharedAvailable) {
  console.warn(`[iptlens tests] ${sharedDir} is absent: tests over the shared corpus and conformance data are skipped.`);
}

/** Every file below a directory (sorted), or [] when it does not exist. */
export function filesUnder(dir: string, accept: (path: string) => boolean = () => true): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (accept(p)) out.push(p);
    }
  };
  walk(dir);
  return out;
}
