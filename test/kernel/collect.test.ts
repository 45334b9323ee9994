/**
 * `iptlens collect` against the kernel: a network namespace is dressed as a small kube-proxy
 * node (kube-ipvs0 with /32 Service addresses, a veth uplink, routes with a blackhole and a
 * policy-routing table, an ipset, nft-backed iptables and ip6tables rules, a legacy ip6tables
 * table, sysctls), the collection script runs inside it (`ip netns exec NS sh collect.sh`), and
 * the bundle it writes is read back with readBundle: every file there, each recognised by
 * detectInput as what it is, with what was configured; the manifest records what this machine
 * lacks; the namespace is unchanged afterwards. Under strace (when installed) it also shows that
 * the script started no module loader or restore tool and opened no inet connection.
 *
 * sysctls and netfilter state are the namespace's; `uname -r` and the process list are the
 * host's. Needs root and `ip netns`; skips with a message otherwise. Touches nothing outside its
 * namespace, which afterAll deletes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectScript, MANIFEST_HEADER } from '../../src/model/input/collect.js';
import { readBundle } from '../../src/model/input/bundle.js';
import { detectInput } from '../../src/model/input/detect.js';
import { buildNodeSnapshot } from '../../src/model/node.js';

const ns = `iptl-collect-${process.pid}-0`;

function setUp(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  for (const tool of ['ip', 'iptables-restore', 'ip6tables-restore', 'ipset', 'tar', 'gzip']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
  if (add.status !== 0) return `ip netns add failed: ${add.stderr.trim()}`;
  return null;
}

const skipReason = setUp();
let created = skipReason === null;
const removeNamespace = (): void => {
  if (!created) return;
  created = false;
  spawnSync('ip', ['netns', 'del', ns]);
};
process.on('exit', removeNamespace);
if (skipReason) console.warn(`[kernel/collect] skipped: ${skipReason}.`);

function ipIn(...args: string[]): string {
  return execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function inNs(args: readonly string[], input?: string): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
}

const IPSETS = `create KUBE-CLUSTER-IP hash:ip,port family inet hashsize 1024 maxelem 65536
add KUBE-CLUSTER-IP 10.96.0.10,udp:53
add KUBE-CLUSTER-IP 10.96.0.1,tcp:443
`;

// A kube-proxy iptables-mode nat table in miniature, and a filter table that uses the set.
const RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-SVC-TCOU7JCQXEZGVUNU - [0:0]
:KUBE-SEP-6E7XQMQ4RAYOWTTM - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
-A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ
-A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.7:53" -j KUBE-SEP-6E7XQMQ4RAYOWTTM
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -s 10.244.1.7/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ
-A KUBE-SEP-6E7XQMQ4RAYOWTTM -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 10.244.1.7:53
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
-A FORWARD -m conntrack --ctstate INVALID -j DROP
COMMIT
`;

const RULES6 = `*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -s fd00:10:244::/56 -j ACCEPT
COMMIT
`;

/** A legacy ip6tables table next to the nft ones (a node half-way between backends). */
const LEGACY6 = `*mangle
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -s fd00:10::/64 -j MARK --set-xmark 0x1/0x1
COMMIT
`;

/** What the script may change: nothing. Compared before and after it runs. */
function nodeState(): Record<string, string> {
  const quiet = (args: readonly string[]): string => {
    const r = spawnSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8' });
    // Comment lines carry the time; counters move with the kernel's own IPv6 traffic (MLD).
    return `${r.status}\n${r.stdout.replace(/^#.*\n/gm, '').replace(/\[\d+:\d+\]/g, '[-]')}`;
  };
  return {
    iptables: quiet(['iptables-nft-save']),
    ip6tables: quiet(['ip6tables-nft-save']),
    ip6tablesLegacy: quiet(['cat', '/proc/net/ip6_tables_names']),
    legacyNames: quiet(['cat', '/proc/net/ip_tables_names']),
    ipset: quiet(['ipset', 'save']),
    addr: quiet(['ip', '-d', 'addr', 'show']),
    route: quiet(['ip', 'route', 'show', 'table', 'all']),
    route6: quiet(['ip', '-6', 'route', 'show', 'table', 'all']),
    rule: quiet(['ip', 'rule', 'show']),
    sysctl: quiet(['sh', '-c', 'grep -H . /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/route_localnet']),
  };
}

interface Manifest {
  readonly facts: Map<string, string[]>;
  readonly blocks: Map<string, Map<string, string> & { stdout?: string[] }>;
  readonly summary: Map<string, string>;
}

/** MANIFEST: facts, then blank-line-separated blocks keyed by their command. */
function readManifest(text: string): Manifest {
  const [head = '', ...rest] = text.split('\n\n');
  const fieldsOf = (chunk: string): Map<string, string> & { stdout?: string[] } => {
    const fields: Map<string, string> & { stdout?: string[] } = new Map();
    fields.stdout = [];
    for (const line of chunk.split('\n')) {
      if (line.startsWith('stdout| ')) fields.stdout.push(line.slice(8));
      const m = /^([\w-]+): (.*)$/.exec(line);
      if (m) fields.set(m[1]!, m[2]!);
    }
    return fields;
  };
  const facts = new Map<string, string[]>();
  for (const line of head.split('\n')) {
    const m = /^([\w-]+): (.*)$/.exec(line);
    if (m) facts.set(m[1]!, [...(facts.get(m[1]!) ?? []), m[2]!]);
  }
  const blocks = new Map<string, Map<string, string> & { stdout?: string[] }>();
  let summary = new Map<string, string>();
  for (const chunk of rest) {
    const fields = fieldsOf(chunk);
    const command = fields.get('command');
    if (command !== undefined) blocks.set(command, fields);
    else summary = fields;
  }
  return { facts, blocks, summary };
}

describe.skipIf(skipReason !== null)('iptlens collect in a network namespace', () => {
  const work = mkdtempSync(join(tmpdir(), 'iptl-collect-kernel-'));
  const scriptFile = join(work, 'collect.sh');
  let legacy6 = false;
  let before: Record<string, string> = {};

  beforeAll(() => {
    writeFileSync(scriptFile, collectScript({ version: 'test' }));
    ipIn('link', 'set', 'lo', 'up');
    // Link-local addresses usable at once, so that nothing changes on its own while the test
    // compares the namespace before and after the script.
    inNs(['sh', '-c', 'echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad']);
    // kube-proxy's kube-ipvs0 is a dummy link; a kernel without the dummy driver gets a bridge
    // with no ports, whose addresses are just as local (fib_add_ifaddr).
    const dummy = spawnSync('ip', ['-n', ns, 'link', 'add', 'kube-ipvs0', 'type', 'dummy'], { encoding: 'utf8' });
    if (dummy.status !== 0) {
      console.warn(`[kernel/collect] no dummy links here (${dummy.stderr.trim()}): kube-ipvs0 is a bridge.`);
      ipIn('link', 'add', 'kube-ipvs0', 'type', 'bridge');
    }
    ipIn('addr', 'add', '10.96.0.1/32', 'dev', 'kube-ipvs0');
    ipIn('addr', 'add', '10.96.0.10/32', 'dev', 'kube-ipvs0');
    // A dot in an interface name: sysctl shows it as a slash in the key.
    ipIn('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'veth.7');
    ipIn('link', 'set', 'eth0', 'up');
    ipIn('link', 'set', 'veth.7', 'up');
    ipIn('addr', 'add', '10.0.0.11/24', 'dev', 'eth0');
    ipIn('-6', 'addr', 'add', 'fd00:10::11/64', 'dev', 'eth0', 'nodad');
    ipIn('route', 'add', 'default', 'via', '10.0.0.1');
    ipIn('route', 'add', 'blackhole', '10.244.0.0/16');
    ipIn('route', 'add', '192.0.2.0/24', 'via', '10.0.0.1', 'table', '100');
    ipIn('rule', 'add', 'fwmark', '0x4000/0x4000', 'lookup', '100', 'priority', '100');
    ipIn('-6', 'route', 'add', 'blackhole', 'fd00:dead::/64');
    inNs(['sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward; echo 2 > /proc/sys/net/ipv4/conf/eth0/rp_filter; echo 1 > /proc/sys/net/ipv4/conf/veth.7/rp_filter; echo 1 > /proc/sys/net/ipv4/conf/all/route_localnet']);
    inNs(['ipset', 'restore'], IPSETS);
    inNs(['iptables-restore', '-w', '5'], RULES);
    inNs(['ip6tables-restore', '-w', '5'], RULES6);
    if (has('ip6tables-legacy-restore')) {
      const r = spawnSync('ip', ['netns', 'exec', ns, 'ip6tables-legacy-restore', '-w', '5'], { input: LEGACY6, encoding: 'utf8' });
      legacy6 = r.status === 0;
      if (!legacy6) console.warn(`[kernel/collect] no legacy ip6tables here (${r.stderr.trim()}): the legacy branch is not exercised.`);
    }
    before = nodeState();
  });

  afterAll(() => {
    removeNamespace();
    rmSync(work, { recursive: true, force: true });
  });

  const strace = has('strace');
  if (!strace) console.warn('[kernel/collect] strace is not installed: the check of what the script executes and connects to is skipped.');
  let run1: { status: number | null; stderr: string; archive: string; trace: string } | null = null;

  function runInNamespace(): NonNullable<typeof run1> {
    if (run1) return run1;
    const cwd = join(work, 'run1');
    mkdirSync(cwd);
    const traceFile = join(work, 'strace.txt');
    const argv = strace
      ? ['netns', 'exec', ns, 'strace', '-f', '-qq', '-s', '256', '-o', traceFile, '-e', 'trace=execve,connect,sendto,sendmsg,init_module,finit_module', 'sh', scriptFile]
      : ['netns', 'exec', ns, 'sh', scriptFile];
    const r = spawnSync('ip', argv, { cwd, encoding: 'utf8', timeout: 60_000 });
    const made = readdirSync(cwd);
    run1 = { status: r.status, stderr: r.stderr, archive: made.length === 1 ? join(cwd, made[0]!) : `(made ${JSON.stringify(made)})`, trace: strace ? readFileSync(traceFile, 'utf8') : '' };
    return run1;
  }

  it('writes iptlens-<hostname>-<UTC time>.tar.gz in the current directory and exits 0', () => {
    const r = runInNamespace();
    expect(r.stderr).toContain('iptlens collect: wrote ./iptlens-');
    expect(r.status).toBe(0);
    const safeHost = hostname().replace(/[^A-Za-z0-9._-]/g, '_').replace(/\./g, '\\.');
    expect(r.archive).toMatch(new RegExp(`/iptlens-${safeHost}-\\d{8}T\\d{6}Z\\.tar\\.gz$`));
  });

  it('the bundle holds every output, non-empty, each recognised as what it is, with what was configured', () => {
    const bundle = readBundle(runInNamespace().archive);
    expect(bundle.diagnostics).toEqual([]);
    const files = new Map(bundle.sources.map((s) => [s.name.replace(/^.*\//, ''), s.text]));
    const expected: Record<string, string> = {
      MANIFEST: 'iptlens-manifest',
      'iptables-nft-save.txt': 'iptables-save',
      'ip6tables-nft-save.txt': 'iptables-save',
      'ipset-save.txt': 'ipset',
      'ip-addr.txt': 'ip-addr',
      'ip-route.txt': 'ip-route',
      'ip6-route.txt': 'ip-route',
      'ip-rule.txt': 'ip-rule',
      'ip6-rule.txt': 'ip-rule',
      'sysctl.txt': 'sysctl',
    };
    if (legacy6) expected['ip6tables-legacy-save.txt'] = 'iptables-save';
    expect([...files.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [name, text] of files) {
      expect(text.length, name).toBeGreaterThan(0);
      expect(detectInput(text).kind, name).toBe(expected[name]);
    }
    const file = (name: string): string => files.get(name) ?? '';
    expect(file('iptables-nft-save.txt')).toContain('-A KUBE-SEP-6E7XQMQ4RAYOWTTM -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 10.244.1.7:53');
    expect(file('iptables-nft-save.txt')).toContain('-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT');
    expect(file('ip6tables-nft-save.txt')).toContain('-A FORWARD -s fd00:10:244::/56 -j ACCEPT');
    if (legacy6) expect(file('ip6tables-legacy-save.txt')).toContain('-A PREROUTING -s fd00:10::/64 -j MARK --set-xmark 0x1/0x1');
    expect(file('ipset-save.txt')).toContain('add KUBE-CLUSTER-IP 10.96.0.10,udp:53');
    expect(file('ip-addr.txt')).toMatch(/kube-ipvs0[\s\S]*inet 10\.96\.0\.10\/32/);
    expect(file('ip-addr.txt')).toContain('veth.7@eth0');
    expect(file('ip-route.txt')).toMatch(/^blackhole 10\.244\.0\.0\/16/m);
    expect(file('ip-route.txt')).toMatch(/^192\.0\.2\.0\/24 via 10\.0\.0\.1 dev eth0 table 100/m);
    expect(file('ip6-route.txt')).toMatch(/^blackhole fd00:dead::\/64/m);
    expect(file('ip-rule.txt')).toMatch(/^100:\s+from all fwmark 0x4000\/0x4000 lookup 100/m);
    const sysctl = file('sysctl.txt');
    for (const line of ['net.ipv4.ip_forward = 1', 'net.ipv4.conf.eth0.rp_filter = 2', 'net.ipv4.conf.veth/7.rp_filter = 1', 'net.ipv4.conf.all.route_localnet = 1', 'net.ipv4.conf.kube-ipvs0.accept_local = 0']) {
      expect(sysctl.split('\n'), line).toContain(line);
    }
  });

  it('the node loader reads the bundle: rules of both families, the sets, and nothing it cannot place', () => {
    const bundle = readBundle(runInNamespace().archive);
    const node = buildNodeSnapshot(bundle.name, bundle.sources);
    expect(node.ipv4?.tables.find((t) => t.name === 'nat')?.chainsByName.has('KUBE-SERVICES')).toBe(true);
    expect(node.ipv6?.tables.map((t) => t.name).sort()).toEqual(legacy6 ? ['filter', 'mangle'] : ['filter']);
    expect(node.ipsets?.map((s) => s.name)).toEqual(['KUBE-CLUSTER-IP']);
    const problems = node.diagnostics.filter((d) => d.severity === 'error' || /^input\/(unrecognised|empty|binary)$/.test(d.code));
    expect(problems.map((d) => `${d.code}: ${d.message}`)).toEqual([]);
  });

  it('the manifest records the node, every command, and what this machine lacks or does not use', () => {
    const manifest = readBundle(runInNamespace().archive).sources.find((s) => s.name.endsWith('/MANIFEST'))!.text;
    expect(manifest.split('\n')[0]).toBe(MANIFEST_HEADER);
    const { facts, blocks, summary } = readManifest(manifest);
    expect(facts.get('hostname')).toEqual([hostname()]);
    expect(facts.get('uname-r')).toEqual([release()]);
    expect(facts.get('user')).toEqual(['0']);
    const block = (command: string) => {
      const b = blocks.get(command);
      expect(b, command).toBeDefined();
      return b!;
    };
    expect(block('iptables-nft-save').get('status')).toBe('0');
    expect(block('iptables-nft-save').get('file')).toBe('iptables-nft-save.txt');
    // No legacy IPv4 table exists in the namespace, so the legacy tool is not run.
    const legacy4 = block('iptables-legacy-save');
    if (has('iptables-legacy-save')) {
      expect(legacy4.get('status')).toBe('skipped');
      expect(legacy4.get('reason')).toContain('/proc/net/ip_tables_names lists no table');
    } else expect(legacy4.get('status')).toBe('missing');
    if (legacy6) expect(block('ip6tables-legacy-save').get('status')).toBe('0');
    // The unversioned tools are one of the variants, read under that name.
    expect(block('iptables-save').get('status')).toBe('skipped');
    expect(block('iptables-save').get('reason')).toMatch(/^iptables-save is the (nft|legacy) variant, read as iptables-(nft|legacy)-save$/);
    // ipvsadm: missing here, or present but IPVS not loaded (this kernel has none).
    for (const command of ['ipvsadm -Sn', 'ipvsadm -Ln']) {
      const b = block(command);
      if (!has('ipvsadm')) {
        expect(b.get('status'), command).toBe('missing');
        expect(summary.get('missing')?.split(' ')).toContain('ipvsadm');
      } else if (spawnSync('ip', ['netns', 'exec', ns, 'test', '-e', '/proc/net/ip_vs']).status !== 0) {
        expect(b.get('status'), command).toBe('skipped');
        expect(b.get('reason'), command).toContain('/proc/net/ip_vs does not exist');
      } else expect(b.get('status'), command).toBe('0');
    }
    if (has('conntrack')) {
      const c = block('conntrack -S');
      if (c.get('status') === '0') expect(c.stdout?.[0]).toMatch(/^cpu=0\s+found=\d+/);
      else expect(c.get('status')).toBe('skipped');
    } else expect(block('conntrack -S').get('status')).toBe('missing');
    expect(summary.get('failed')).toBe('none');
  });

  it('leaves the namespace as it found it', () => {
    runInNamespace();
    expect(nodeState()).toEqual(before);
    expect(before.legacyNames).toBe('0\n');
  });

  it.skipIf(!strace)('starts no module loader, restore or writing tool, and connects to no inet address', () => {
    const trace = runInNamespace().trace;
    const programs = [...trace.matchAll(/execve\("([^"]+)", \[([^\]]*)\]/g)].map((m) => ({ path: m[1]!, argv: m[2]! }));
    expect(programs.length).toBeGreaterThan(10);
    const names = new Set(programs.map((p) => p.path.replace(/^.*\//, '')));
    for (const bad of ['modprobe', 'insmod', 'rmmod', 'sysctl', 'iptables-restore', 'ip6tables-restore', 'iptables-nft-restore', 'iptables-legacy-restore', 'nft', 'curl', 'wget']) {
      expect(names.has(bad), bad).toBe(false);
    }
    for (const p of programs.filter((x) => /\/(ipset|ip|conntrack|ipvsadm)$/.test(x.path))) {
      expect(p.argv, p.path).not.toMatch(/"(add|del|delete|create|destroy|flush|restore|replace|change|-F|-D|-I|-A|-C)"/);
    }
    expect(trace).not.toMatch(/(init_module|finit_module)\(/);
    expect(trace).not.toMatch(/(connect|sendto|sendmsg)\([^\n]*sa_family=AF_INET6?\b/);
  });

  it('with --stdout and most tools missing, writes a valid .tar.gz to stdout that records them as missing', () => {
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const tools = ['sh', 'cat', 'tr', 'head', 'sed', 'grep', 'wc', 'date', 'mktemp', 'rm', 'mkdir', 'mv', 'cp', 'tar', 'gzip', 'uname', 'hostname', 'id', 'ip', 'iptables-save', 'iptables-nft-save', 'ip6tables-save', 'ip6tables-nft-save'];
    for (const tool of tools) {
      const where = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (where) symlinkSync(where, join(bin, tool));
    }
    const cwd = join(work, 'run2');
    mkdirSync(cwd);
    const r = spawnSync('ip', ['netns', 'exec', ns, 'env', `PATH=${bin}`, 'sh', scriptFile, '--stdout'], { cwd, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.stderr.toString()).toMatch(/wrote iptlens-.*\.tar\.gz to stdout/);
    expect(r.status).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect([...r.stdout.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const archive = join(work, 'node-b.tar.gz');
    writeFileSync(archive, r.stdout);
    const bundle = readBundle(archive);
    expect(bundle.diagnostics).toEqual([]);
    expect(bundle.name).toBe('node-b');
    const files = new Map(bundle.sources.map((s) => [s.name.replace(/^.*\//, ''), s.text]));
    expect(detectInput(files.get('iptables-nft-save.txt') ?? '').kind).toBe('iptables-save');
    expect(files.has('ipset-save.txt')).toBe(false);
    const { blocks, summary } = readManifest(files.get('MANIFEST') ?? '');
    for (const command of ['ipset save', 'ipvsadm -Sn', 'ipvsadm -Ln', 'conntrack -S', 'iptables-legacy-save', 'ip6tables-legacy-save']) {
      expect(blocks.get(command)?.get('status'), command).toBe('missing');
    }
    expect(summary.get('missing')).toBe('iptables-legacy-save ip6tables-legacy-save ipset ipvsadm conntrack');
    expect(nodeState()).toEqual(before);
  });
});
