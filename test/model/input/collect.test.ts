/**
 * The collection script and its kubectl one-liner, without root: the script's syntax under every
 * shell present, the commands it runs and the ones it must never run, and real runs of it with
 * stand-in tools on a minimal PATH (a fake `ip`, a fake `kube-proxy` process and binary, the
 * netfilter tools missing), read back with readBundle. The kernel test
 * (test/kernel/collect.test.ts) runs it against real rules in a network namespace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCollectCommand } from '../../../src/cli/commands/collect.js';
import { collectScript, collectSteps, kubectlDebugCommand, MANIFEST_HEADER } from '../../../src/model/input/collect.js';
import { readBundle } from '../../../src/model/input/bundle.js';
import { detectInput } from '../../../src/model/input/detect.js';
import { VERSION } from '../../../src/version.js';

const script = collectScript({ version: '9.8.7' });

/** The script's lines that the shell runs (comment lines removed). */
function codeLines(text: string): string[] {
  return text.split('\n').filter((line) => !/^\s*#/.test(line));
}

/**
 * Every line of the script that would change the node or reach the network, by the rule it
 * breaks. Words are compared, so `ipvsadm -Ln` is not `-L`-anything else and `iptl_add` is
 * not `add`.
 */
function changingCommands(text: string): string[] {
  const found: string[] = [];
  for (const line of codeLines(text)) {
    const words = line.split(/[\s;|&()`"']+/).filter(Boolean);
    const has = (re: RegExp): boolean => words.some((w) => re.test(w));
    const after = (tool: RegExp, re: RegExp): boolean => words.some((w, i) => tool.test(w) && words.slice(i + 1).some((x) => re.test(x)));
    if (after(/^ip6?tables(-nft|-legacy)?$/, /^(-[AIDFXNPRZE]|--(append|insert|delete|flush|new-chain|delete-chain|policy|replace|zero|rename-chain))$/)) found.push(`iptables change: ${line}`);
    if (has(/-restore$/)) found.push(`restore: ${line}`);
    if (after(/^ipset$/, /^(add|del|destroy|flush|create|restore|swap|rename|-[ADXFNRWE])$/)) found.push(`ipset change: ${line}`);
    if (after(/^ip$/, /^(add|del|delete|change|replace|flush|set|append|prepend)$/)) found.push(`ip change: ${line}`);
    if (after(/^sysctl$/, /^(-w|-p|--write|--load|--system)$/) || /\w+\.\w+\.\S*=/.test(line.replace(/"[^"]*"/g, ''))) found.push(`sysctl write: ${line}`);
    if (/>>?\s*"?\/(proc|sys)\//.test(line)) found.push(`write to /proc or /sys: ${line}`);
    if (has(/^(modprobe|insmod|rmmod|depmod)$/)) found.push(`module: ${line}`);
    if (after(/^conntrack$/, /^-[DFIUE]$/)) found.push(`conntrack change: ${line}`);
    if (after(/^ipvsadm$/, /^-[ACDEaedRZ]$/)) found.push(`ipvsadm change: ${line}`);
    if (after(/^nft$/, /^(add|create|insert|replace|delete|destroy|flush|-f)$/)) found.push(`nft change: ${line}`);
    if (has(/^(curl|wget|nc|ncat|socat|telnet)$/) || /\/dev\/(tcp|udp)\/|https?:\/\/|:10249\b|:10256\b/.test(line)) found.push(`network: ${line}`);
  }
  return found;
}

describe('collectScript: what the script runs', () => {
  it('starts as a POSIX sh script and carries the manifest header and version', () => {
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain(`iptl_manifest_header='${MANIFEST_HEADER}'`);
    expect(MANIFEST_HEADER).toBe('# iptlens collect manifest v1');
    expect(script).toContain('iptl_version=9.8.7');
    expect(codeLines(script)).toContain('set -u');
    expect(codeLines(script).some((l) => /^\s*set -e/.test(l) || /^\s*set -[a-z]*e/.test(l))).toBe(false);
  });

  it('runs every command of the issue', () => {
    const runs = (argv: string) => expect(script, argv).toContain(`then iptl_run ${argv}; fi`);
    for (const c of ['iptables-save', 'ip6tables-save', 'iptables-nft-save', 'iptables-legacy-save', 'ip6tables-nft-save', 'ip6tables-legacy-save']) runs(c);
    runs('ipset save');
    runs('ipvsadm -Sn');
    runs('ipvsadm -Ln');
    runs('ip -d addr show');
    runs('ip route show table all');
    runs('ip -6 route show table all');
    runs('ip rule show');
    runs('conntrack -S');
    for (const path of [
      '/proc/sys/net/ipv4/conf/*/rp_filter',
      '/proc/sys/net/ipv4/ip_forward',
      '/proc/sys/net/ipv4/vs/conntrack',
      '/proc/sys/net/bridge/bridge-nf-call-iptables',
      '/proc/sys/net/ipv4/conf/*/route_localnet',
      '/proc/sys/net/ipv4/conf/*/accept_local',
    ]) {
      expect(script, path).toMatch(new RegExp(`^  iptl_sysctls sysctl\\.txt .*${path.replace(/[*.]/g, (c) => `\\${c}`)}( |$)`, 'm'));
    }
    expect(script).toContain('uname -r');
    expect(script).toContain('kube-proxy --version');
    expect(script).toContain('/proc/[0-9]*');
  });

  it('guards the tools that could make the kernel load a module', () => {
    expect(script).toContain('if iptl_need_tool iptables-legacy-save && iptl_need_legacy_tables /proc/net/ip_tables_names; then');
    expect(script).toContain('if iptl_need_tool ip6tables-legacy-save && iptl_need_legacy_tables /proc/net/ip6_tables_names; then');
    expect(script).toContain('if iptl_need_tool ipvsadm && iptl_need_path /proc/net/ip_vs ip_vs; then iptl_run ipvsadm -Sn; fi');
    expect(script).toContain('if iptl_need_tool ipset && iptl_need_module ip_set; then iptl_run ipset save; fi');
    expect(script).toContain('if iptl_need_tool conntrack && iptl_need_module nf_conntrack_netlink; then');
  });

  it('never contains a command that changes rules, sets, routes, sysctls or modules, or talks to the network', () => {
    expect(changingCommands(script)).toEqual([]);
  });

  it('would notice such a command if one were added', () => {
    const bad = [
      '  iptables -t nat -A POSTROUTING -j MASQUERADE',
      '  iptables-restore < x',
      '  ipset add KUBE-CLUSTER-IP 10.0.0.1,tcp:80',
      '  ip -6 route add blackhole ::/0',
      '  ip addr del 10.0.0.1/32 dev kube-ipvs0',
      '  sysctl -w net.ipv4.ip_forward=1',
      '  echo 1 > /proc/sys/net/ipv4/ip_forward',
      '  modprobe ip_vs',
      '  conntrack -F',
      '  ipvsadm -C',
      '  wget http://127.0.0.1:10249/proxyMode',
    ];
    for (const line of bad) expect(changingCommands(script.replace('\niptl_main() {\n', `\niptl_main() {\n${line}\n`)), line).toHaveLength(1);
  });

  const shells = [
    { name: 'sh', argv: ['sh'] },
    { name: 'dash', argv: ['dash'] },
    { name: 'bash --posix', argv: ['bash', '--posix'] },
    { name: 'busybox sh', argv: ['busybox', 'sh'] },
  ];
  for (const shell of shells) {
    const present = spawnSync(shell.argv[0]!, [...shell.argv.slice(1), '-c', 'exit 0']).status === 0;
    if (!present) console.warn(`[model/input/collect] ${shell.name} is not installed: its syntax check is skipped.`);
    it.skipIf(!present)(`passes ${shell.name} -n`, () => {
      const r = spawnSync(shell.argv[0]!, [...shell.argv.slice(1), '-n'], { input: script, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  }

  it('names each bundle file once, and none MANIFEST', () => {
    const names = collectSteps.flatMap((s) => (s.output.kind === 'file' ? [s.output.name] : []));
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('MANIFEST');
  });
});

describe('kubectlDebugCommand', () => {
  it('runs the script from stdin in a privileged node debug pod, with the host tools, and saves the archive locally', () => {
    const line = kubectlDebugCommand('node-a');
    expect(line).toBe(
      'iptlens collect | kubectl debug node/node-a --profile=sysadmin -i --quiet --image=busybox:1.36 -- chroot /host sh -s -- --stdout > node-a.tar.gz',
    );
    // A terminal (-t) would mangle the binary archive on stdout.
    expect(line.split(' ')).not.toContain('-t');
    expect(line.split(' ')).not.toContain('-it');
  });

  it('quotes a name the shell would otherwise interpret', () => {
    const line = kubectlDebugCommand("it's $(x)");
    expect(line).toContain(`'node/it'\\''s $(x)'`);
    expect(line).toContain("> it_s___x_.tar.gz");
    expect(spawnSync('sh', ['-n'], { input: line }).status).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Running the script with stand-ins: deterministic, no root needed.

/** What the script itself needs from the system (all are busybox applets too). */
const baseTools = ['sh', 'cat', 'tr', 'head', 'sed', 'grep', 'wc', 'date', 'mktemp', 'rm', 'mkdir', 'mv', 'cp', 'tar', 'gzip', 'uname', 'hostname', 'id', 'sleep'];

const ADDR = '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00 promiscuity 0\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n';
const ROUTE = 'default via 10.0.0.1 dev eth0\nblackhole 10.244.0.0/16 proto bird\n';
const RULE = '0:\tfrom all lookup local\n32766:\tfrom all lookup main\n';

/** A fake `ip`: canned output per command, records what it was given on stdin. */
function ipStub(log: string): string {
  return `#!/bin/sh
cat > "${log}/ip.stdin.$$"
case "$*" in
  "-d addr show") printf '%s' '${ADDR}' ;;
  "route show table all") printf '%s' '${ROUTE}' ;;
  "-6 route show table all") ;;
  "rule show") printf '%s' '${RULE}'; i=1; while [ $i -le 30 ]; do echo "warning line $i" >&2; i=$((i + 1)); done ;;
  "-6 rule show") echo 'RTNETLINK answers: Address family not supported by protocol' >&2; exit 2 ;;
  *) echo "ip stub: unexpected $*" >&2; exit 99 ;;
esac
`;
}

const KUBE_PROXY = `#!/bin/sh
case "\${1:-}" in --version) echo 'Kubernetes v1.31.2-fake'; exit 0 ;; esac
sleep 60
`;

interface Block {
  readonly fields: ReadonlyMap<string, string>;
  readonly stderr: readonly string[];
  readonly stdout: readonly string[];
}

/** MANIFEST: header facts (a key may repeat), then blocks separated by blank lines. */
function readManifest(text: string): { facts: Map<string, string[]>; blocks: Block[]; summary: Map<string, string> } {
  const [head = '', ...rest] = text.split('\n\n');
  const facts = new Map<string, string[]>();
  for (const line of head.split('\n')) {
    const m = /^([\w-]+): (.*)$/.exec(line);
    if (m) facts.set(m[1]!, [...(facts.get(m[1]!) ?? []), m[2]!]);
  }
  const blocks: Block[] = [];
  const summary = new Map<string, string>();
  for (const chunk of rest) {
    const fields = new Map<string, string>();
    const stderr: string[] = [];
    const stdout: string[] = [];
    for (const line of chunk.split('\n')) {
      if (line.startsWith('stderr| ')) stderr.push(line.slice(8));
      else if (line.startsWith('stdout| ')) stdout.push(line.slice(8));
      else {
        const m = /^([\w-]+): (.*)$/.exec(line);
        if (m) fields.set(m[1]!, m[2]!);
      }
    }
    if (fields.has('command')) blocks.push({ fields, stderr, stdout });
    else for (const [k, v] of fields) summary.set(k, v);
  }
  return { facts, blocks, summary };
}

const missingTools = baseTools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
if (missingTools.length) console.warn(`[model/input/collect] runs skipped: ${missingTools.join(', ')} not installed.`);

describe.skipIf(missingTools.length > 0)('the script, run with stand-in tools on a minimal PATH', () => {
  const root = mkdtempSync(join(tmpdir(), 'iptl-collect-unit-'));
  const bin = join(root, 'bin');
  const stubs = join(root, 'stubs');
  const logs = join(root, 'logs');
  const config = join(root, 'kube-proxy.yaml');
  const scriptFile = join(root, 'collect.sh');
  let fakeProxy: ReturnType<typeof spawn> | null = null;

  beforeAll(async () => {
    for (const d of [bin, stubs, logs]) mkdirSync(d);
    for (const tool of baseTools) {
      const where = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      symlinkSync(where, join(bin, tool));
    }
    const stub = (name: string, text: string) => {
      writeFileSync(join(stubs, name), text);
      chmodSync(join(stubs, name), 0o755);
    };
    stub('ip', ipStub(logs));
    stub('kube-proxy', KUBE_PROXY);
    writeFileSync(config, 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: "nftables"\nclusterCIDR: 10.244.0.0/16\n');
    writeFileSync(scriptFile, script);
    // A process named kube-proxy, with the flags kubeadm gives it.
    fakeProxy = spawn(join(stubs, 'kube-proxy'), [`--config=${config}`, '--hostname-override=node-a'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 200));
  });

  afterAll(() => {
    if (fakeProxy?.pid !== undefined && fakeProxy.exitCode === null) fakeProxy.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  });

  function run(argv: readonly string[], options: { input?: string | Buffer; cwd: string }) {
    return spawnSync(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      input: options.input ?? '',
      env: { PATH: `${stubs}:${bin}`, TMPDIR: root },
      maxBuffer: 64 * 1024 * 1024,
    });
  }

  function freshDir(name: string): string {
    const d = join(root, name);
    mkdirSync(d);
    return d;
  }

  it('writes iptlens-<hostname>-<UTC time>.tar.gz whose files are the outputs and MANIFEST records every command', () => {
    const cwd = freshDir('file-mode');
    const r = run(['/bin/sh', scriptFile], { cwd });
    expect(r.stderr.toString()).toMatch(/iptlens collect: wrote \.\/iptlens-.*\.tar\.gz \(4 files; missing: iptables-nft-save iptables-legacy-save iptables-save ip6tables-nft-save ip6tables-legacy-save ip6tables-save ipset ipvsadm conntrack\)/);
    expect(r.status).toBe(0);
    const made = readdirSync(cwd);
    expect(made).toHaveLength(1);
    const safeHost = hostname().replace(/[^A-Za-z0-9._-]/g, '_');
    expect(made[0]).toMatch(new RegExp(`^iptlens-${safeHost.replace(/\./g, '\\.')}-\\d{8}T\\d{6}Z\\.tar\\.gz$`));

    const bundle = readBundle(join(cwd, made[0]!));
    expect(bundle.diagnostics).toEqual([]);
    const byName = new Map(bundle.sources.map((s) => [s.name.replace(/^.*\//, ''), s.text]));
    expect([...byName.keys()].sort()).toEqual(['MANIFEST', 'ip-addr.txt', 'ip-route.txt', 'ip-rule.txt', 'sysctl.txt']);
    expect(byName.get('ip-addr.txt')).toBe(ADDR);
    expect(byName.get('ip-route.txt')).toBe(ROUTE);
    expect(byName.get('ip-rule.txt')).toBe(RULE);
    const kinds = Object.fromEntries([...byName].map(([name, text]) => [name, detectInput(text).kind]));
    expect(kinds).toEqual({ MANIFEST: 'iptlens-manifest', 'ip-addr.txt': 'ip-addr', 'ip-route.txt': 'ip-route', 'ip-rule.txt': 'ip-rule', 'sysctl.txt': 'sysctl' });

    // The sysctls are this machine's, in sysctl -a form.
    const forward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    expect(byName.get('sysctl.txt')).toMatch(new RegExp(`^net\\.ipv4\\.ip_forward = ${forward}$`, 'm'));
    expect(byName.get('sysctl.txt')).toMatch(/^net\.ipv4\.conf\.all\.rp_filter = \d+$/m);
    expect(byName.get('sysctl.txt')).not.toContain('/proc/sys');

    const manifest = byName.get('MANIFEST')!;
    expect(manifest.split('\n')[0]).toBe(MANIFEST_HEADER);
    const { facts, blocks, summary } = readManifest(manifest);
    expect(facts.get('collector')).toEqual(['iptlens 9.8.7 collect script']);
    expect(facts.get('hostname')).toEqual([hostname()]);
    expect(facts.get('uname-r')).toEqual([readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim()]);
    expect(facts.get('date')?.[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const block = (command: string) => {
      const b = blocks.find((x) => x.fields.get('command') === command);
      expect(b, command).toBeDefined();
      return b!;
    };
    for (const missing of ['iptables-nft-save', 'iptables-legacy-save', 'iptables-save', 'ip6tables-save', 'ipset save', 'ipvsadm -Sn', 'ipvsadm -Ln', 'conntrack -S']) {
      expect(block(missing).fields.get('status'), missing).toBe('missing');
      expect(block(missing).fields.get('file'), missing).toBe('-');
      expect(block(missing).fields.get('reason'), missing).toMatch(/is not installed/);
    }
    expect(Object.fromEntries(block('ip -d addr show').fields)).toEqual({ command: 'ip -d addr show', status: '0', file: 'ip-addr.txt', bytes: String(Buffer.byteLength(ADDR)) });
    // Printed nothing: no file, said so.
    expect(Object.fromEntries(block('ip -6 route show table all').fields)).toMatchObject({ status: '0', file: '-', reason: 'it printed nothing, so no file was kept' });
    // Failed: exit status and stderr kept, the script went on.
    expect(block('ip -6 rule show').fields.get('status')).toBe('2');
    expect(block('ip -6 rule show').stderr).toEqual(['RTNETLINK answers: Address family not supported by protocol']);
    // Long stderr: the first 20 lines and a count of the rest.
    expect(block('ip rule show').stderr).toEqual([...Array.from({ length: 20 }, (_, i) => `warning line ${i + 1}`), '(10 more lines)']);
    expect(block('ip rule show').fields.get('status')).toBe('0');
    expect(summary.get('files')).toBe('4');
    expect(summary.get('failed')).toBe('ip6-rule.txt');
    expect(summary.get('missing')).toBe('iptables-nft-save iptables-legacy-save iptables-save ip6tables-nft-save ip6tables-legacy-save ip6tables-save ipset ipvsadm conntrack');
  });

  it('finds kube-proxy by its process name and records its command line, mode (from its config file) and version', () => {
    const cwd = freshDir('kube-proxy');
    const r = run(['/bin/sh', scriptFile], { cwd });
    expect(r.status).toBe(0);
    const bundle = readBundle(join(cwd, readdirSync(cwd)[0]!));
    const manifest = bundle.sources.find((s) => s.name.endsWith('/MANIFEST'))!.text;
    const { facts } = readManifest(manifest);
    const pids = facts.get('kube-proxy-pid') ?? [];
    const mine = pids.indexOf(String(fakeProxy!.pid));
    expect(mine).toBeGreaterThanOrEqual(0);
    expect(facts.get('kube-proxy-cmdline')?.[mine]).toBe(`/bin/sh ${join(stubs, 'kube-proxy')} --config=${config} --hostname-override=node-a `);
    expect(facts.get('kube-proxy-mode')?.[mine]).toBe(`nftables (from the config file ${config})`);
    expect(facts.get('kube-proxy-version')).toEqual(['Kubernetes v1.31.2-fake (from kube-proxy --version)']);
    expect(facts.has('kube-proxy')).toBe(false);
  });

  it('with --stdout writes the .tar.gz to stdout and nothing in the current directory', () => {
    const cwd = freshDir('stdout-mode');
    const r = run(['/bin/sh', scriptFile, '--stdout'], { cwd });
    expect(r.status).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect([...r.stdout.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(r.stderr.toString()).toMatch(/wrote iptlens-.*\.tar\.gz to stdout/);
    const archive = join(cwd, 'node-a.tar.gz');
    writeFileSync(archive, r.stdout);
    const bundle = readBundle(archive);
    expect(bundle.name).toBe('node-a');
    expect(bundle.sources.map((s) => s.name.replace(/^.*\//, '')).sort()).toEqual(['MANIFEST', 'ip-addr.txt', 'ip-route.txt', 'ip-rule.txt', 'sysctl.txt']);
  });

  it('read from stdin as it arrives (sh -s), gives its commands /dev/null as stdin, so none can eat the rest of the script', async () => {
    const cwd = freshDir('stdin-mode');
    for (const f of readdirSync(logs)) if (f.startsWith('ip.stdin.')) rmSync(join(logs, f));
    const call = '\niptl_main "$@" </dev/null\n';
    const cut = script.indexOf(call) + call.length;
    expect(cut).toBeGreaterThan(call.length);
    const child = spawn('/bin/sh', ['-s', '--', '--stdout'], { cwd, env: { PATH: `${stubs}:${bin}`, TMPDIR: root }, stdio: ['pipe', 'pipe', 'ignore'] });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write(script.slice(0, cut));
    // The rest (`exit $?`) arrives while the commands run, as it may through kubectl attach.
    await new Promise((r) => setTimeout(r, 500));
    child.stdin.end(script.slice(cut));
    const code = await closed;
    clearTimeout(killer);
    expect(code).toBe(0);
    const stdins = readdirSync(logs).filter((f) => f.startsWith('ip.stdin.'));
    expect(stdins).toHaveLength(5);
    for (const f of stdins) expect(readFileSync(join(logs, f), 'utf8'), f).toBe('');
    const archive = join(cwd, 'x.tar.gz');
    writeFileSync(archive, Buffer.concat(out));
    const manifest = readBundle(archive).sources.find((s) => s.name.endsWith('/MANIFEST'))!.text;
    expect(readManifest(manifest).summary.get('files')).toBe('4');
  });

  it('rejects an unknown argument before doing anything', () => {
    const cwd = freshDir('bad-arg');
    const r = run(['/bin/sh', scriptFile, '--bogus'], { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toContain('unknown argument: --bogus');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('the kubectl one-liner, with stand-ins for iptlens and kubectl, leaves <node>.tar.gz in the current directory', () => {
    const cwd = freshDir('one-liner');
    writeFileSync(join(stubs, 'iptlens'), `#!/bin/sh\n[ "$*" = collect ] || exit 9\ncat '${scriptFile}'\n`);
    chmodSync(join(stubs, 'iptlens'), 0o755);
    // kubectl: record the arguments, then run what follows `--` here, without the chroot.
    writeFileSync(
      join(stubs, 'kubectl'),
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${logs}/kubectl.args'\nwhile [ "$1" != -- ]; do shift; done\nshift\n[ "$1 $2" = "chroot /host" ] || exit 9\nshift 2\nexec "$@"\n`,
    );
    chmodSync(join(stubs, 'kubectl'), 0o755);
    const r = run(['/bin/sh', '-c', kubectlDebugCommand('node-a')], { cwd });
    expect(r.status).toBe(0);
    expect(readFileSync(join(logs, 'kubectl.args'), 'utf8').split('\n').slice(0, 6)).toEqual([
      'debug',
      'node/node-a',
      '--profile=sysadmin',
      '-i',
      '--quiet',
      '--image=busybox:1.36',
    ]);
    expect(readdirSync(cwd)).toEqual(['node-a.tar.gz']);
    const bundle = readBundle(join(cwd, 'node-a.tar.gz'));
    expect(bundle.diagnostics).toEqual([]);
    expect(bundle.sources.some((s) => s.name.endsWith('/MANIFEST') && s.text.startsWith(MANIFEST_HEADER))).toBe(true);
  });

  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  if (!busybox) console.warn('[model/input/collect] busybox is not installed: the run with busybox applets only is skipped.');
  it.skipIf(!busybox)('works with busybox sh and busybox applets only', () => {
    const bbBin = join(root, 'busybox-bin');
    mkdirSync(bbBin);
    for (const tool of baseTools) symlinkSync(busybox, join(bbBin, tool));
    const cwd = freshDir('busybox');
    const r = spawnSync(busybox, ['sh', scriptFile], { cwd, env: { PATH: `${stubs}:${bbBin}`, TMPDIR: root } });
    expect(r.stderr.toString()).toContain('wrote ./iptlens-');
    expect(r.status).toBe(0);
    const bundle = readBundle(join(cwd, readdirSync(cwd)[0]!));
    expect(bundle.sources.map((s) => s.name.replace(/^.*\//, '')).sort()).toEqual(['MANIFEST', 'ip-addr.txt', 'ip-route.txt', 'ip-rule.txt', 'sysctl.txt']);
    expect(bundle.sources.find((s) => s.name.endsWith('sysctl.txt'))?.text).toMatch(/^net\.ipv4\.ip_forward = \d$/m);
  });

  it('leaves no temporary directory behind', () => {
    expect(readdirSync(root).filter((f) => f.startsWith('iptlens-collect.'))).toEqual([]);
    expect(existsSync(root)).toBe(true);
  });
});

describe('detectInput and MANIFEST', () => {
  it('recognises a manifest by its first line only', () => {
    expect(detectInput(`${MANIFEST_HEADER}\ncollector: iptlens 0.1.0 collect script\n`).kind).toBe('iptlens-manifest');
    expect(detectInput(`\n\n${MANIFEST_HEADER}\n`).kind).toBe('iptlens-manifest');
    expect(detectInput(`*nat\n${MANIFEST_HEADER}\nCOMMIT\n`).kind).toBe('iptables-save');
    expect(detectInput('# iptlens collect manifest\n').kind).toBe('unknown');
  });
});

describe('iptlens collect (the command)', () => {
  async function collect(args: string[]): Promise<{ out: string; error: CommanderError | null }> {
    let out = '';
    const program = new Command().name('iptlens').exitOverride().configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (out += s) });
    registerCollectCommand(program, { stdout: { write: (s: string) => (out += s) } });
    try {
      await program.parseAsync(['collect', ...args], { from: 'user' });
      return { out, error: null };
    } catch (error) {
      return { out, error: error as CommanderError };
    }
  }

  it('prints the script with the iptlens version', async () => {
    const { out, error } = await collect([]);
    expect(error).toBeNull();
    expect(out).toBe(collectScript({ version: VERSION }));
  });

  it('prints the one-liner with --kubectl, for --node or a placeholder', async () => {
    expect((await collect(['--kubectl', '--node', 'ip-10-0-1-7.ec2.internal'])).out).toBe(kubectlDebugCommand('ip-10-0-1-7.ec2.internal') + '\n');
    expect((await collect(['--node', 'node-a'])).out).toBe(kubectlDebugCommand('node-a') + '\n');
    expect((await collect(['--kubectl'])).out).toBe(kubectlDebugCommand('NODE') + '\n');
  });

  it('refuses a --node that is not a node name, with exit status 2', async () => {
    const { out, error } = await collect(['--node', 'Node A;rm']);
    expect(error?.exitCode).toBe(2);
    expect(out).toContain('is not a Kubernetes node name');
  });

  it('has --help with examples', async () => {
    const { out, error } = await collect(['--help']);
    expect(error?.exitCode).toBe(0);
    expect(out).toContain('Examples:');
    expect(out).toContain('iptlens collect --kubectl --node node-a');
    expect(out).toContain('--stdout');
  });
});
