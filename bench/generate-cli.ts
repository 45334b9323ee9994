/**
 * Write a generated kube-proxy node to a folder:
 *
 *   npx tsx bench/generate-cli.ts --services 10000 --mode iptables --out bench/out/10k
 *
 * Prints one line per file (lines, bytes) so size figures can be quoted without `wc`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { generateNode, type ProxyGeneration, type ProxyMode } from './generate.js';

function positiveInteger(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}

const program = new Command()
  .name('generate-cli')
  .description('Write the dump files of a synthetic kube-proxy node (deterministic for a seed).')
  .requiredOption('--services <n>', 'number of Service objects', positiveInteger)
  .addOption(new Option('--mode <mode>', 'kube-proxy mode').choices(['iptables', 'ipvs']).makeOptionMandatory())
  .addOption(new Option('--generation <generation>', 'kube-proxy rule layout').choices(['current', 'pre124']).default('current'))
  .option('--seed <n>', 'PRNG seed', positiveInteger, 1)
  .requiredOption('--out <dir>', 'folder to write the files into (created if missing)')
  .action((opts: { services: number; mode: ProxyMode; generation: ProxyGeneration; seed: number; out: string }) => {
    const node = generateNode({ services: opts.services, mode: opts.mode, generation: opts.generation, seed: opts.seed });
    mkdirSync(opts.out, { recursive: true });
    for (const [name, text] of Object.entries(node.files)) {
      const path = join(opts.out, name);
      writeFileSync(path, text);
      const lines = text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      process.stdout.write(`${path}\t${lines} lines\t${Buffer.byteLength(text)} bytes\n`);
    }
  });

program.parse();
