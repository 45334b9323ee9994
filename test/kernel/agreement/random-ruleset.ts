/**
 * Random nat + filter (+ mangle) rulesets, and random first packets, for the fast-check agreement
 * run (test/kernel/eval-random.test.ts). Every ruleset is one the kernel accepts: targets only in
 * the tables and hooks they are valid in (DNAT/REDIRECT in nat PREROUTING/OUTPUT, SNAT in nat
 * POSTROUTING/INPUT, MASQUERADE in nat POSTROUTING, REJECT in filter: xt_nat.c, xt_MASQUERADE.c,
 * ipt_REJECT.c hook masks), jumps only forward (no loops: mark_source_chains refuses them), `-i`
 * never in OUTPUT/POSTROUTING and `-o` never in PREROUTING/INPUT built-in chains (iptables
 * refuses), and a port in a NAT target or a port match only with `-p tcp`/`-p udp`. The raw table
 * may untrack a packet (`-j CT --notrack`), which then skips NAT.
 *
 * The addresses are those of the random topology (randomTopology below), so rules and packets
 * meet: the node (10.0.0.11), its bridge (10.244.1.1), the client and web pods, a remote pod, a
 * Service-range address routed by upstream to the node, an address on kube-ipvs0, an internet
 * host and the external client.
 */
import fc from 'fast-check';
import type { Protocol, TopologyOptions } from '../harness/types.js';
import type { AgreementPacket } from './types.js';

/** The topology every random ruleset is loaded into. */
export const randomTopology: Omit<TopologyOptions, 'area' | 'rules'> = {
  pods: [
    { name: 'client', address: '10.244.1.5' },
    { name: 'web', address: '10.244.1.6' },
  ],
  remotes: [{ name: 'far', addresses: ['10.244.2.7', '10.244.2.8', '198.51.100.7'] }],
  extraLocalAddresses: [{ iface: 'kube-ipvs0', addresses: ['10.96.0.50'] }],
  // Only the Service-range addresses external packets are sent to. Were the whole range routed
  // back to the node, a pod's or the host's packet to a Service address that no rule DNATs would
  // leave by eth0, come back from upstream and meet PREROUTING a second time.
  routesViaNode: ['10.96.0.10/32', '10.96.0.50/32'],
};

const NODE = '10.0.0.11';
const BRIDGE = '10.244.1.1';
const CLIENT = '10.244.1.5';
const WEB = '10.244.1.6';
const REMOTE = '10.244.2.7';
/** A Service address upstream routes to the node (for external packets)… */
const SERVICE = '10.96.0.10';
/** …and one it does not (for pod and host packets, which reach the node anyway). */
const SERVICE_INSIDE = '10.96.0.20';
const IPVS_LOCAL = '10.96.0.50';
const INTERNET = '198.51.100.7';
const GATEWAY = '10.0.0.1';
const EXTERNAL = '203.0.113.2';

const ruleAddresses = [NODE, BRIDGE, CLIENT, WEB, REMOTE, SERVICE, SERVICE_INSIDE, IPVS_LOCAL, INTERNET, GATEWAY, EXTERNAL, '127.0.0.1'];
const prefixes = [32, 32, 24, 16, 8] as const;
const ports = ['80', '443', '53', '8080', '30080', '9999', '1:1023', '1024:65535', '30000:32767', '20000:40000', '40001:65535'];
const interfaces = ['eth0', 'cni0', 'lo', 'eth+', 'veth+', 'kube-ipvs0', 'vethpod0'];
const ipranges = ['10.244.1.2-10.244.1.5', '10.244.1.6-10.244.2.7', '10.0.0.2-10.0.0.11', '10.96.0.0-10.96.0.15', '198.51.100.0-203.0.113.2'];
const marks = ['0x1/0x1', '0x4000/0x4000', '0x2/0xff', '0x0/0x4000'];
const ctstates = ['NEW', 'RELATED,ESTABLISHED', 'DNAT', 'SNAT', 'INVALID', 'UNTRACKED', 'RELATED,ESTABLISHED,DNAT'];
const dnatTargets = [WEB, REMOTE, NODE, INTERNET, CLIENT, '127.0.0.1', IPVS_LOCAL, GATEWAY, '10.244.2.7-10.244.2.8'];
const snatTargets = [NODE, BRIDGE, '192.0.2.9'];
const natPorts = ['80', '8080', '53', '9999'];
const rejectWith = ['icmp-port-unreachable', 'icmp-host-unreachable', 'icmp-net-prohibited', 'icmp-admin-prohibited', 'tcp-reset'];

/** A packet field as the rule tests it. */
export type MatchSpec =
  | { readonly kind: 'address'; readonly which: 's' | 'd'; readonly negated: boolean; readonly address: string; readonly prefix: number }
  | { readonly kind: 'iface'; readonly which: 'i' | 'o'; readonly negated: boolean; readonly name: string }
  | { readonly kind: 'mark'; readonly negated: boolean; readonly mark: string }
  | { readonly kind: 'ctstate'; readonly negated: boolean; readonly states: string }
  | { readonly kind: 'addrtype'; readonly which: 'src' | 'dst'; readonly negated: boolean; readonly type: 'LOCAL' | 'UNICAST' }
  | { readonly kind: 'iprange'; readonly which: 'src' | 'dst'; readonly negated: boolean; readonly range: string }
  | { readonly kind: 'random' };

/** `-p` with its port tests: `--dport`/`--sport` ranges, or `-m multiport`. */
export interface ProtocolSpec {
  readonly protocol: Protocol;
  /** `--syn` / `! --syn` (tcp only: FIN,SYN,RST,ACK SYN). */
  readonly syn: boolean | null;
  readonly dport: { readonly negated: boolean; readonly range: string } | null;
  readonly sport: { readonly negated: boolean; readonly range: string } | null;
  readonly multiport: { readonly option: '--dports' | '--sports' | '--ports'; readonly negated: boolean; readonly list: readonly string[] } | null;
}

export type TargetSpec =
  | { readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' | 'none' | 'NOTRACK' }
  | { readonly kind: 'REJECT'; readonly with: string }
  | { readonly kind: 'MARK'; readonly mark: string }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }
  | { readonly kind: 'DNAT'; readonly to: string; readonly port: string | null }
  | { readonly kind: 'REDIRECT'; readonly port: string | null }
  | { readonly kind: 'SNAT'; readonly to: string }
  | { readonly kind: 'MASQUERADE'; readonly randomFully: boolean };

export interface RuleSpec {
  readonly protocol: ProtocolSpec | null;
  readonly matches: readonly MatchSpec[];
  readonly target: TargetSpec;
}

type Policy = 'ACCEPT' | 'DROP';

export interface RandomRuleset {
  readonly filterPolicy: { readonly INPUT: Policy; readonly FORWARD: Policy; readonly OUTPUT: Policy };
  /** Rules by `table/chain`, in the order of `chainOrder`. */
  readonly chains: Readonly<Record<string, readonly RuleSpec[]>>;
}

export interface RandomScenario {
  readonly ruleset: RandomRuleset;
  readonly packets: readonly AgreementPacket[];
}

/** Where a chain runs decides what its rules may use. */
interface ChainKind {
  readonly table: 'raw' | 'nat' | 'filter' | 'mangle';
  readonly name: string;
  readonly builtin: boolean;
  /** Which of -i / -o the built-in chain allows (user chains allow both). */
  readonly iface: readonly ('i' | 'o')[];
  readonly targets: 'raw' | 'dnat' | 'snat' | 'snat-input' | 'filter' | 'mangle';
  /** User chains a rule here may jump or go to (always later ones: no loops). */
  readonly jumps: readonly string[];
  readonly maxRules: number;
}

const chainKinds: readonly ChainKind[] = [
  { table: 'raw', name: 'PREROUTING', builtin: true, iface: ['i'], targets: 'raw', jumps: [], maxRules: 1 },
  { table: 'raw', name: 'OUTPUT', builtin: true, iface: ['o'], targets: 'raw', jumps: [], maxRules: 1 },
  { table: 'mangle', name: 'PREROUTING', builtin: true, iface: ['i'], targets: 'mangle', jumps: [], maxRules: 2 },
  { table: 'mangle', name: 'OUTPUT', builtin: true, iface: ['o'], targets: 'mangle', jumps: [], maxRules: 1 },
  { table: 'nat', name: 'PREROUTING', builtin: true, iface: ['i'], targets: 'dnat', jumps: ['ND1', 'ND2'], maxRules: 3 },
  { table: 'nat', name: 'OUTPUT', builtin: true, iface: ['o'], targets: 'dnat', jumps: ['ND1', 'ND2'], maxRules: 3 },
  { table: 'nat', name: 'ND1', builtin: false, iface: ['i', 'o'], targets: 'dnat', jumps: ['ND2'], maxRules: 2 },
  { table: 'nat', name: 'ND2', builtin: false, iface: ['i', 'o'], targets: 'dnat', jumps: [], maxRules: 2 },
  { table: 'nat', name: 'INPUT', builtin: true, iface: ['i'], targets: 'snat-input', jumps: [], maxRules: 1 },
  { table: 'nat', name: 'POSTROUTING', builtin: true, iface: ['o'], targets: 'snat', jumps: ['NS1'], maxRules: 3 },
  { table: 'nat', name: 'NS1', builtin: false, iface: ['i', 'o'], targets: 'snat', jumps: [], maxRules: 2 },
  { table: 'filter', name: 'INPUT', builtin: true, iface: ['i'], targets: 'filter', jumps: ['F1', 'F2', 'F3'], maxRules: 3 },
  { table: 'filter', name: 'FORWARD', builtin: true, iface: ['i', 'o'], targets: 'filter', jumps: ['F1', 'F2', 'F3'], maxRules: 3 },
  { table: 'filter', name: 'OUTPUT', builtin: true, iface: ['o'], targets: 'filter', jumps: ['F1', 'F2', 'F3'], maxRules: 3 },
  { table: 'filter', name: 'F1', builtin: false, iface: ['i', 'o'], targets: 'filter', jumps: ['F2', 'F3'], maxRules: 2 },
  { table: 'filter', name: 'F2', builtin: false, iface: ['i', 'o'], targets: 'filter', jumps: ['F3'], maxRules: 2 },
  { table: 'filter', name: 'F3', builtin: false, iface: ['i', 'o'], targets: 'filter', jumps: [], maxRules: 2 },
];

const key = (c: ChainKind): string => `${c.table}/${c.name}`;

function matchArb(kind: ChainKind): fc.Arbitrary<MatchSpec> {
  const negated = fc.boolean();
  const options: fc.Arbitrary<MatchSpec>[] = [
    fc.record({ kind: fc.constant('address' as const), which: fc.constantFrom('s' as const, 'd' as const), negated, address: fc.constantFrom(...ruleAddresses), prefix: fc.constantFrom(...prefixes) }),
    fc.record({ kind: fc.constant('iface' as const), which: fc.constantFrom(...kind.iface), negated, name: fc.constantFrom(...interfaces) }),
    fc.record({ kind: fc.constant('mark' as const), negated, mark: fc.constantFrom(...marks) }),
    fc.record({ kind: fc.constant('ctstate' as const), negated, states: fc.constantFrom(...ctstates) }),
    fc.record({ kind: fc.constant('addrtype' as const), which: fc.constantFrom('src' as const, 'dst' as const), negated, type: fc.constantFrom('LOCAL' as const, 'UNICAST' as const) }),
    fc.record({ kind: fc.constant('iprange' as const), which: fc.constantFrom('src' as const, 'dst' as const), negated, range: fc.constantFrom(...ipranges) }),
    fc.constant({ kind: 'random' as const }),
  ];
  return fc.oneof(...options);
}

const portTest = fc.option(fc.record({ negated: fc.boolean(), range: fc.constantFrom(...ports) }), { nil: null });

const protocolArb: fc.Arbitrary<ProtocolSpec | null> = fc.option(
  fc.record({
    protocol: fc.constantFrom('tcp' as const, 'udp' as const),
    syn: fc.option(fc.boolean(), { nil: null, freq: 3 }),
    dport: portTest,
    sport: portTest,
    multiport: fc.option(
      fc.record({
        option: fc.constantFrom('--dports' as const, '--sports' as const, '--ports' as const),
        negated: fc.boolean(),
        list: fc.uniqueArray(fc.constantFrom('53', '80', '443', '8080', '30000:32767', '1024:29999'), { minLength: 1, maxLength: 3 }),
      }),
      { nil: null },
    ),
  }),
  { nil: null, freq: 2 },
);

function targetArb(kind: ChainKind): fc.Arbitrary<TargetSpec> {
  const simple = (...k: ('ACCEPT' | 'DROP' | 'RETURN' | 'none' | 'NOTRACK')[]) => fc.constantFrom(...k.map((x) => ({ kind: x })));
  const mark = fc.record({ kind: fc.constant('MARK' as const), mark: fc.constantFrom(...marks) });
  const jumps = kind.jumps.length > 0 ? [fc.record({ kind: fc.constantFrom('jump' as const, 'goto' as const), chain: fc.constantFrom(...kind.jumps) })] : [];
  switch (kind.targets) {
    case 'raw':
      // Untracked packets skip NAT (nf_nat_inet_fn needs a conntrack entry).
      return fc.oneof({ arbitrary: simple('NOTRACK'), weight: 1 }, { arbitrary: simple('ACCEPT', 'none'), weight: 2 });
    case 'mangle':
      return fc.oneof(simple('ACCEPT', 'RETURN', 'none'), mark);
    case 'dnat':
      return fc.oneof(
        simple('ACCEPT', 'RETURN', 'none'),
        mark,
        ...jumps,
        fc.record({ kind: fc.constant('DNAT' as const), to: fc.constantFrom(...dnatTargets), port: fc.option(fc.constantFrom(...natPorts), { nil: null }) }),
        fc.record({ kind: fc.constant('REDIRECT' as const), port: fc.option(fc.constantFrom(...natPorts), { nil: null }) }),
      );
    case 'snat':
      return fc.oneof(
        simple('ACCEPT', 'RETURN', 'none'),
        mark,
        ...jumps,
        fc.record({ kind: fc.constant('SNAT' as const), to: fc.constantFrom(...snatTargets) }),
        fc.record({ kind: fc.constant('MASQUERADE' as const), randomFully: fc.boolean() }),
      );
    case 'snat-input':
      return fc.oneof(simple('ACCEPT', 'RETURN', 'none'), mark, fc.record({ kind: fc.constant('SNAT' as const), to: fc.constantFrom(...snatTargets) }));
    case 'filter':
      return fc.oneof(
        { arbitrary: simple('ACCEPT', 'DROP', 'RETURN', 'none'), weight: 3 },
        { arbitrary: fc.record({ kind: fc.constant('REJECT' as const), with: fc.constantFrom(...rejectWith) }), weight: 1 },
        { arbitrary: mark, weight: 1 },
        ...jumps.map((j) => ({ arbitrary: j, weight: 2 })),
      );
  }
}

function ruleArb(kind: ChainKind): fc.Arbitrary<RuleSpec> {
  // One of each of -s, -d, -i, -o per rule (iptables: "multiple -s flags not allowed"), one of each module.
  const once = (m: MatchSpec): string => (m.kind === 'address' || m.kind === 'iface' ? m.which : m.kind);
  return fc.record({ protocol: protocolArb, matches: fc.uniqueArray(matchArb(kind), { maxLength: 2, selector: once }), target: targetArb(kind) });
}

const policy = fc.constantFrom<Policy>('ACCEPT', 'ACCEPT', 'ACCEPT', 'DROP');

export const rulesetArb: fc.Arbitrary<RandomRuleset> = fc.record({
  filterPolicy: fc.record({ INPUT: policy, FORWARD: policy, OUTPUT: policy }),
  chains: fc.record(Object.fromEntries(chainKinds.map((c) => [key(c), fc.array(ruleArb(c), { maxLength: c.maxRules })])) as Record<string, fc.Arbitrary<RuleSpec[]>>),
});

const podDestinations = [WEB, BRIDGE, REMOTE, NODE, GATEWAY, SERVICE_INSIDE, IPVS_LOCAL, INTERNET];
/** Upstream routes these to the node (its address, the pod subnet, the Service range). */
const externalDestinations = [NODE, WEB, CLIENT, BRIDGE, SERVICE, IPVS_LOCAL];
/** 127.0.0.53 is systemd-resolved's stub: local by the `local 127.0.0.0/8` route, not by an address. */
const hostDestinations = [...podDestinations, CLIENT, '127.0.0.1', '127.0.0.53'];
const packetPorts = [80, 443, 53, 8080, 30080, 9999];

export const packetArb: fc.Arbitrary<AgreementPacket> = fc
  .record({
    origin: fc.constantFrom('pod' as const, 'host' as const, 'external' as const),
    protocol: fc.constantFrom<Protocol>('tcp', 'udp'),
    pick: fc.nat(),
    pickSrc: fc.nat(),
    dport: fc.constantFrom(...packetPorts),
    sport: fc.integer({ min: 20000, max: 59999 }),
  })
  .map(({ origin, protocol, pick, pickSrc, dport, sport }): AgreementPacket => {
    const dsts = origin === 'pod' ? podDestinations : origin === 'host' ? hostDestinations : externalDestinations;
    const srcs = origin === 'pod' ? [CLIENT] : origin === 'host' ? [NODE, BRIDGE] : [EXTERNAL, '198.51.100.99'];
    const dst = dsts[pick % dsts.length]!;
    // To 127.0.0.0/8 a local process sends from 127.0.0.1 (the route's preferred source).
    const src = dst.startsWith('127.') ? '127.0.0.1' : srcs[pickSrc % srcs.length]!;
    return { origin, family: 'ipv4', protocol, src, sport, dst, dport };
  });

export const scenarioArb: fc.Arbitrary<RandomScenario> = fc.record({
  ruleset: rulesetArb,
  packets: fc.array(packetArb, { minLength: 1, maxLength: 2 }),
});

function network(address: string, prefix: number): string {
  const parts = address.split('.').map(Number);
  const value = ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
  const masked = prefix === 0 ? 0 : (value & ~((1 << (32 - prefix)) - 1)) >>> 0;
  return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${prefix}`;
}

function renderMatch(m: MatchSpec): string {
  const not = (negated: boolean): string => (negated ? '! ' : '');
  switch (m.kind) {
    case 'address':
      return `${not(m.negated)}-${m.which} ${network(m.address, m.prefix)}`;
    case 'iface':
      return `${not(m.negated)}-${m.which} ${m.name}`;
    case 'mark':
      return `-m mark ${not(m.negated)}--mark ${m.mark}`;
    case 'ctstate':
      return `-m conntrack ${not(m.negated)}--ctstate ${m.states}`;
    case 'addrtype':
      return `-m addrtype ${not(m.negated)}--${m.which}-type ${m.type}`;
    case 'iprange':
      return `-m iprange ${not(m.negated)}--${m.which}-range ${m.range}`;
    case 'random':
      return '-m statistic --mode random --probability 0.50000000000';
  }
}

function renderProtocol(p: ProtocolSpec): string {
  const parts = [`-p ${p.protocol}`];
  const syn = p.protocol === 'tcp' ? p.syn : null;
  if (p.dport || p.sport || syn !== null) {
    parts.push(`-m ${p.protocol}`);
    if (p.sport) parts.push(`${p.sport.negated ? '! ' : ''}--sport ${p.sport.range}`);
    if (p.dport) parts.push(`${p.dport.negated ? '! ' : ''}--dport ${p.dport.range}`);
    // iptables-save prints --syn as its flags form.
    if (syn !== null) parts.push(`${syn ? '' : '! '}--tcp-flags FIN,SYN,RST,ACK SYN`);
  }
  if (p.multiport) parts.push(`-m multiport ${p.multiport.negated ? '! ' : ''}${p.multiport.option} ${p.multiport.list.join(',')}`);
  return parts.join(' ');
}

/** The target as written; ports only where a `-p tcp/udp` allows them (else the address alone). */
function renderTarget(t: TargetSpec, hasProtocol: boolean, protocol: Protocol | null): string | null {
  switch (t.kind) {
    case 'none':
      return null;
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return `-j ${t.kind}`;
    case 'NOTRACK':
      return '-j CT --notrack';
    case 'REJECT':
      // tcp-reset needs `-p tcp` (libipt_REJECT refuses it otherwise).
      return `-j REJECT --reject-with ${t.with === 'tcp-reset' && protocol !== 'tcp' ? 'icmp-port-unreachable' : t.with}`;
    case 'MARK':
      return `-j MARK --set-xmark ${t.mark}`;
    case 'jump':
      return `-j ${t.chain}`;
    case 'goto':
      return `-g ${t.chain}`;
    case 'DNAT':
      return `-j DNAT --to-destination ${t.to}${t.port && hasProtocol ? `:${t.port}` : ''}`;
    case 'REDIRECT':
      return `-j REDIRECT${t.port && hasProtocol ? ` --to-ports ${t.port}` : ''}`;
    case 'SNAT':
      return `-j SNAT --to-source ${t.to}`;
    case 'MASQUERADE':
      return `-j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`;
  }
}

function renderRule(chain: string, r: RuleSpec): string {
  const parts = [`-A ${chain}`];
  if (r.protocol) parts.push(renderProtocol(r.protocol));
  parts.push(...r.matches.map(renderMatch));
  const target = renderTarget(r.target, r.protocol !== null, r.protocol?.protocol ?? null);
  if (target) parts.push(target);
  return parts.join(' ');
}

/**
 * The ruleset as iptables-save text. Every table is written, even empty, so that
 * iptables-restore replaces what the previous ruleset left in the node.
 */
export function renderRuleset(rs: RandomRuleset): string {
  const out: string[] = [];
  const tables = [
    { name: 'raw', builtins: ['PREROUTING', 'OUTPUT'] },
    { name: 'mangle', builtins: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'] },
    { name: 'nat', builtins: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] },
    { name: 'filter', builtins: ['INPUT', 'FORWARD', 'OUTPUT'] },
  ] as const;
  for (const table of tables) {
    out.push(`*${table.name}`);
    for (const b of table.builtins) {
      const p = table.name === 'filter' ? rs.filterPolicy[b as 'INPUT' | 'FORWARD' | 'OUTPUT'] : 'ACCEPT';
      out.push(`:${b} ${p} [0:0]`);
    }
    const kinds = chainKinds.filter((c) => c.table === table.name);
    for (const c of kinds) if (!c.builtin) out.push(`:${c.name} - [0:0]`);
    for (const c of kinds) for (const r of rs.chains[key(c)] ?? []) out.push(renderRule(c.name, r));
    out.push('COMMIT');
  }
  return `${out.join('\n')}\n`;
}
