/**
 * Loading rules into a namespace the way a node gets them: `ipset restore` first (iptables rules
 * with `-m set` refer to sets that must exist), then `iptables-restore` and `ip6tables-restore`
 * of one backend. Also the two file-level checks later tests need: a load/save round trip and
 * `iptables-restore --test`, each in a fresh namespace of its own.
 */
import { describeFailure } from './command.js';
import { withNamespace } from './netns.js';
import type { Backend, CommandResult, Family, Netns, RestoreOptions, RoundTripResult, RuleSnapshot } from './types.js';

/** `iptables-nft-restore`, `ip6tables-legacy-save`, … */
export function iptablesCommand(family: Family, backend: Backend, verb: 'restore' | 'save'): string {
  return `${family === 'ipv4' ? 'iptables' : 'ip6tables'}-${backend}-${verb}`;
}

/**
 * `-w 5`: iptables-legacy serialises on /run/xtables.lock, which every namespace shares, so
 * parallel test files wait for each other instead of failing; the nft variant accepts and ignores it.
 */
const waitForLock = ['-w', '5'];

/** A 10k-Service kube-proxy dump takes seconds to restore; the default command limit is 15 s. */
const restoreTimeoutMs = 180_000;

/** Loads a snapshot into `ns`; rejects with the failing command and its stderr. */
export async function loadSnapshot(ns: Netns, rules: RuleSnapshot, backend: Backend): Promise<void> {
  if (rules.ipset !== undefined && rules.ipset.trim() !== '') {
    await ns.run(['ipset', 'restore'], { input: rules.ipset, timeoutMs: restoreTimeoutMs });
  }
  if (rules.iptables !== undefined) {
    await ns.run([iptablesCommand('ipv4', backend, 'restore'), ...waitForLock], { input: rules.iptables, timeoutMs: restoreTimeoutMs });
  }
  if (rules.ip6tables !== undefined) {
    await ns.run([iptablesCommand('ipv6', backend, 'restore'), ...waitForLock], { input: rules.ip6tables, timeoutMs: restoreTimeoutMs });
  }
}

async function restoreSets(ns: Netns, ipset: string | undefined): Promise<CommandResult | null> {
  if (ipset === undefined || ipset.trim() === '') return null;
  return ns.exec(['ipset', 'restore'], { input: ipset, timeoutMs: restoreTimeoutMs });
}

/**
 * Loads `text` with iptables-restore into a fresh namespace and returns what iptables-save prints
 * back (comments and all); the namespace is deleted before it returns.
 */
export function roundTrip(text: string, options: RestoreOptions = {}): Promise<RoundTripResult> {
  const family = options.family ?? 'ipv4';
  const backend = options.backend ?? 'nft';
  return withNamespace('roundtrip', async (ns) => {
    const sets = await restoreSets(ns, options.ipset);
    if (sets && sets.code !== 0) return { ok: false, step: 'ipset-restore', stderr: describeFailure(sets) };
    const restored = await ns.exec([iptablesCommand(family, backend, 'restore'), ...waitForLock], { input: text, timeoutMs: restoreTimeoutMs });
    if (restored.code !== 0) return { ok: false, step: 'restore', stderr: restored.stderr };
    const saved = await ns.exec([iptablesCommand(family, backend, 'save')], { timeoutMs: restoreTimeoutMs });
    if (saved.code !== 0) return { ok: false, step: 'save', stderr: saved.stderr };
    return { ok: true, saved: saved.stdout, stderr: restored.stderr + saved.stderr };
  });
}

/**
 * `iptables-restore --test`: does the kernel (and this iptables) accept the file? Run in a fresh
 * namespace because the nft backend checks against the live ruleset.
 */
export function restoreTest(text: string, options: RestoreOptions = {}): Promise<{ ok: boolean; stderr: string }> {
  const family = options.family ?? 'ipv4';
  const backend = options.backend ?? 'nft';
  return withNamespace('restoretest', async (ns) => {
    const sets = await restoreSets(ns, options.ipset);
    if (sets && sets.code !== 0) return { ok: false, stderr: describeFailure(sets) };
    const r = await ns.exec([iptablesCommand(family, backend, 'restore'), '--test', ...waitForLock], { input: text, timeoutMs: restoreTimeoutMs });
    return { ok: r.code === 0, stderr: r.stderr };
  });
}
