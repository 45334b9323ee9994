/**
 * The iptables-save texts the catalogue is tested on: the real captures listed in
 * ../shared/samples/real/SOURCES.md (the iptables-save kinds), the kube-proxy conformance dumps,
 * the repository's samples/ and this folder's fixtures. Each with the family its kind says.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Family } from '../../../src/model/values/address.js';
import { filesUnder, realDir, repoRoot, sharedAvailable, sharedDir } from '../../support/paths.js';

export interface CorpusFile {
  /** Path relative to the repository or to ../shared. */
  readonly name: string;
  readonly path: string;
  readonly family: Family | undefined;
  readonly group: 'real' | 'conformance' | 'samples' | 'fixtures';
}

/** Real captures whose SOURCES.md kind is an iptables-save dump, with the family the kind names. */
export function realCaptures(): CorpusFile[] {
  if (!sharedAvailable) return [];
  const sources = readFileSync(join(realDir, 'SOURCES.md'), 'utf8');
  const out: CorpusFile[] = [];
  for (const line of sources.split('\n')) {
    const m = /^\| `([^`]+)` \| ([^|]+) \|/.exec(line);
    if (!m) continue;
    const kind = m[2]!.trim();
    if (!/^ip6?tables(-nft)?-save\b/.test(kind)) continue;
    const path = join(realDir, m[1]!);
    if (!existsSync(path)) continue;
    out.push({ name: `real/${m[1]!}`, path, family: kind.startsWith('ip6tables') ? 'ipv6' : undefined, group: 'real' });
  }
  return out;
}

export function conformanceDumps(): CorpusFile[] {
  const dir = join(sharedDir, 'conformance');
  return filesUnder(dir, (p) => basename(p) === 'iptables-save.txt').map((path) => ({ name: relative(sharedDir, path), path, family: undefined, group: 'conformance' as const }));
}

/** samples/**: every `*iptables-save*.txt` / `*ip6tables*` file another task writes there. */
export function repositorySamples(): CorpusFile[] {
  return filesUnder(join(repoRoot, 'samples'), (p) => /ip6?tables[^/]*save[^/]*\.txt$|ip6tables[^/]*\.txt$/.test(basename(p))).map((path) => ({
    name: relative(repoRoot, path),
    path,
    family: basename(path).startsWith('ip6tables') ? ('ipv6' as const) : undefined,
    group: 'samples' as const,
  }));
}

export function catalogueFixtures(): CorpusFile[] {
  const dir = join(repoRoot, 'test/model/iptables/fixtures');
  return filesUnder(dir, (p) => p.endsWith('.rules')).map((path) => ({
    name: relative(repoRoot, path),
    path,
    family: path.endsWith('.v6.rules') ? ('ipv6' as const) : ('ipv4' as const),
    group: 'fixtures' as const,
  }));
}
