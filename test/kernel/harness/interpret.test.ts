/** The probe's decision rules on hand-made evidence (no kernel needed). */
import { describe, expect, it } from 'vitest';
import { parseConntrackText } from './conntrack.js';
import { interpretEvidence } from './interpret.js';
import type { NamespaceRole, Observation, ObservationStage, ProbeEvidence, RejectSignal, SenderOutcome, TopologyLayout } from './types.js';

const layout: TopologyLayout = {
  uplink: { iface: 'eth0', address: '10.0.0.11', gateway: '10.0.0.1', address6: null, gateway6: null },
  podBridge: { iface: 'cni0', address: '10.244.1.1', address6: null, hairpin: true },
  pods: [
    { name: 'client', role: 'pod:client', address: '10.244.1.5', address6: null, hostIface: 'vethpod0' },
    { name: 'web', role: 'pod:web', address: '10.244.1.6', address6: null, hostIface: 'vethpod1' },
  ],
  remotes: [{ name: 'ep', role: 'remote:ep', addresses: ['10.244.2.7'], upstreamIface: 'to-remote0' }],
  extraLocal: [],
  localPodIfaces: ['cni0', 'vethpod0', 'vethpod1'],
  sysctls: {},
};

const sent = { protocol: 'tcp', src: '10.244.1.5', sport: 40000, dst: '10.96.0.10', dport: 80 } as const;

function seen(ns: NamespaceRole, stage: ObservationStage, iface: string, src: string, sport: number, dst: string, dport: number): Observation {
  return { ns, stage, iface, flow: { protocol: 'tcp', src, sport, dst, dport } };
}

function evidence(parts: { sender?: SenderOutcome; observations?: Observation[]; signals?: RejectSignal[]; conntrack?: string; src?: string | null }): ProbeEvidence {
  const text = parts.conntrack ?? '';
  const { src: defaultSrc, ...rest } = sent;
  // null: the kernel chose the source (host origin), so the probe does not know it.
  const src = parts.src === null ? undefined : (parts.src ?? defaultSrc);
  return {
    origin: 'pod:client',
    sent: src === undefined ? rest : { ...rest, src },
    sender: parts.sender ?? { kind: 'refused', code: 'ECONNREFUSED' },
    observations: parts.observations ?? [],
    signals: parts.signals ?? [],
    conntrackEvents: parseConntrackText(text).entries,
    conntrackText: text,
    conntrackUnreadable: [],
    timings: { prepareMs: 0, sendMs: 0, collectMs: 0 },
  };
}

const dnatToRemote =
  '    [NEW] tcp      6 120 SYN_SENT src=10.244.1.5 dst=10.96.0.10 sport=40000 dport=80 [UNREPLIED] src=10.244.2.7 dst=10.244.1.5 sport=8080 dport=40000\n' +
  '[DESTROY] tcp      6 120 CLOSE src=10.244.1.5 dst=10.96.0.10 sport=40000 dport=80 [UNREPLIED] src=10.244.2.7 dst=10.244.1.5 sport=8080 dport=40000';

describe('interpretEvidence', () => {
  it('egress: takes the interface the packet left by, and DNAT/SNAT from the conntrack reply tuple', () => {
    const r = interpretEvidence(
      evidence({
        conntrack: dnatToRemote,
        observations: [
          seen('node', 'arrived', 'cni0', '10.244.1.5', 40000, '10.96.0.10', 80),
          seen('node', 'left', 'eth0', '10.244.1.5', 40000, '10.244.2.7', 8080),
          seen('remote:ep', 'arrived', 'eth0', '10.244.1.5', 40000, '10.244.2.7', 8080),
          seen('upstream', 'arrived', 'to-node', '10.244.1.5', 40000, '10.244.2.7', 8080),
        ],
      }),
      layout,
    );
    expect(r.disposition).toBe('egress');
    expect(r.egressIface).toBe('eth0');
    expect(r.dnat).toEqual({ ip: '10.244.2.7', port: 8080 });
    expect(r.snat).toBeNull();
    expect(r.reached).toEqual(['upstream', 'remote:ep']);
    expect(r.conntrack?.reply).toEqual({ protocol: 'tcp', src: '10.244.2.7', sport: 8080, dst: '10.244.1.5', dport: 40000 });
    expect(r.raw.conntrackEvents.map((e) => e.event)).toEqual(['new', 'destroy']);
  });

  it('SNAT (MASQUERADE with a port change) is the reply tuple destination', () => {
    const ct = '[NEW] tcp 6 120 SYN_SENT src=10.244.1.5 dst=198.51.100.7 sport=40000 dport=443 [UNREPLIED] src=198.51.100.7 dst=10.0.0.11 sport=443 dport=61000';
    const ev = evidence({ conntrack: ct, observations: [seen('node', 'left', 'eth0', '10.0.0.11', 61000, '198.51.100.7', 443)] });
    const r = interpretEvidence({ ...ev, sent: { ...ev.sent, dst: '198.51.100.7', dport: 443 } }, layout);
    expect(r.snat).toEqual({ ip: '10.0.0.11', port: 61000 });
    expect(r.dnat).toBeNull();
    expect(r.egressIface).toBe('eth0');
  });

  it('local-pod: leaving by cni0 towards a pod of this node', () => {
    const r = interpretEvidence(
      evidence({ observations: [seen('node', 'left', 'cni0', '10.244.1.5', 40000, '10.244.1.6', 8080), seen('pod:web', 'arrived', 'eth0', '10.244.1.5', 40000, '10.244.1.6', 8080)] }),
      layout,
    );
    expect(r.disposition).toBe('local-pod');
    expect(r.egressIface).toBe('cni0');
    expect(r.reached).toEqual(['pod:web']);
  });

  it('local wins over leaving by lo: a host packet to itself leaves on lo and comes back in', () => {
    const obs = [seen('node', 'left', 'lo', '10.0.0.11', 40000, '10.0.0.11', 22), seen('node', 'delivered', 'lo', '10.0.0.11', 40000, '10.0.0.11', 22)];
    expect(interpretEvidence(evidence({ observations: obs }), layout).disposition).toBe('local');
    // Without INPUT's acceptance the same trip is not local, and lo is no egress.
    const dropped = interpretEvidence(evidence({ sender: { kind: 'timeout' }, observations: obs.slice(0, 1) }), layout);
    expect(dropped.disposition).toBe('drop');
    expect(dropped.egressIface).toBeUndefined();
  });

  it('reject: nothing left the node and the sender was refused, or the origin saw an ICMP error', () => {
    expect(interpretEvidence(evidence({ sender: { kind: 'refused', code: 'ECONNREFUSED' } }), layout).disposition).toBe('reject');
    expect(interpretEvidence(evidence({ sender: { kind: 'unreachable', code: 'EHOSTUNREACH' } }), layout).disposition).toBe('reject');
    const icmp: RejectSignal = { kind: 'icmp', family: 'ipv4', from: '10.244.1.1', type: 'destination-unreachable', code: 'port-unreachable' };
    expect(interpretEvidence(evidence({ sender: { kind: 'no-answer' }, signals: [icmp] }), layout).disposition).toBe('reject');
  });

  it('drop: silence, or EPERM from the sender’s own OUTPUT path', () => {
    expect(interpretEvidence(evidence({ sender: { kind: 'timeout' } }), layout).disposition).toBe('drop');
    expect(interpretEvidence(evidence({ sender: { kind: 'no-answer' } }), layout).disposition).toBe('drop');
    expect(interpretEvidence(evidence({ sender: { kind: 'blocked-locally', code: 'EPERM' } }), layout).disposition).toBe('drop');
  });

  it('an egress answered by a refusal from the far end is still an egress', () => {
    const r = interpretEvidence(evidence({ sender: { kind: 'refused', code: 'ECONNREFUSED' }, observations: [seen('node', 'left', 'eth0', '10.244.1.5', 40000, '10.96.0.10', 80)] }), layout);
    expect(r.disposition).toBe('egress');
  });

  it('without a conntrack entry, DNAT comes from the routed stage and SNAT stays unknown', () => {
    const r = interpretEvidence(
      evidence({ sender: { kind: 'timeout' }, observations: [seen('node', 'arrived', 'cni0', '10.244.1.5', 40000, '10.96.0.10', 80), seen('node', 'routed-through', 'eth0', '10.244.1.5', 40000, '10.244.2.7', 9999)] }),
      layout,
    );
    expect(r.disposition).toBe('drop');
    expect(r.conntrack).toBeNull();
    expect(r.dnat).toEqual({ ip: '10.244.2.7', port: 9999 });
    expect(r).not.toHaveProperty('snat');
  });

  it('with nothing routed, the DNAT is unknown rather than "none"', () => {
    const r = interpretEvidence(evidence({ sender: { kind: 'timeout' }, observations: [seen('node', 'arrived', 'cni0', '10.244.1.5', 40000, '10.96.0.10', 80)] }), layout);
    expect(r).not.toHaveProperty('dnat');
  });

  it('ignores conntrack events and observations of other flows', () => {
    const other = '[NEW] tcp 6 120 SYN_SENT src=10.244.1.5 dst=10.96.0.10 sport=39999 dport=80 [UNREPLIED] src=10.244.2.7 dst=10.244.1.5 sport=8080 dport=39999';
    const r = interpretEvidence(evidence({ sender: { kind: 'timeout' }, conntrack: other, observations: [seen('node', 'left', 'eth0', '10.244.1.5', 39999, '10.244.2.7', 8080)] }), layout);
    expect(r.conntrack).toBeNull();
    expect(r.raw.conntrackEvents).toEqual([]);
    expect(r.disposition).toBe('drop');
  });

  it('matches the conntrack entry without a source address when the kernel chose it (host origin)', () => {
    const ct = '[NEW] tcp 6 120 SYN_SENT src=10.0.0.11 dst=10.96.0.10 sport=40000 dport=80 [UNREPLIED] src=10.244.2.7 dst=10.0.0.11 sport=8080 dport=40000';
    const r = interpretEvidence(evidence({ src: null, conntrack: ct, observations: [seen('node', 'left', 'eth0', '10.0.0.11', 40000, '10.244.2.7', 8080)] }), layout);
    expect(r.conntrack?.original.src).toBe('10.0.0.11');
    expect(r.dnat).toEqual({ ip: '10.244.2.7', port: 8080 });
  });

  it('compares IPv6 addresses by value, not spelling, and reports them compressed', () => {
    const ct = '[NEW] tcp 6 120 SYN_SENT src=fd00:10:244:1::5 dst=fd00:10:96::10 sport=40000 dport=80 [UNREPLIED] src=fd00:10:244:2::7 dst=fd00:10:244:1::5 sport=8080 dport=40000';
    const ev = evidence({ conntrack: ct });
    const r = interpretEvidence({ ...ev, sent: { protocol: 'tcp', src: 'fd00:10:244:1:0:0:0:5', sport: 40000, dst: 'fd00:10:96:0:0:0:0:10', dport: 80 } }, layout);
    expect(r.dnat).toEqual({ ip: 'fd00:10:244:2::7', port: 8080 });
    expect(r.snat).toBeNull();
  });
});
