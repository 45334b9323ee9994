/**
 * The match catalogue: every `-m` module iptlens gives a typed meaning to, one per kind. The
 * record's type makes the compiler insist on an entry for every kind of the union in types.ts;
 * test/model/iptables/matches/index.test.ts checks that every module file is listed here.
 */
import type { MatchSpec } from '../spec.js';
import type { MatchModule } from './module.js';
import type { TypedMatchKind } from './types.js';
import { addrtypeModule } from './addrtype.js';
import { ahModule } from './ah.js';
import { bpfModule } from './bpf.js';
import { cgroupModule } from './cgroup.js';
import { commentModule } from './comment.js';
import { connlimitModule } from './connlimit.js';
import { connmarkModule } from './connmark.js';
import { conntrackModule } from './conntrack.js';
import { dccpModule } from './dccp.js';
import { devgroupModule } from './devgroup.js';
import { dscpModule } from './dscp.js';
import { espModule } from './esp.js';
import { fragModule } from './frag.js';
import { hashlimitModule } from './hashlimit.js';
import { helperModule } from './helper.js';
import { hlModule } from './hl.js';
import { icmpMatchModule } from './icmp.js';
import { icmp6Module } from './icmp6.js';
import { iprangeModule } from './iprange.js';
import { ipvsModule } from './ipvs.js';
import { lengthModule } from './length.js';
import { limitModule } from './limit.js';
import { macModule } from './mac.js';
import { markModule } from './mark.js';
import { multiportModule } from './multiport.js';
import { nfacctModule } from './nfacct.js';
import { ownerModule } from './owner.js';
import { physdevModule } from './physdev.js';
import { pkttypeModule } from './pkttype.js';
import { policyModule } from './policy.js';
import { realmModule } from './realm.js';
import { recentModule } from './recent.js';
import { rpfilterModule } from './rpfilter.js';
import { rtModule } from './rt.js';
import { sctpModule } from './sctp.js';
import { setModule } from './set.js';
import { socketModule } from './socket.js';
import { stateModule } from './state.js';
import { statisticModule } from './statistic.js';
import { stringModule } from './string.js';
import { tcpModule } from './tcp.js';
import { timeModule } from './time.js';
import { tosModule } from './tos.js';
import { ttlModule } from './ttl.js';
import { u32Module } from './u32.js';
import { udpModule } from './udp.js';

export const MATCH_MODULES: { readonly [K in TypedMatchKind]: MatchModule<K> } = {
  addrtype: addrtypeModule,
  ah: ahModule,
  bpf: bpfModule,
  cgroup: cgroupModule,
  comment: commentModule,
  connlimit: connlimitModule,
  connmark: connmarkModule,
  conntrack: conntrackModule,
  dccp: dccpModule,
  devgroup: devgroupModule,
  dscp: dscpModule,
  esp: espModule,
  frag: fragModule,
  hashlimit: hashlimitModule,
  helper: helperModule,
  hl: hlModule,
  icmp: icmpMatchModule,
  icmp6: icmp6Module,
  iprange: iprangeModule,
  ipvs: ipvsModule,
  length: lengthModule,
  limit: limitModule,
  mac: macModule,
  mark: markModule,
  multiport: multiportModule,
  nfacct: nfacctModule,
  owner: ownerModule,
  physdev: physdevModule,
  pkttype: pkttypeModule,
  policy: policyModule,
  realm: realmModule,
  recent: recentModule,
  rpfilter: rpfilterModule,
  rt: rtModule,
  sctp: sctpModule,
  set: setModule,
  socket: socketModule,
  state: stateModule,
  statistic: statisticModule,
  string: stringModule,
  tcp: tcpModule,
  time: timeModule,
  tos: tosModule,
  ttl: ttlModule,
  u32: u32Module,
  udp: udpModule,
};

export const MATCH_SPECS: readonly MatchSpec[] = Object.values(MATCH_MODULES);

const byName = new Map<string, MatchSpec>();
for (const spec of MATCH_SPECS) {
  byName.set(spec.name, spec);
  for (const alias of spec.aliases ?? []) byName.set(alias, spec);
}

export function matchSpec(name: string): MatchSpec | undefined {
  return byName.get(name);
}

/** The module of a typed match's kind (for printing). */
export function matchModule<K extends TypedMatchKind>(kind: K): MatchModule<K> {
  return MATCH_MODULES[kind];
}
