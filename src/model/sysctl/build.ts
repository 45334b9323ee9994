/**
 * From sysctl syntax to {@link Sysctls}: keys made canonical, the last setting of a key kept,
 * and the values of the settings iptlens interprets checked once here, so that the accessors
 * can stay silent.
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { SysctlSettingSyntax, SysctlSyntax } from '../../../grammar/sysctl/syntax.js';
import type { SysctlEntry, Sysctls } from './types.js';

/**
 * The dotted key for a key as written. procps sysctl.c slashdot(): in the slash (path) form the
 * separators are `/` and a `.` belongs to a name, so the two are swapped; `/proc/sys/` is the
 * root of that path.
 */
export function canonicalKey(written: string): string {
  let key = written.startsWith('/proc/sys/') ? written.slice('/proc/sys/'.length) : written;
  const first = key.search(/[./]/);
  if (first >= 0 && key[first] === '/') {
    key = key.replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
  }
  return key.replace(/^\.+|\.+$/g, '');
}

/** Settings the accessors read as integers, with the values the kernel accepts for them. */
const INTEGER_KEYS: readonly (readonly [RegExp, string])[] = [
  [/^net\.ipv4\.conf\.[^.]+\.(rp_filter|route_localnet|accept_local|forwarding)$/, 'an integer'],
  [/^net\.ipv4\.ip_forward$/, '0 or 1'],
  [/^net\.bridge\.bridge-nf-call-(iptables|ip6tables|arptables)$/, '0 or 1'],
  [/^net\.ipv4\.vs\.conntrack$/, '0 or 1'],
];

function checkValue(entry: SysctlEntry, diagnostics: Diagnostic[]): void {
  for (const [pattern, expected] of INTEGER_KEYS) {
    if (pattern.test(entry.key) && !/^-?\d+$/.test(entry.value)) {
      diagnostics.push(diagnose('sysctl/bad-value', entry.valueAt, entry.key, entry.value, expected));
    }
  }
}

/** Heuristic for a whole `sysctl -a`: it always holds kernel.*, net.* and vm.* and far more than 100 keys. */
function looksComplete(entries: ReadonlyMap<string, SysctlEntry>): boolean {
  if (entries.size < 100) return false;
  const trees = new Set<string>();
  for (const key of entries.keys()) trees.add(key.slice(0, key.indexOf('.')));
  return trees.has('kernel') && trees.has('net') && trees.has('vm');
}

function toEntry(setting: SysctlSettingSyntax, key: string): SysctlEntry {
  return {
    key,
    value: setting.value,
    at: setting.at,
    valueAt: { source: setting.at.source, start: setting.valueSpan.start, end: setting.valueSpan.end },
  };
}

export function buildSysctls(syntax: SysctlSyntax): Sysctls {
  const diagnostics: Diagnostic[] = [...syntax.diagnostics];
  const entries = new Map<string, SysctlEntry>();
  for (const setting of syntax.settings) {
    const key = canonicalKey(setting.key);
    const entry = toEntry(setting, key);
    if (entries.has(key)) diagnostics.push(diagnose('sysctl/duplicate-key', setting.at, key));
    entries.set(key, entry);
  }
  for (const entry of entries.values()) checkValue(entry, diagnostics);
  const unreadable = new Set<string>();
  for (const complaint of syntax.complaints) {
    if (complaint.key) unreadable.add(canonicalKey(complaint.key));
  }
  return { entries, unreadable, complete: looksComplete(entries), diagnostics };
}
