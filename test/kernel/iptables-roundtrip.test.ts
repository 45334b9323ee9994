/**
 * Kernel round trip of the iptables model. For each backend the kernel offers (legacy, nft), one
 * network namespace; for each real capture, conformance dump, sample and catalogue fixture:
 * reset the namespace, create the ipsets the text refers to, `iptables-restore` the text, read it
 * back with `iptables-save`, and compare.
 *
 * - Accepted files: our reading of the file has no error, has the same tables, chains and rule
 *   counts as the kernel's iptables-save, and the same normalised model; and our printed text
 *   loads into the kernel too and reads back to the same model.
 * - Rejected files: our reading still locates the problem (a warning or error diagnostic), apart
 *   from KERNEL_ONLY_REJECTIONS below, which the grammar reads leniently on purpose.
 * - Catalogue fixtures: the legacy backend prints every rule exactly as printRuleset does.
 *
 * CRLF line ends are turned into LF before loading: iptables-restore would read `*nat\r` as a
 * table name, and our grammar treats the CR as a blank; the content is what is compared.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/index.js';
import { normaliseRuleset, type NormalisedRuleset } from '../../src/model/iptables/normalise.js';
import { printRuleset } from '../../src/model/iptables/print.js';
import { BUILTIN_CHAINS, TABLE_NAMES, type Ruleset, type TableName } from '../../src/model/iptables/types.js';
import type { Family } from '../../src/model/values/address.js';
import { createNamespace, deleteNamespace, kernelAvailable } from './harness/index.js';
import type { Backend, Netns } from './harness/types.js';
import { catalogueFixtures, conformanceDumps, realCaptures, repositorySamples, type CorpusFile } from '../model/iptables/corpus.js';

const kernel = kernelAvailable();
if (!kernel.ok) console.warn(`[kernel/iptables-roundtrip] skipped: ${kernel.why}`);

/**
 * Files the kernel rejects for a reason our grammar deliberately reads past, with that reason.
 * Each is a grammar-level leniency (the iptables-save grammar is not part of the catalogue).
 */
const KERNEL_ONLY_REJECTIONS: Readonly<Record<string, string>> = {
  'real/net-network/veroneau.net__iptables-save.txt': '"COMMIT " with a trailing blank is a "Bad argument" for iptables-restore',
  'real/net-network/ipv6_server__webserver.txt': 'a line of only a blank fails in iptables-restore',
};

const files: readonly CorpusFile[] = [...realCaptures(), ...conformanceDumps(), ...repositorySamples(), ...catalogueFixtures()];

interface Loaded {
  readonly accepted: boolean;
  readonly stderr: string;
  readonly saved: string;
}

function command(family: Family, backend: Backend, verb: 'restore' | 'save'): string {
  return `${family === 'ipv6' ? 'ip6tables' : 'iptables'}-${backend}-${verb}`;
}

/** Empties every table of both families (legacy tables cannot be removed, only emptied) and every set. */
async function reset(ns: Netns, backend: Backend): Promise<void> {
  if (backend === 'nft') {
    await ns.run(['nft', 'flush', 'ruleset']);
  } else {
    for (const family of ['ipv4', 'ipv6'] as const) {
      const current = await ns.run([command(family, 'legacy', 'save')]);
      const tables = [...current.matchAll(/^\*(\w+)/gm)].map((m) => m[1] as TableName).filter((t) => TABLE_NAMES.includes(t));
      const text = tables.map((t) => `*${t}\n${BUILTIN_CHAINS[t].map((c) => `:${c} ACCEPT [0:0]`).join('\n')}\nCOMMIT\n`).join('');
      if (text) await ns.run([command(family, 'legacy', 'restore')], { input: text });
    }
  }
  await ns.exec(['ipset', 'destroy']);
}

/** The ipsets a ruleset refers to, created with a type of as many dimensions as its flags. */
async function createSets(ns: Netns, ruleset: Ruleset): Promise<void> {
  const sets = new Map<string, number>();
  for (const table of ruleset.tables) {
    for (const chain of table.chains) {
      for (const rule of chain.rules) {
        for (const m of rule.matches) if (m.kind === 'set' && m.name) sets.set(m.name, m.flags.length);
        const t = rule.target;
        if (t?.kind === 'SET') for (const op of [t.add, t.del, t.map]) if (op) sets.set(op.name, op.flags.length);
      }
    }
  }
  for (const [name, dims] of sets) {
    const type = ['hash:ip', 'hash:ip,port', 'hash:ip,port,ip'][Math.min(Math.max(dims, 1), 3) - 1]!;
    await ns.exec(['ipset', 'create', '-exist', name, type, 'family', ruleset.family === 'ipv6' ? 'inet6' : 'inet']);
  }
}

async function load(ns: Netns, backend: Backend, ruleset: Ruleset, text: string): Promise<Loaded> {
  await reset(ns, backend);
  await createSets(ns, ruleset);
  const restored = await ns.exec([command(ruleset.family, backend, 'restore')], { input: text, timeoutMs: 60_000 });
  if (restored.code !== 0) return { accepted: false, stderr: restored.stderr.trim().split('\n')[0] ?? '', saved: '' };
  const saved = await ns.run([command(ruleset.family, backend, 'save')], { timeoutMs: 60_000 });
  return { accepted: true, stderr: '', saved };
}

/** Table → chain → rule count, for the tables the file itself has. */
function shape(rs: Ruleset, tables: readonly string[]): Record<string, Record<string, number>> {
  return Object.fromEntries(
    rs.tables.filter((t) => tables.includes(t.name)).map((t) => [t.name, Object.fromEntries(t.chains.map((c) => [c.name, c.rules.length]))]),
  );
}

/** A table the kernel shows although the file never had it must hold nothing. */
function pristine(model: NormalisedRuleset, except: readonly string[]): string[] {
  return model.tables
    .filter((t) => !except.includes(t.name))
    .filter((t) => t.chains.some((c) => c.rules.length > 0 || c.policy !== 'ACCEPT') || t.chains.length !== BUILTIN_CHAINS[t.name as TableName].length)
    .map((t) => t.name);
}

function onlyTables(model: NormalisedRuleset, tables: readonly string[]): NormalisedRuleset {
  return { ...model, tables: model.tables.filter((t) => tables.includes(t.name)) };
}

/** The rule lines of the given tables, table by table in name order. */
function tablesText(text: string, tables: readonly string[]): string[] {
  const out = new Map<string, string[]>();
  let current = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('*')) out.set((current = line.slice(1)), []);
    else if (line.startsWith('-A ')) out.get(current)?.push(line);
  }
  return [...out.keys()].filter((k) => tables.includes(k)).sort().flatMap((k) => [`*${k}`, ...out.get(k)!]);
}

describe.skipIf(!kernel.ok)('iptables kernel round trip', () => {
  const backends: readonly Backend[] = kernel.ok ? kernel.backends : [];
  for (const backend of backends) {
    describe(backend, () => {
      let ns: Netns;
      const tally = { accepted: 0, equal: 0, rejected: 0, rejectedLocated: 0 };
      beforeAll(async () => {
        ns = await createNamespace('catalogue');
      });
      afterAll(async () => {
        if (ns) await deleteNamespace(ns);
        console.info(
          `[kernel/iptables-roundtrip] ${backend}: ${tally.accepted} files accepted by the kernel (${tally.equal} equal after normalisation), ` +
            `${tally.rejected} rejected (${tally.rejectedLocated} with located diagnostics)`,
        );
      });

      for (const file of files) {
        it(file.name, async () => {
          const raw = readFileSync(file.path, 'utf8');
          const text = raw.replace(/\r\n/g, '\n');
          const ours = parseIptablesSave(raw, file.name, file.family ? { family: file.family } : {});
          const loaded = await load(ns, backend, ours, text);
          if (!loaded.accepted) {
            tally.rejected++;
            const located = ours.diagnostics.filter((d) => d.severity !== 'info' && d.at !== null);
            if (located.length > 0) tally.rejectedLocated++;
            else expect(KERNEL_ONLY_REJECTIONS[file.name], `rejected (${loaded.stderr}) but read without a located diagnostic`).toBeDefined();
            expect(file.group, 'samples, conformance dumps and fixtures are all valid').toBe('real');
            return;
          }
          tally.accepted++;
          expect(ours.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)).toEqual([]);
          const kernelModel = parseIptablesSave(loaded.saved, `${backend} iptables-save`, { family: ours.family });
          const tables = ours.tables.map((t) => t.name);
          expect(shape(kernelModel, tables)).toEqual(shape(ours, tables));
          const kernelNormal = normaliseRuleset(kernelModel);
          expect(pristine(kernelNormal, tables)).toEqual([]);
          expect(onlyTables(kernelNormal, tables)).toEqual(normaliseRuleset(ours));
          tally.equal++;

          // What we print loads too, and reads back the same.
          const printed = printRuleset(ours);
          const again = await load(ns, backend, ours, printed);
          expect(again.stderr).toBe('');
          expect(onlyTables(normaliseRuleset(parseIptablesSave(again.saved, 'printed', { family: ours.family })), tables)).toEqual(normaliseRuleset(ours));

          if (file.group !== 'fixtures') return;
          const mine = tablesText(printed, tables);
          const theirs = tablesText(loaded.saved, tables);
          if (backend === 'legacy') expect(mine).toEqual(theirs);
          else if (!isDeepStrictEqual(mine, theirs)) {
            // iptables-nft drops NFLOG --nflog-range (the kernel never used it); everything else is identical.
            expect(mine.filter((l) => !theirs.includes(l)).every((l) => l.includes('--nflog-range'))).toBe(true);
            expect(mine.length).toBe(theirs.length);
          }
        });
      }
    });
  }
});
