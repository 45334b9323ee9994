/** The comparison rules of the agreement checks, on hand-made results (no kernel needed). */
import { describe, expect, it } from 'vitest';
import type { TracePath, TraceResult } from '../../../src/eval/types.js';
import type { ProbeResult, SenderOutcome } from '../harness/types.js';
import { addressRanges, compareOutcome, observedOutcome, portRanges } from './outcome.js';
import type { AgreementPacket } from './types.js';

const packet: AgreementPacket = { origin: 'pod', family: 'ipv4', protocol: 'tcp', src: '10.244.1.5', sport: 40000, dst: '10.96.0.10', dport: 80 };

function kernel(over: Partial<ProbeResult> & { sender?: SenderOutcome }): ProbeResult {
  const { sender, ...rest } = over;
  return {
    disposition: 'egress',
    reached: [],
    conntrack: null,
    raw: {
      origin: 'pod:client',
      sent: { protocol: 'tcp', src: packet.src, sport: packet.sport, dst: packet.dst, dport: packet.dport },
      sender: sender ?? { kind: 'refused', code: 'ECONNREFUSED' },
      observations: [],
      signals: [],
      conntrackEvents: [],
      conntrackText: '',
      conntrackUnreadable: [],
      timings: { prepareMs: 0, sendMs: 0, collectMs: 0 },
    },
    ...rest,
  };
}

function path(over: Partial<TracePath> & { dst?: string; dport?: string; src?: string }): TracePath {
  const { dst, dport, src, ...rest } = over;
  return {
    probability: 1,
    conditions: [],
    packet: { src: packet.src, sport: '40000', dst: packet.dst, dport: '80', proto: 'tcp' },
    steps: [],
    disposition: 'egress',
    egress: { iface: 'eth0' },
    final: { src: src ?? packet.src, sport: '40000', dst: dst ?? packet.dst, dport: dport ?? '80', proto: 'tcp' },
    dnat: null,
    snat: null,
    masqueradeMark: false,
    reason: null,
    ...rest,
  };
}

function traced(...paths: TracePath[]): TraceResult {
  return { probe: {} as TraceResult['probe'], paths, omitted: { paths: 0, probability: 0 }, assumptions: [] };
}

describe('observedOutcome', () => {
  it('takes the destination after DNAT and the source address after SNAT, not the remapped source port', () => {
    const o = observedOutcome(packet, kernel({ egressIface: 'eth0', dnat: { ip: '10.244.2.7', port: 8080 }, snat: { ip: '10.0.0.11', port: 61000 } }));
    expect(o).toEqual({ disposition: 'egress', iface: 'eth0', dst: '10.244.2.7', dport: 8080, src: '10.0.0.11' });
  });

  it('reads "no NAT" as the packet\'s own addresses, and leaves out what the kernel could not see', () => {
    expect(observedOutcome(packet, kernel({ egressIface: 'eth0', dnat: null, snat: null }))).toEqual({ disposition: 'egress', iface: 'eth0', dst: '10.96.0.10', dport: 80, src: '10.244.1.5' });
    expect(observedOutcome(packet, kernel({ disposition: 'drop' }))).toEqual({ disposition: 'drop' });
  });

  it('calls an IPv4 TCP reject the sender never heard a drop (a late ICMP error of an earlier probe), but keeps UDP and IPv6 ones', () => {
    expect(observedOutcome(packet, kernel({ disposition: 'reject', sender: { kind: 'timeout' } })).disposition).toBe('drop');
    expect(observedOutcome(packet, kernel({ disposition: 'reject', sender: { kind: 'refused', code: 'ECONNREFUSED' } })).disposition).toBe('reject');
    const udp = { ...packet, protocol: 'udp' as const };
    expect(observedOutcome(udp, kernel({ disposition: 'reject', sender: { kind: 'no-answer' } })).disposition).toBe('reject');
    // IPv6 TCP gives up on an ICMPv6 error only at the first SYN retransmission, after the wait.
    const v6 = { ...packet, family: 'ipv6' as const, src: 'fd00:10:244:1::5', dst: 'fd00:10:96::a002' };
    expect(observedOutcome(v6, kernel({ disposition: 'reject', sender: { kind: 'timeout' } })).disposition).toBe('reject');
  });
});

describe('reading the evaluator\'s class texts', () => {
  it('reads addresses, prefixes and lists, and gives up (null: anything) on shortened forms', () => {
    expect(addressRanges('ipv4', '10.0.0.1')).toEqual([{ lo: 0x0a000001n, hi: 0x0a000001n }]);
    expect(addressRanges('ipv4', '10.244.2.7, 10.244.2.8')).toHaveLength(2);
    expect(addressRanges('ipv4', '10.0.0.0/8')).toEqual([{ lo: 0x0a000000n, hi: 0x0affffffn }]);
    expect(addressRanges('ipv4', 'any')).toEqual([{ lo: 0n, hi: 0xffffffffn }]);
    expect(addressRanges('ipv4', '10.0.0.0/8, 10.1.0.0/16 + 2 more')).toBeNull();
    expect(addressRanges('ipv4', 'address of lo')).toBeNull();
    expect(addressRanges('ipv6', 'fd00:10:244:1::5')).toEqual([{ lo: 0xfd000010024400010000000000000005n, hi: 0xfd000010024400010000000000000005n }]);
  });

  it('reads ports, lists and ranges', () => {
    expect(portRanges('80')).toEqual([{ lo: 80n, hi: 80n }]);
    expect(portRanges('80,1000-2000')).toEqual([{ lo: 80n, hi: 80n }, { lo: 1000n, hi: 2000n }]);
    expect(portRanges('any')).toEqual([{ lo: 0n, hi: 65535n }]);
    expect(portRanges('1,2,3 + 4 more')).toBeNull();
  });
});

describe('compareOutcome', () => {
  it('agrees when the kernel took one of several random paths', () => {
    const observed = observedOutcome(packet, kernel({ egressIface: 'eth0', dnat: { ip: '10.244.2.8', port: 8080 }, snat: null }));
    const v = compareOutcome(packet, observed, traced(path({ probability: 0.5, dst: '10.244.2.7', dport: '8080' }), path({ probability: 0.5, dst: '10.244.2.8', dport: '8080' })));
    expect(v.kind).toBe('agree');
    if (v.kind === 'agree') expect(v.matched.path.final.dst).toBe('10.244.2.8');
  });

  it('agrees when the kernel\'s choice is inside a NAT range the path stands for', () => {
    const observed = observedOutcome(packet, kernel({ egressIface: 'eth0', dnat: { ip: '10.244.2.8', port: 80 }, snat: null }));
    expect(compareOutcome(packet, observed, traced(path({ dst: '10.244.2.7, 10.244.2.8' }))).kind).toBe('agree');
  });

  it('disagrees on the disposition, the interface, the destination or the source, and says which', () => {
    const observed = observedOutcome(packet, kernel({ egressIface: 'eth0', dnat: { ip: '10.244.2.7', port: 8080 }, snat: { ip: '10.0.0.11', port: 5 } }));
    const v = compareOutcome(
      packet,
      observed,
      traced(
        path({ disposition: 'local-pod', dst: '10.244.2.7', dport: '8080', src: '10.0.0.11' }),
        path({ egress: { iface: 'cni0' }, dst: '10.244.2.7', dport: '8080', src: '10.0.0.11' }),
        path({ dst: '10.244.1.6', dport: '8080', src: '10.0.0.11' }),
        path({ dst: '10.244.2.7', dport: '8080' }),
      ),
    );
    expect(v.kind).toBe('disagree');
    if (v.kind !== 'disagree') return;
    expect(v.differences[0]).toContain('disposition egress ≠ local-pod');
    expect(v.differences[1]).toContain('left by eth0 ≠ cni0');
    expect(v.differences[2]).toContain('destination 10.244.2.7 ∉ 10.244.1.6');
    expect(v.differences[3]).toContain('source 10.0.0.11 ∉ 10.244.1.5');
  });

  it('disagrees when the evaluator has no path at all', () => {
    const v = compareOutcome(packet, { disposition: 'drop' }, traced());
    expect(v.kind).toBe('disagree');
  });
});
