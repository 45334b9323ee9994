/**
 * Can this machine run kernel tests? Synchronous, so a test file can decide at collection time:
 *
 *   const kernel = kernelAvailable();
 *   if (!kernel.ok) console.warn(`[kernel/xyz] skipped: ${kernel.why}`);
 *   describe.skipIf(!kernel.ok)('…', () => { … });
 *
 * The answer is computed once per process. The check creates (and deletes) one namespace of its
 * own, in which it also tries a veth pair, each iptables backend and an nft table.
 */
import { spawnSync } from 'node:child_process';
import { namespaceName } from './netns.js';
import type { Backend, KernelAvailability } from './types.js';

/** Commands the harness runs, with an argument that makes each print its version. */
const tools: ReadonlyArray<readonly [string, string]> = [
  ['ip', '-V'],
  ['ipset', 'version'],
  ['conntrack', '--version'],
  ['nft', '--version'],
  ['iptables-restore', '--version'],
];

const backendProbe = '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 9 -j ACCEPT\nCOMMIT\n';

let cached: KernelAvailability | undefined;

function run(argv: readonly string[], input?: string): { ok: boolean; text: string } {
  const [file, ...args] = argv;
  const r = spawnSync(file ?? '', args, { input, encoding: 'utf8', timeout: 10_000 });
  if (r.error) return { ok: false, text: r.error.message };
  return { ok: r.status === 0, text: `${r.stderr ?? ''}${r.stdout ?? ''}`.trim() };
}

function check(): KernelAvailability {
  if (process.platform !== 'linux') return { ok: false, why: `not Linux (${process.platform})` };
  const uid = process.getuid?.();
  if (uid !== 0) return { ok: false, why: `not running as root (uid ${String(uid)})` };
  for (const [tool, flag] of tools) {
    const r = run([tool, flag]);
    if (!r.ok) return { ok: false, why: `${tool} is missing or broken: ${r.text}` };
  }
  const name = namespaceName('check');
  const added = run(['ip', 'netns', 'add', name]);
  if (!added.ok) return { ok: false, why: `ip netns add failed: ${added.text}` };
  try {
    const inNs = (argv: readonly string[], input?: string) => run(['ip', 'netns', 'exec', name, ...argv], input);
    const veth = run(['ip', '-n', name, 'link', 'add', 'chk0', 'type', 'veth', 'peer', 'name', 'chk1']);
    if (!veth.ok) return { ok: false, why: `cannot create a veth pair in a namespace: ${veth.text}` };
    const linkTypes = ['veth'];
    for (const type of ['bridge', 'dummy']) {
      if (run(['ip', '-n', name, 'link', 'add', `chk-${type}`, 'type', type]).ok) linkTypes.push(type);
    }
    if (!linkTypes.includes('bridge')) return { ok: false, why: 'the kernel has no bridge link type (needed for cni0)' };
    const table = inNs(['nft', 'add table inet iptl_check']);
    if (!table.ok) return { ok: false, why: `nft cannot create a table in a namespace: ${table.text}` };
    const backends: Backend[] = [];
    const reasons: string[] = [];
    for (const backend of ['nft', 'legacy'] as const) {
      const r = inNs([`iptables-${backend}-restore`, '-w', '5'], backendProbe);
      if (r.ok) backends.push(backend);
      else reasons.push(`iptables-${backend}-restore: ${r.text}`);
    }
    if (backends.length === 0) return { ok: false, why: `no iptables backend loads rules: ${reasons.join('; ')}` };
    const ct = inNs(['conntrack', '-L']);
    if (!ct.ok) return { ok: false, why: `conntrack -L fails in a namespace: ${ct.text}` };
    return { ok: true, backends, linkTypes };
  } finally {
    run(['ip', 'netns', 'del', name]);
  }
}

/** Root, `ip netns`, veth and bridge links, nft, ipset, conntrack and at least one iptables backend. */
export function kernelAvailable(): KernelAvailability {
  cached ??= check();
  return cached;
}
