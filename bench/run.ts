/**
 * `npm run bench`: kube-proxy-like dumps of 1k, 10k and 30k Services, and how long iptlens takes
 * to read them (grammar → model → graph), trace one packet through them, and trace a class of
 * packets (`--src any`). Each size runs in its own process so peak RSS is that size's alone.
 * Where root and network namespaces are available, `iptables-nft-restore --test` reads the same
 * file for comparison.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateNode, type ClusterModel } from './generate.js';
import { parseIptablesSaveText } from '../grammar/iptables-save/parse.js';
import { buildRuleset } from '../src/model/iptables/build.js';
import { buildChainGraph } from '../src/graph/chain-graph.js';
import { buildNodeSnapshot } from '../src/model/node.js';
import { nodeFacts } from '../src/eval/node-facts.js';
import { trace } from '../src/eval/pipeline.js';
import { IntervalSet } from '../src/eval/interval-set.js';
import { parseAddress } from '../src/model/values/address.js';
import type { Probe } from '../src/eval/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'bench', 'out');
const SIZES = (process.env.IPTLENS_BENCH_SIZES ?? '1000,10000,30000').split(',').map(Number);

interface ChildResult {
  readonly services: number;
  readonly lines: number;
  readonly megabytes: number;
  readonly parseMs: number;
  readonly modelMs: number;
  readonly graphMs: number;
  readonly totalMs: number;
  readonly mbPerSecond: number;
  readonly traceOneMs: number;
  readonly traceClassMs: number;
  readonly classPaths: number;
  readonly peakRssMb: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function peakRssMb(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall back to the current RSS
  }
  return process.memoryUsage().rss / 1048576;
}

function child(file: string, clusterFile: string): ChildResult {
  const text = readFileSync(file, 'utf8');
  const cluster = JSON.parse(readFileSync(clusterFile, 'utf8')) as ClusterModel;
  const source = { name: file, text };
  const totals: number[] = [];
  let parseMs = 0;
  let modelMs = 0;
  let graphMs = 0;
  for (let run = 0; run < 3; run++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t0 = performance.now();
    const syntax = parseIptablesSaveText(source);
    const t1 = performance.now();
    const ruleset = buildRuleset(syntax);
    const t2 = performance.now();
    buildChainGraph(ruleset);
    const t3 = performance.now();
    totals.push(t3 - t0);
    if (t3 - t0 <= Math.min(...totals)) {
      parseMs = t1 - t0;
      modelMs = t2 - t1;
      graphMs = t3 - t2;
    }
  }
  const totalMs = Math.min(...totals);
  const node = buildNodeSnapshot('bench', [source]);
  const podIp = parseAddress(cluster.node.podCidr.replace(/0\/\d+$/, '7'))!.first;
  const nodeIp = parseAddress(cluster.node.ip)!.first;
  const facts = nodeFacts(node, 'ipv4', { localIps: [nodeIp] });
  const svc = cluster.services[Math.floor(cluster.services.length / 2)]!;
  const one: Probe = {
    origin: 'pod',
    family: 'ipv4',
    src: IntervalSet.of(podIp),
    dst: IntervalSet.of(parseAddress(svc.clusterIP)!.first),
    proto: svc.protocol,
    sport: IntervalSet.of(40000n),
    dport: IntervalSet.of(BigInt(svc.port)),
    inIface: 'cni0',
    state: 'NEW',
    mark: 0,
    assumeHistory: false,
  };
  trace(facts, one);
  const oneTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    trace(facts, one);
    oneTimes.push(performance.now() - t0);
  }
  const lb = cluster.services.find((s) => s.loadBalancerIPs.length > 0) ?? svc;
  const classProbe: Probe = {
    ...one,
    origin: 'external',
    inIface: 'eth0',
    src: IntervalSet.of(0n, 0xffffffffn),
    dst: IntervalSet.of(parseAddress(lb.loadBalancerIPs[0] ?? lb.clusterIP)!.first),
    proto: lb.protocol,
    dport: IntervalSet.of(BigInt(lb.port)),
  };
  const t0 = performance.now();
  const classResult = trace(facts, classProbe);
  const traceClassMs = performance.now() - t0;
  const megabytes = Buffer.byteLength(text) / 1048576;
  return {
    services: cluster.services.length,
    lines: text.split('\n').length - 1,
    megabytes,
    parseMs,
    modelMs,
    graphMs,
    totalMs,
    mbPerSecond: megabytes / (totalMs / 1000),
    traceOneMs: median(oneTimes),
    traceClassMs,
    classPaths: classResult.paths.length,
    peakRssMb: peakRssMb(),
  };
}

/** `iptables-nft-restore --test` on the same file, in a throw-away network namespace. */
function nativeRestoreMs(file: string, tool: string): number | string {
  if (process.getuid?.() !== 0) return 'skipped (not root)';
  const ns = `iptl-bench-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', ns]);
  } catch {
    return 'skipped (no network namespaces)';
  }
  try {
    const t0 = performance.now();
    const r = spawnSync('ip', ['netns', 'exec', ns, tool, '--test', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    const ms = performance.now() - t0;
    return r.status === 0 ? ms : `failed: ${String(r.stderr).slice(0, 120)}`;
  } catch (e) {
    return `failed: ${(e as Error).message}`;
  } finally {
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

function main(): void {
  if (process.argv[2] === 'child') {
    process.stdout.write(JSON.stringify(child(process.argv[3]!, process.argv[4]!)));
    return;
  }
  mkdirSync(outDir, { recursive: true });
  const rows: string[] = [];
  rows.push('| Services | lines | MB | parse | model | graph | total | MB/s | peak RSS | trace 1 packet | trace --src any | iptables-nft-restore --test | iptables-legacy-restore --test |');
  rows.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const n of SIZES) {
    const file = join(outDir, `iptables-${n}.txt`);
    const clusterFile = join(outDir, `iptables-${n}.cluster.json`);
    if (!existsSync(file) || !existsSync(clusterFile) || statSync(file).size === 0) {
      const g = generateNode({ services: n, mode: 'iptables', seed: 1 });
      writeFileSync(file, g.files['iptables-save.txt']!);
      writeFileSync(clusterFile, JSON.stringify(g.cluster));
    }
    const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), 'child', file, clusterFile], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) {
      process.stderr.write(r.stderr);
      process.exitCode = 1;
      continue;
    }
    const c = JSON.parse(r.stdout) as ChildResult;
    const nft = nativeRestoreMs(file, 'iptables-nft-restore');
    const legacy = nativeRestoreMs(file, 'iptables-legacy-restore');
    const ms = (x: number | string) => (typeof x === 'number' ? `${x.toFixed(0)} ms` : x);
    rows.push(
      `| ${n} | ${c.lines} | ${c.megabytes.toFixed(1)} | ${c.parseMs.toFixed(0)} ms | ${c.modelMs.toFixed(0)} ms | ${c.graphMs.toFixed(0)} ms | ${c.totalMs.toFixed(0)} ms | ${c.mbPerSecond.toFixed(1)} | ${c.peakRssMb.toFixed(0)} MB | ${c.traceOneMs.toFixed(2)} ms | ${c.traceClassMs.toFixed(0)} ms (${c.classPaths} paths) | ${ms(nft)} | ${ms(legacy)} |`,
    );
    process.stderr.write(`bench: ${n} Services done\n`);
  }
  process.stdout.write(rows.join('\n') + '\n');
}

main();
