/**
 * `iptlens collect`: the read-only POSIX sh script that gathers one node's netfilter state into a
 * bundle (`iptlens-<hostname>-<UTC time>.tar.gz`, read back by bundle.ts), and the `kubectl debug`
 * one-liner that runs it on a node from a workstation. Pure: this module builds text, it runs
 * nothing. docs/collect.md is the user's documentation.
 *
 * Why the script is shaped as it is:
 * - Read-only. Every command only reads, and the ones that could make the kernel load a module
 *   run only when that module is already there (see CollectGuard). It writes only its own
 *   temporary directory and the archive.
 * - Never fails halfway: `set -u` but no `set -e`; each command's exit status is recorded in
 *   MANIFEST, a missing tool is recorded and skipped, and the archive is written whatever failed.
 * - Every file of the bundle is a format iptlens reads (detect.ts recognises it); what iptlens
 *   has no reader for (uname -r, kube-proxy's version, conntrack -S) is kept in MANIFEST, and a
 *   command that printed nothing leaves no file, so that loading a bundle reports no
 *   "unrecognised" or "empty" input.
 * - `sh -s` reads the script from stdin (the kubectl one-liner), so the work happens in one
 *   function the shell has read in full before it starts, with stdin redirected from /dev/null,
 *   and the script ends with an explicit `exit`: kubectl debug does not set stdinOnce, so the
 *   container's stdin may never reach end-of-file.
 *
 * The script text is long because it is the script; the TypeScript around it is small.
 */
import type { InputKind } from './detect.js';

/** The first line of MANIFEST; detect.ts recognises a manifest by it. */
export const MANIFEST_HEADER = '# iptlens collect manifest v1';
export const MANIFEST_NAME = 'MANIFEST';

/**
 * When a step may run without changing the node. Asking the kernel about something it has no
 * module for makes it load one, which would change the node (and e.g. make legacy tables appear
 * to tools that decide which iptables backend is in use), so such steps run only when the module
 * is already there; otherwise they are recorded as skipped, which loses nothing: a subsystem
 * that is not loaded has no state to read.
 */
export type CollectGuard =
  /** Always runs (iproute2 and /proc reads, which never load modules). */
  | { readonly kind: 'always' }
  /**
   * Runs when the kernel already has `module` (loaded or built in, or the kernel cannot load
   * modules at all): nfnetlink_rcv_msg (net/netfilter/nfnetlink.c) calls
   * request_module("nfnetlink-subsys-%d") for a subsystem that is not registered.
   */
  | { readonly kind: 'module'; readonly module: string }
  /**
   * The legacy (x_tables) save tools: run only when `namesFile` lists a table. Without it
   * iptables-legacy-save runs modprobe ip_tables (xtables_load_ko), and asking for a table
   * that is not instantiated makes the kernel request_module("iptable_%s")
   * (xt_find_table_lock, net/netfilter/x_tables.c).
   */
  | { readonly kind: 'legacy-tables'; readonly namesFile: string }
  /**
   * Runs when `path` exists. For ipvsadm: /proc/net/ip_vs exists while ip_vs is loaded, and
   * without it ipvsadm runs modprobe ip_vs itself (ipvsadm.c modprobe_ipvs) and the generic
   * netlink lookup of the IPVS family requests the module (genl_ctrl_getfamily).
   */
  | { readonly kind: 'path-exists'; readonly path: string; readonly module: string }
  /**
   * The unversioned `iptables-save`/`ip6tables-save`: whichever variant `-V` names (it prints
   * "(nf_tables)" or "(legacy)" without touching the kernel; no suffix before 1.8 means
   * legacy). Skipped when that variant's own tool exists (it was read under its own name), else
   * guarded as that variant is.
   */
  | { readonly kind: 'unversioned-iptables'; readonly prefix: 'iptables' | 'ip6tables'; readonly namesFile: string };

/** Where a step's stdout goes. */
export type CollectOutput =
  /** Its own file in the bundle; `kind` is what detectInput says it is. */
  | { readonly kind: 'file'; readonly name: string; readonly reads: InputKind }
  /** Into MANIFEST as `stdout| ` lines: iptlens has no reader for it. */
  | { readonly kind: 'manifest' };

export type CollectStep =
  | { readonly kind: 'command'; readonly argv: readonly string[]; readonly output: CollectOutput; readonly guard: CollectGuard }
  /** Sysctl values read from /proc/sys and written as `key = value` (sysctl -a form). */
  | { readonly kind: 'sysctls'; readonly keys: readonly string[]; readonly output: CollectOutput & { readonly kind: 'file' } };

export interface CollectScriptOptions {
  /** The iptlens version written into the script and its manifest. */
  readonly version?: string;
}

/**
 * The sysctls that decide where a packet goes (src/model/sysctl/accessors.ts reads them), in
 * sysctl's dotted form; `*` stands for every interface (and `all`, `default`).
 */
export const collectedSysctls: readonly string[] = [
  'net.ipv4.ip_forward',
  'net.ipv4.conf.*.forwarding',
  'net.ipv4.conf.*.rp_filter',
  'net.ipv4.conf.*.route_localnet',
  'net.ipv4.conf.*.accept_local',
  'net.ipv6.conf.all.forwarding',
  'net.ipv4.vs.conntrack',
  'net.bridge.bridge-nf-call-iptables',
  'net.bridge.bridge-nf-call-ip6tables',
];

const file = (name: string, reads: InputKind): CollectOutput => ({ kind: 'file', name, reads });
const always: CollectGuard = { kind: 'always' };
const IP4_NAMES = '/proc/net/ip_tables_names';
const IP6_NAMES = '/proc/net/ip6_tables_names';

/** What the script gathers, in order. */
export const collectSteps: readonly CollectStep[] = [
  { kind: 'command', argv: ['iptables-nft-save'], output: file('iptables-nft-save.txt', 'iptables-save'), guard: { kind: 'module', module: 'nf_tables' } },
  { kind: 'command', argv: ['iptables-legacy-save'], output: file('iptables-legacy-save.txt', 'iptables-save'), guard: { kind: 'legacy-tables', namesFile: IP4_NAMES } },
  { kind: 'command', argv: ['iptables-save'], output: file('iptables-save.txt', 'iptables-save'), guard: { kind: 'unversioned-iptables', prefix: 'iptables', namesFile: IP4_NAMES } },
  { kind: 'command', argv: ['ip6tables-nft-save'], output: file('ip6tables-nft-save.txt', 'iptables-save'), guard: { kind: 'module', module: 'nf_tables' } },
  { kind: 'command', argv: ['ip6tables-legacy-save'], output: file('ip6tables-legacy-save.txt', 'iptables-save'), guard: { kind: 'legacy-tables', namesFile: IP6_NAMES } },
  { kind: 'command', argv: ['ip6tables-save'], output: file('ip6tables-save.txt', 'iptables-save'), guard: { kind: 'unversioned-iptables', prefix: 'ip6tables', namesFile: IP6_NAMES } },
  { kind: 'command', argv: ['ipset', 'save'], output: file('ipset-save.txt', 'ipset'), guard: { kind: 'module', module: 'ip_set' } },
  { kind: 'command', argv: ['ipvsadm', '-Sn'], output: file('ipvsadm-Sn.txt', 'ipvsadm'), guard: { kind: 'path-exists', path: '/proc/net/ip_vs', module: 'ip_vs' } },
  { kind: 'command', argv: ['ipvsadm', '-Ln'], output: file('ipvsadm-Ln.txt', 'ipvsadm'), guard: { kind: 'path-exists', path: '/proc/net/ip_vs', module: 'ip_vs' } },
  { kind: 'command', argv: ['ip', '-d', 'addr', 'show'], output: file('ip-addr.txt', 'ip-addr'), guard: always },
  { kind: 'command', argv: ['ip', 'route', 'show', 'table', 'all'], output: file('ip-route.txt', 'ip-route'), guard: always },
  { kind: 'command', argv: ['ip', '-6', 'route', 'show', 'table', 'all'], output: file('ip6-route.txt', 'ip-route'), guard: always },
  { kind: 'command', argv: ['ip', 'rule', 'show'], output: file('ip-rule.txt', 'ip-rule'), guard: always },
  { kind: 'command', argv: ['ip', '-6', 'rule', 'show'], output: file('ip6-rule.txt', 'ip-rule'), guard: always },
  { kind: 'sysctls', keys: collectedSysctls, output: { kind: 'file', name: 'sysctl.txt', reads: 'sysctl' } },
  { kind: 'command', argv: ['conntrack', '-S'], output: { kind: 'manifest' }, guard: { kind: 'module', module: 'nf_conntrack_netlink' } },
];

/** A word for sh: as is when it holds nothing the shell interprets, else single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `net.ipv4.conf.*.rp_filter` → `/proc/sys/net/ipv4/conf/*\/rp_filter` (a glob the shell expands). */
function procPathOf(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

/** The shell condition that lets a step run, recording why not in MANIFEST when it does not. */
function guardCondition(guard: CollectGuard): string | null {
  switch (guard.kind) {
    case 'always':
      return null;
    case 'module':
      return `iptl_need_module ${shellQuote(guard.module)}`;
    case 'legacy-tables':
      return `iptl_need_legacy_tables ${shellQuote(guard.namesFile)}`;
    case 'path-exists':
      return `iptl_need_path ${shellQuote(guard.path)} ${shellQuote(guard.module)}`;
    case 'unversioned-iptables':
      return `iptl_need_unversioned ${shellQuote(guard.prefix)} ${shellQuote(guard.namesFile)}`;
    default: {
      const never: never = guard;
      return never;
    }
  }
}

function outputName(output: CollectOutput): string {
  switch (output.kind) {
    case 'file':
      return output.name;
    case 'manifest':
      return '-';
    default: {
      const never: never = output;
      return never;
    }
  }
}

function stepLines(step: CollectStep): string[] {
  switch (step.kind) {
    case 'command': {
      const argv = step.argv.map(shellQuote).join(' ');
      const tool = shellQuote(step.argv[0] ?? '');
      const conditions = [`iptl_need_tool ${tool}`, guardCondition(step.guard)].filter((c): c is string => c !== null);
      return [`iptl_begin ${shellQuote(outputName(step.output))} ${argv}`, `if ${conditions.join(' && ')}; then iptl_run ${argv}; fi`];
    }
    case 'sysctls':
      // Unquoted on purpose: the shell expands the `*` of each path.
      return [`iptl_sysctls ${shellQuote(step.output.name)} ${step.keys.map(procPathOf).join(' ')}`];
    default: {
      const never: never = step;
      return never;
    }
  }
}

/**
 * Shell text in a template literal, taken raw (backslashes reach the shell as written); `\${`
 * stands for the shell's `${`, which a template literal would otherwise interpolate.
 */
function shellText(strings: TemplateStringsArray): string {
  return strings.raw.join('').replace(/\\\$\{/g, '${');
}

/** The script's fixed part: functions the generated steps call. */
const functions = shellText`
iptl_say() { printf 'iptlens collect: %s\n' "$*" >&2; }

iptl_field() { printf '%s: %s\n' "$1" "$2" >>"$iptl_manifest"; }

iptl_has() { command -v "$1" >/dev/null 2>&1; }

# A list gathered as " a b c": "a b c", or "none".
iptl_list() { if [ -n "$1" ]; then printf '%s' "\${1# }"; else printf none; fi; }

# Does the kernel already have module $1 (loaded, built in, or no loadable modules at all)?
iptl_kernel_has() {
  [ -e /proc/modules ] || return 0
  [ -d "/sys/module/$1" ] && return 0
  grep -q "^$1 " /proc/modules 2>/dev/null && return 0
  grep -q "/$1\.ko" "/lib/modules/$(uname -r 2>/dev/null)/modules.builtin" 2>/dev/null && return 0
  return 1
}

# iptl_begin FILE COMMAND...: opens the manifest block of one command.
iptl_begin() {
  iptl_file=$1
  shift
  iptl_label=$iptl_file
  [ "$iptl_file" != - ] || iptl_label=$1
  printf '\ncommand: %s\n' "$*" >>"$iptl_manifest"
}

iptl_skip() {
  iptl_field status skipped
  iptl_field file -
  iptl_field reason "$1"
  iptl_skipped="$iptl_skipped $iptl_label"
}

iptl_need_tool() {
  iptl_has "$1" && return 0
  iptl_field status missing
  iptl_field file -
  iptl_field reason "$1 is not installed (not found on PATH=$PATH)"
  case " $iptl_missing " in *" $1 "*) ;; *) iptl_missing="$iptl_missing $1" ;; esac
  return 1
}

iptl_need_module() {
  iptl_kernel_has "$1" && return 0
  iptl_skip "the kernel has no $1 loaded, so there is nothing to read, and asking for it would make the kernel load it"
  return 1
}

iptl_need_legacy_tables() {
  iptl_names=$(cat "$1" 2>/dev/null)
  [ -n "$iptl_names" ] && return 0
  iptl_skip "$1 lists no table: no legacy tables are in use, and reading them could make the kernel load modules"
  return 1
}

iptl_need_path() {
  [ -e "$1" ] && return 0
  iptl_skip "$1 does not exist: $2 is not loaded, so there is nothing to read, and the tool would load it"
  return 1
}

# iptl_need_unversioned PREFIX NAMES_FILE: the plain PREFIX-save is one of the variants.
iptl_need_unversioned() {
  case $("$1-save" -V 2>/dev/null) in
    *nf_tables*) iptl_variant=nft ;;
    *) iptl_variant=legacy ;;
  esac
  if iptl_has "$1-$iptl_variant-save"; then
    iptl_skip "$1-save is the $iptl_variant variant, read as $1-$iptl_variant-save"
    return 1
  fi
  if [ "$iptl_variant" = nft ]; then iptl_need_module nf_tables; else iptl_need_legacy_tables "$2"; fi
}

# First lines of what the command printed on stderr.
iptl_stderr() {
  [ -s "$iptl_work/stderr" ] || return 0
  sed -n '1,20s/^/stderr| /p' "$iptl_work/stderr" >>"$iptl_manifest"
  iptl_lines=$(wc -l <"$iptl_work/stderr" | tr -d ' ')
  [ "$iptl_lines" -gt 20 ] 2>/dev/null && printf 'stderr| (%s more lines)\n' "$((iptl_lines - 20))" >>"$iptl_manifest"
  return 0
}

# iptl_run COMMAND...: runs it, its stdout into $iptl_file (or the manifest when that is -).
iptl_run() {
  if [ "$iptl_file" = - ]; then iptl_out=$iptl_work/stdout; else iptl_out=$iptl_dir/$iptl_file; fi
  "$@" >"$iptl_out" 2>"$iptl_work/stderr"
  iptl_status=$?
  iptl_field status "$iptl_status"
  [ "$iptl_status" -eq 0 ] || iptl_failed="$iptl_failed $iptl_label"
  if [ "$iptl_file" = - ]; then
    iptl_field file -
    sed -n '1,500s/^/stdout| /p' "$iptl_out" >>"$iptl_manifest"
  elif [ -s "$iptl_out" ]; then
    iptl_field file "$iptl_file"
    iptl_field bytes "$(wc -c <"$iptl_out" | tr -d ' ')"
    iptl_files=$((iptl_files + 1))
  else
    rm -f "$iptl_out"
    iptl_field file -
    iptl_field reason 'it printed nothing, so no file was kept'
  fi
  iptl_stderr
}

# iptl_sysctls FILE PATH...: sysctl values as "key = value" (sysctl -a form). A dot inside a
# name (eth0.100) is shown as a slash, as procps sysctl does: net.ipv4.conf.eth0/100.rp_filter.
# A path that does not exist (a setting of a module that is not loaded) is listed as absent.
iptl_sysctls() {
  iptl_file=$1
  shift
  iptl_label=$iptl_file
  printf '\ncommand: %s\n' "read from /proc/sys: grep -H . $*" >>"$iptl_manifest"
  iptl_absent=
  iptl_present=0
  # Keep the paths that exist as the arguments (the for list was expanded before the first shift).
  for iptl_path in "$@"; do
    shift
    if [ -e "$iptl_path" ]; then
      set -- "$@" "$iptl_path"
      iptl_present=$((iptl_present + 1))
    else
      iptl_absent="$iptl_absent $iptl_path"
    fi
  done
  if [ "$iptl_present" -eq 0 ]; then
    iptl_field status skipped
    iptl_field file -
    iptl_field reason 'none of these settings exist here'
    iptl_skipped="$iptl_skipped $iptl_label"
    return 0
  fi
  # One grep for all of them: "path:value" lines. Then hold the line, turn the path (up to the
  # first ":", which no interface name may hold) into the key, and join: "key\npath:value" ->
  # "key = value".
  grep -H . "$@" >"$iptl_work/sysctl" 2>"$iptl_work/stderr"
  iptl_status=$?
  sed -e 's|^/proc/sys/||' -e h -e 's|:.*||' -e 'y|./|/.|' -e G -e 's|\n[^:]*:| = |' \
    "$iptl_work/sysctl" >"$iptl_dir/$iptl_file"
  iptl_field status "$iptl_status"
  [ "$iptl_status" -eq 0 ] || iptl_failed="$iptl_failed $iptl_label"
  if [ -s "$iptl_dir/$iptl_file" ]; then
    iptl_field file "$iptl_file"
    iptl_field bytes "$(wc -c <"$iptl_dir/$iptl_file" | tr -d ' ')"
    iptl_files=$((iptl_files + 1))
  else
    rm -f "$iptl_dir/$iptl_file"
    iptl_field file -
    iptl_field reason 'none of these settings could be read'
  fi
  [ -z "$iptl_absent" ] || iptl_field absent "\${iptl_absent# }"
  iptl_stderr
}

# kube-proxy's mode from its arguments, else from its --config file as the process sees it
# (/proc/PID/root: the file is usually in the kube-proxy container, not on the host). When a
# config file is given, kube-proxy takes its settings from it.
iptl_kube_proxy_mode() {
  iptl_root=$1
  shift
  iptl_flag_mode=
  iptl_config=
  while [ $# -gt 0 ]; do
    case $1 in
      --proxy-mode=*) iptl_flag_mode=\${1#*=} ;;
      --proxy-mode) [ $# -gt 1 ] && { shift; iptl_flag_mode=$1; } ;;
      --config=*) iptl_config=\${1#*=} ;;
      --config) [ $# -gt 1 ] && { shift; iptl_config=$1; } ;;
    esac
    shift
  done
  if [ -n "$iptl_config" ]; then
    if [ -r "$iptl_root$iptl_config" ]; then
      iptl_mode=$(sed -n "s/^[[:space:]]*\"*mode\"*:[[:space:]]*[\"']*\([A-Za-z]*\).*/\1/p" "$iptl_root$iptl_config" | head -n 1)
      if [ -n "$iptl_mode" ]; then
        iptl_field kube-proxy-mode "$iptl_mode (from the config file $iptl_config)"
      else
        iptl_field kube-proxy-mode "iptables (the config file $iptl_config sets no mode: kube-proxy's default on Linux)"
      fi
    else
      iptl_field kube-proxy-mode "unknown (cannot read the config file $iptl_root$iptl_config)"
    fi
  elif [ -n "$iptl_flag_mode" ]; then
    iptl_field kube-proxy-mode "$iptl_flag_mode (from --proxy-mode)"
  else
    iptl_field kube-proxy-mode "iptables (no --proxy-mode and no --config: kube-proxy's default on Linux)"
  fi
}

# Every kube-proxy process (by /proc/PID/comm), its command line and mode, and its version from
# "kube-proxy --version": the host's binary if there is one, else the running process's own
# (/proc/PID/exe). Nothing here talks to kube-proxy (no HTTP to its metrics port).
iptl_kube_proxy() {
  iptl_kp_count=0
  iptl_kp_exe=
  for iptl_proc in /proc/[0-9]*; do
    iptl_comm=
    { IFS= read -r iptl_comm <"$iptl_proc/comm"; } 2>/dev/null
    [ "$iptl_comm" = kube-proxy ] || continue
    iptl_kp_count=$((iptl_kp_count + 1))
    iptl_args=$(tr '\000\n' '  ' <"$iptl_proc/cmdline" 2>/dev/null)
    iptl_field kube-proxy-pid "\${iptl_proc#/proc/}"
    iptl_field kube-proxy-cmdline "$iptl_args"
    set -f
    # shellcheck disable=SC2086 # split into arguments on purpose
    iptl_kube_proxy_mode "$iptl_proc/root" $iptl_args
    set +f
    [ -n "$iptl_kp_exe" ] || iptl_kp_exe=$iptl_proc/exe
  done
  if [ "$iptl_kp_count" -eq 0 ]; then
    iptl_field kube-proxy 'not running here (no process is named kube-proxy)'
  fi
  if iptl_has kube-proxy; then
    iptl_version_from='kube-proxy --version'
    iptl_version=$(kube-proxy --version 2>&1 | head -n 1)
  elif [ -n "$iptl_kp_exe" ] && [ -x "$iptl_kp_exe" ]; then
    iptl_version_from="$iptl_kp_exe --version"
    iptl_version=$("$iptl_kp_exe" --version 2>&1 | head -n 1)
  else
    return 0
  fi
  iptl_field kube-proxy-version "$iptl_version (from $iptl_version_from)"
}

iptl_usage() {
  cat >&2 <<'IPTL_USAGE'
usage: sh collect.sh [--stdout]
  Gathers this node's netfilter state (read-only) into iptlens-<hostname>-<UTC time>.tar.gz
  in the current directory, or with --stdout writes the .tar.gz to stdout.
IPTL_USAGE
}

iptl_cleanup() {
  [ -n "$iptl_work" ] && rm -rf "$iptl_work"
  return 0
}
`;

const mainBody = shellText`
iptl_main() {
  iptl_to_stdout=no
  for iptl_arg in "$@"; do
    case $iptl_arg in
      --stdout) iptl_to_stdout=yes ;;
      -h|--help) iptl_usage; return 0 ;;
      *) iptl_say "unknown argument: $iptl_arg"; iptl_usage; return 2 ;;
    esac
  done

  iptl_work=$(mktemp -d "\${TMPDIR:-/tmp}/iptlens-collect.XXXXXX" 2>/dev/null)
  if [ -z "$iptl_work" ]; then
    iptl_work=\${TMPDIR:-/tmp}/iptlens-collect.$$
    mkdir "$iptl_work" || { iptl_work=; iptl_say "cannot make a temporary directory in \${TMPDIR:-/tmp}"; return 1; }
  fi

  iptl_host=$(hostname 2>/dev/null || uname -n 2>/dev/null)
  [ -n "$iptl_host" ] || { IFS= read -r iptl_host </proc/sys/kernel/hostname; } 2>/dev/null
  iptl_safe=$(printf '%s' "$iptl_host" | tr -c 'A-Za-z0-9._-' '_')
  [ -n "$iptl_safe" ] || iptl_safe=node
  iptl_stamp=$(date -u +%Y%m%dT%H%M%SZ)
  iptl_base=iptlens-$iptl_safe-$iptl_stamp
  iptl_dir=$iptl_work/$iptl_base
  mkdir "$iptl_dir" || { iptl_say "cannot make $iptl_dir"; return 1; }
  iptl_manifest=$iptl_dir/@MANIFEST@
  iptl_missing=
  iptl_skipped=
  iptl_failed=
  iptl_files=0

  {
    printf '%s\n' "$iptl_manifest_header"
    printf '%s\n' '# Facts about the node, then one block per command: command, status (exit status,'
    printf '%s\n' '# missing or skipped), file (- for none), reason, and its first stderr lines (stderr| ).'
    printf '%s\n' '# Output iptlens has no reader for is kept here as stdout| lines.'
  } >"$iptl_manifest"
  iptl_field collector "iptlens $iptl_version collect script"
  iptl_field hostname "$iptl_host"
  iptl_field date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  iptl_field uname-r "$(uname -r 2>/dev/null || cat /proc/sys/kernel/osrelease 2>/dev/null)"
  iptl_field user "$(id -u 2>/dev/null)"
  iptl_kube_proxy

@STEPS@

  printf '\n' >>"$iptl_manifest"
  iptl_field files "$iptl_files"
  iptl_field missing "$(iptl_list "$iptl_missing")"
  iptl_field skipped "$(iptl_list "$iptl_skipped")"
  iptl_field failed "$(iptl_list "$iptl_failed")"

  if ! iptl_has tar; then
    if [ "$iptl_to_stdout" = yes ]; then
      iptl_say 'tar is not installed: cannot write the bundle to stdout'
      return 1
    fi
    if mv "$iptl_dir" "./$iptl_base"; then
      iptl_say "tar is not installed; the bundle is the directory ./$iptl_base"
      return 0
    fi
    iptl_say "tar is not installed and ./$iptl_base could not be written"
    return 1
  fi
  if ! (cd "$iptl_work" && tar -cf "$iptl_base.tar" "$iptl_base") 2>"$iptl_work/stderr"; then
    iptl_say "tar failed: $(head -n 3 "$iptl_work/stderr")"
    return 1
  fi
  iptl_archive=$iptl_work/$iptl_base.tar
  iptl_suffix=.tar
  if iptl_has gzip && gzip -c "$iptl_archive" >"$iptl_archive.gz" 2>"$iptl_work/stderr"; then
    iptl_archive=$iptl_archive.gz
    iptl_suffix=.tar.gz
  else
    iptl_say 'gzip is not available: the bundle is an uncompressed .tar'
  fi
  if [ "$iptl_to_stdout" = yes ]; then
    cat "$iptl_archive" || { iptl_say 'could not write the bundle to stdout'; return 1; }
    iptl_say "wrote $iptl_base$iptl_suffix to stdout ($iptl_files files; missing: $(iptl_list "$iptl_missing"))"
    return 0
  fi
  iptl_target=./$iptl_base$iptl_suffix
  [ -e "$iptl_target" ] && iptl_target=./$iptl_base-$$$iptl_suffix
  if cp "$iptl_archive" "$iptl_target"; then
    iptl_say "wrote $iptl_target ($iptl_files files; missing: $(iptl_list "$iptl_missing"))"
    return 0
  fi
  iptl_say "could not write $iptl_target"
  return 1
}
`;

/** The read-only collection script (POSIX sh). Run as `sh collect.sh [--stdout]`. */
export function collectScript(options: CollectScriptOptions = {}): string {
  const version = options.version ?? 'unknown';
  const steps = collectSteps.flatMap(stepLines).map((line) => `  ${line}`).join('\n');
  const head = [
    '#!/bin/sh',
    `# iptlens collect (iptlens ${version.replace(/[^\w.+-]/g, '?')}): gathers this node's netfilter state into one bundle for iptlens.`,
    '#',
    '#   sh collect.sh            writes ./iptlens-<hostname>-<UTC time>.tar.gz',
    '#   sh collect.sh --stdout   writes the .tar.gz to stdout (what the kubectl debug one-liner uses)',
    '#',
    '# It only reads. It changes no rule, set, route, address or sysctl; it runs the tools that could',
    '# make the kernel load a module only when that module is already there; it opens no network',
    '# connection; it writes only its own temporary directory and the archive. A missing tool is',
    '# recorded in MANIFEST and skipped; a failing command is recorded with its exit status and the',
    '# first lines of its stderr, and the script goes on.',
    '#',
    '# All the work is in iptl_main, which the shell reads in full before running it: with `sh -s`',
    '# this script arrives on stdin, so every command gets /dev/null as stdin instead.',
    '',
    'set -u',
    'umask 077',
    'PATH=${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}',
    'LC_ALL=C',
    'export PATH LC_ALL',
    `iptl_manifest_header=${shellQuote(MANIFEST_HEADER)}`,
    `iptl_version=${shellQuote(version)}`,
    'iptl_work=',
  ].join('\n');
  const tail = ['', 'trap iptl_cleanup EXIT', "trap 'exit 130' INT HUP TERM", 'iptl_main "$@" </dev/null', 'exit $?', ''].join('\n');
  return `${head}\n${functions}${mainBody.replace('@STEPS@', () => steps).replace('@MANIFEST@', () => MANIFEST_NAME)}${tail}`;
}

/**
 * The one-liner that runs the script on node `node` from a workstation and writes
 * `<node>.tar.gz` there. `--profile=sysadmin` makes the pod privileged (netfilter needs
 * CAP_NET_ADMIN; /proc/PID/root of kube-proxy needs CAP_SYS_PTRACE); `chroot /host` uses the
 * node's own tools; `--quiet` keeps kubectl's "Creating debugging pod" line out of stdout, which
 * carries the archive; `-i` without `-t`, because a terminal would mangle the binary stream.
 */
export function kubectlDebugCommand(node: string): string {
  const target = shellQuote(`node/${node}`);
  const out = shellQuote(`${node.replace(/[^A-Za-z0-9._-]/g, '_') || 'node'}.tar.gz`);
  return `iptlens collect | kubectl debug ${target} --profile=sysadmin -i --quiet --image=busybox:1.36 -- chroot /host sh -s -- --stdout > ${out}`;
}
