/**
 * The node as iptlens sees it: the rules that were loaded into the node namespace, plus what the
 * namespace itself prints for `ip -d addr show`, `ip route show table all`, `ip -6 route show
 * table all` and the sysctls the evaluator reads. Reading the live namespace, not the sample's own
 * ip-addr.txt, is what makes the comparison fair: the sample's node had flannel.1 routes and
 * interfaces the test topology does not build, and the kernel can only be asked about the node it
 * has.
 */
import type { SourceText } from '../../../grammar/source.js';
import { buildNodeSnapshot, type NodeSnapshot } from '../../../src/model/node.js';
import { parseAddress } from '../../../src/model/values/address.js';
import { IntervalSet } from '../../../src/eval/interval-set.js';
import { nodeFacts } from '../../../src/eval/node-facts.js';
import { trace } from '../../../src/eval/pipeline.js';
import type { NodeFacts } from '../../../src/eval/facts.js';
import type { TraceResult } from '../../../src/eval/types.js';
import type { Topology } from '../harness/types.js';
import type { AgreementPacket } from './types.js';

/** Per-interface sysctls the evaluator reads (src/eval/node-facts.ts SYSCTL_KEY), for every node interface. */
const perInterfaceSysctls = ['rp_filter', 'route_localnet', 'accept_local', 'forwarding'] as const;
const globalSysctls = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding', 'net.bridge.bridge-nf-call-iptables', 'net.bridge.bridge-nf-call-ip6tables'];

/** What the node namespace prints, as the files a user would hand iptlens. */
export async function captureNodeView(topology: Topology): Promise<SourceText[]> {
  const node = topology.node;
  const [addr, route4, route6, links] = await Promise.all([
    node.run(['ip', '-d', 'addr', 'show']),
    node.run(['ip', 'route', 'show', 'table', 'all']),
    node.run(['ip', '-6', 'route', 'show', 'table', 'all']),
    node.run(['ip', '-j', 'link', 'show']),
  ]);
  const names = (JSON.parse(links) as Array<{ ifname: string }>).map((l) => l.ifname);
  const keys = [...globalSysctls, ...['all', 'default', ...names].flatMap((i) => perInterfaceSysctls.map((k) => `net.ipv4.conf.${i}.${k}`))];
  // -e: a key this kernel lacks (net.bridge.* without br_netfilter) is left out, not an error.
  const sysctl = await node.run(['sysctl', '-e', ...keys]);
  return [
    { name: 'node/ip-addr.txt', text: addr },
    { name: 'node/ip-route.txt', text: route4 },
    { name: 'node/ip-6-route.txt', text: route6 },
    { name: 'node/sysctl.txt', text: sysctl },
  ];
}

/** The loaded rules (and sets, IPVS table) plus the live view, and the evaluator's facts over them. */
export class NodeView {
  readonly snapshot: NodeSnapshot;
  private readonly facts = new Map<string, NodeFacts>();

  constructor(
    readonly name: string,
    /** What was loaded into the node: iptables/ip6tables/ipset texts, and an ipvsadm dump. */
    readonly rules: readonly SourceText[],
    /** captureNodeView's texts. */
    readonly view: readonly SourceText[],
  ) {
    this.snapshot = buildNodeSnapshot(name, [...rules, ...view]);
  }

  /** The same node with the rule texts changed (to check that a known bug explains a disagreement). */
  withRules(change: (text: string) => string): NodeView {
    return new NodeView(this.name, this.rules.map((r) => ({ name: r.name, text: change(r.text) })), this.view);
  }

  factsFor(family: AgreementPacket['family']): NodeFacts {
    let f = this.facts.get(family);
    if (!f) {
      f = nodeFacts(this.snapshot, family);
      this.facts.set(family, f);
    }
    return f;
  }

  /** The evaluator's answer for one concrete first packet. */
  trace(packet: AgreementPacket): TraceResult {
    const one = (text: string): IntervalSet => {
      const a = parseAddress(text, packet.family);
      if (!a) throw new Error(`agreement: ${text} is not an ${packet.family} address`);
      return IntervalSet.of(a.first);
    };
    return trace(this.factsFor(packet.family), {
      origin: packet.origin,
      family: packet.family,
      src: one(packet.src),
      dst: one(packet.dst),
      proto: packet.protocol,
      sport: IntervalSet.of(BigInt(packet.sport)),
      dport: IntervalSet.of(BigInt(packet.dport)),
      // Derived from the snapshot, as the CLI does: the pod's route for a pod, the default route's device otherwise.
      inIface: null,
      state: 'NEW',
      mark: 0,
      assumeHistory: false,
    });
  }
}
