/**
 * probe(topology, packet): send one TCP SYN or UDP datagram from an origin and report what the
 * kernel did with it. Steps:
 *   1. empty every namespace's observer sets and the node's conntrack table (`conntrack -F`);
 *   2. mark the start of the node's conntrack event stream (conntrack-events.ts);
 *   3. run the sender in the origin namespace (sender.ts), bounded by `waitMs` (≤ 1.5 s);
 *   4. mark the end of the event stream, read every observer table;
 *   5. interpret (interpret.ts).
 * Probes of one topology must not run concurrently (they share the observers and conntrack).
 */
import { parseAddress } from '../../../src/model/values/address.js';
import { canonicalAddress, sameAddress } from './address.js';
import { parseConntrackText } from './conntrack.js';
import { interpretEvidence } from './interpret.js';
import { readObserver, resetObserver } from './observer.js';
import { runSender } from './sender.js';
import { BuiltTopology } from './topology.js';
import type { NamespaceRole, Netns, ProbeEvidence, ProbePacket, ProbeResult, Topology } from './types.js';

export const defaultWaitMs = 700;
export const maxWaitMs = 1_500;

function originOf(topology: BuiltTopology, packet: ProbePacket, v6: boolean): { role: NamespaceRole; ns: Netns; src: string | undefined } {
  switch (packet.origin) {
    case 'pod': {
      const pod = packet.pod === undefined ? topology.layout.pods[0] : topology.layout.pods.find((p) => p.name === packet.pod);
      if (!pod) throw new Error(`probe: no pod ${packet.pod === undefined ? '(the topology has none)' : JSON.stringify(packet.pod)}`);
      const own = v6 ? pod.address6 : pod.address;
      if (packet.src === undefined && own === null) throw new Error(`probe: pod ${pod.name} has no IPv6 address`);
      return { role: pod.role, ns: topology.pods.get(pod.name)!, src: packet.src ?? own ?? undefined };
    }
    case 'host':
      return { role: 'node', ns: topology.node, src: packet.src };
    case 'external': {
      const own = v6 ? topology.layout.uplink.gateway6 : topology.layout.uplink.gateway;
      if (packet.src === undefined && own === null) throw new Error('probe: upstream has no IPv6 address');
      return { role: 'upstream', ns: topology.upstream, src: packet.src ?? own ?? undefined };
    }
  }
}

/** For pod and external origins: a source the namespace lacks is added to its lo (kept afterwards). */
async function ensureSource(ns: Netns, src: string): Promise<void> {
  const out = await ns.ip(['-j', 'addr', 'show']);
  const links = JSON.parse(out) as Array<{ addr_info?: Array<{ local?: string }> }>;
  const has = links.some((l) => (l.addr_info ?? []).some((a) => sameAddress(a.local, src)));
  if (has) return;
  const v6 = src.includes(':');
  await ns.ip(v6 ? ['-6', 'addr', 'add', `${src}/128`, 'dev', 'lo', 'nodad'] : ['addr', 'add', `${src}/32`, 'dev', 'lo']);
}

function checkPort(port: number, what: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`probe: ${what} ${port} is not a port (1-65535)`);
}

export async function probe(topology: Topology, packet: ProbePacket): Promise<ProbeResult> {
  if (!(topology instanceof BuiltTopology)) throw new Error('probe: the topology must come from buildTopology');
  const started = Date.now();
  const dst = parseAddress(packet.dst);
  if (!dst) throw new Error(`probe: destination ${JSON.stringify(packet.dst)} is not an address`);
  const v6 = dst.family === 'ipv6';
  if (packet.src !== undefined && parseAddress(packet.src, dst.family) === null) {
    throw new Error(`probe: source ${JSON.stringify(packet.src)} is not an ${dst.family} address like the destination`);
  }
  checkPort(packet.dport, 'destination port');
  const sport = packet.sport ?? topology.nextSourcePort();
  checkPort(sport, 'source port');
  const waitMs = Math.min(Math.max(packet.waitMs ?? defaultWaitMs, 50), maxWaitMs);
  const origin = originOf(topology, packet, v6);
  if (origin.src !== undefined && packet.origin !== 'host') await ensureSource(origin.ns, origin.src);

  const roles = topology.roles();
  const layoutOf = (ns: Netns) => {
    const layout = topology.observers.get(ns.name);
    if (!layout) throw new Error(`probe: no observer in ${ns.name}`);
    return layout;
  };
  await Promise.all([...roles.map(([, ns]) => resetObserver(ns, layoutOf(ns))), topology.node.run(['conntrack', '-F'])]);
  const from = await topology.conntrack.mark();
  const sending = Date.now();

  const sender = await runSender(origin.ns, {
    protocol: packet.protocol,
    family: v6 ? 6 : 4,
    ...(origin.src !== undefined ? { src: origin.src } : {}),
    sport,
    dst: canonicalAddress(packet.dst) ?? packet.dst,
    dport: packet.dport,
    waitMs,
  });
  if (sender.kind === 'failed') {
    topology.conntrack.clear();
    const what = `${packet.protocol} ${origin.src ?? '*'}:${sport} → ${packet.dst}:${packet.dport}`;
    throw new Error(`probe: the sender in ${origin.role} could not send ${what}: ${sender.code} ${sender.message}`);
  }

  const collecting = Date.now();
  const [to, readings] = await Promise.all([
    topology.conntrack.mark(),
    Promise.all(roles.map(([, ns]) => readObserver(ns, layoutOf(ns)))),
  ]);
  const lines = topology.conntrack.linesBetween(from, to - 1);
  topology.conntrack.clear();
  const events = parseConntrackText(lines.join('\n'));
  const originReading = readings[roles.findIndex(([role]) => role === origin.role)];
  const evidence: ProbeEvidence = {
    origin: origin.role,
    sent: {
      protocol: packet.protocol,
      ...(origin.src !== undefined ? { src: canonicalAddress(origin.src) ?? origin.src } : {}),
      sport,
      dst: canonicalAddress(packet.dst) ?? packet.dst,
      dport: packet.dport,
    },
    sender,
    observations: readings.flatMap((r) => r.observations),
    signals: originReading?.signals ?? [],
    conntrackEvents: events.entries,
    conntrackText: lines.join('\n'),
    conntrackUnreadable: events.unreadable,
    timings: { prepareMs: sending - started, sendMs: collecting - sending, collectMs: Date.now() - collecting },
  };
  return interpretEvidence(evidence, topology.layout);
}
