/**
 * Network namespace lifecycle. Names are `iptl-<area>-<pid>-<n>`, so parallel test files (each its
 * own process) never share one. Every namespace and every long-running helper process the harness
 * starts is registered here and removed in afterAll (Topology.destroy) or, failing that, when the
 * process exits or is interrupted.
 *
 * Nothing here runs a command in the root namespace except `ip netns add/del` themselves: links,
 * addresses and routes are made with `ip -n NAME`, everything else with `ip netns exec NAME`.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { describeFailure, runCommand } from './command.js';
import type { CommandResult, ExecOptions, Netns } from './types.js';

const liveNamespaces = new Set<string>();
const liveChildren = new Set<ChildProcess>();
let counter = 0;
let hooksInstalled = false;

const areaPattern = /^[a-z0-9][a-z0-9-]{0,23}$/;

/** The next unique name for an area; throws on an area that is not a short lowercase word. */
export function namespaceName(area: string): string {
  if (!areaPattern.test(area)) throw new Error(`namespace area ${JSON.stringify(area)}: use lowercase letters, digits and dashes`);
  return `iptl-${area}-${process.pid}-${counter++}`;
}

/**
 * Synchronous, for exit handlers: stops helpers, then deletes every namespace still registered.
 * SIGTERM, not SIGKILL: helpers run under timeout(1), which passes SIGTERM on to its command.
 */
export function removeEverythingNow(): void {
  for (const child of liveChildren) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
  liveChildren.clear();
  for (const name of liveNamespaces) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore', timeout: 5_000 });
  liveNamespaces.clear();
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', removeEverythingNow);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      removeEverythingNow();
      // Our listener is gone now (once): re-raise so the default action (or the runner's) happens.
      process.kill(process.pid, signal);
    });
  }
}

/** Registers a helper process started inside one of our namespaces, to be killed on exit. */
export function trackChild(child: ChildProcess): void {
  installExitHooks();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
}

class NamespaceHandle implements Netns {
  constructor(readonly name: string) {}

  exec(argv: readonly string[], options?: ExecOptions): Promise<CommandResult> {
    return runCommand(['ip', 'netns', 'exec', this.name, ...argv], options);
  }

  async run(argv: readonly string[], options?: ExecOptions): Promise<string> {
    const result = await this.exec(argv, options);
    if (result.code !== 0) throw new Error(describeFailure(result));
    return result.stdout;
  }

  async ip(args: readonly string[]): Promise<string> {
    const result = await runCommand(['ip', '-n', this.name, ...args]);
    if (result.code !== 0) throw new Error(describeFailure(result));
    return result.stdout;
  }
}

/** Creates a fresh namespace with `lo` up. */
export async function createNamespace(area: string): Promise<Netns> {
  installExitHooks();
  const name = namespaceName(area);
  const added = await runCommand(['ip', 'netns', 'add', name]);
  if (added.code !== 0) throw new Error(describeFailure(added));
  liveNamespaces.add(name);
  const ns = new NamespaceHandle(name);
  await ns.ip(['link', 'set', 'lo', 'up']);
  return ns;
}

/** Deletes a namespace made by createNamespace; deleting it twice is harmless. */
export async function deleteNamespace(ns: Netns | string): Promise<void> {
  const name = typeof ns === 'string' ? ns : ns.name;
  if (!liveNamespaces.has(name)) return;
  liveNamespaces.delete(name);
  const result = await runCommand(['ip', 'netns', 'del', name]);
  if (result.code !== 0) throw new Error(describeFailure(result));
}

/** Names of the namespaces this process created and has not deleted. */
export function registeredNamespaces(): readonly string[] {
  return [...liveNamespaces];
}

/** Runs `body` with a fresh namespace that is deleted afterwards, whatever happens. */
export async function withNamespace<T>(area: string, body: (ns: Netns) => Promise<T>): Promise<T> {
  const ns = await createNamespace(area);
  try {
    return await body(ns);
  } finally {
    await deleteNamespace(ns);
  }
}
