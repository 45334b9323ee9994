/**
 * The observer's nft script and the reading of `nft -j list table` output (no kernel needed; the
 * kernel test builds real topologies with these scripts). The JSON below has the shape nft 1.0.6
 * prints for this table.
 */
import { describe, expect, it } from 'vitest';
import { observerLayout, readObserverJson, stageHooks } from './observer.js';

describe('observerLayout', () => {
  const layout = observerLayout('node', ['lo', 'eth0', 'cni0'], true);

  it('has one base chain per stage at the documented hook and priority', () => {
    for (const s of stageHooks) {
      expect(layout.script).toContain(`chain ${s.id} {\n    type filter hook ${s.hook} priority ${s.priority}; policy accept;`);
    }
    // Relative to iptables: before raw (-300) and conntrack (-200), after nat OUTPUT (-100), after everything (1000).
    const priority = Object.fromEntries(stageHooks.map((s) => [s.stage, s.priority]));
    expect(priority['arrived']).toBeLessThan(-300);
    expect(priority['routed-out']).toBeGreaterThan(-100);
    expect(priority['routed-out']).toBeLessThan(0);
    expect(priority['routed-through']).toBeLessThan(-150);
    expect(priority['delivered']).toBeGreaterThan(100);
    expect(priority['left']).toBeGreaterThan(100);
  });

  it('records per interface and family, plus a catch-all for unlisted interfaces', () => {
    expect(layout.sets.get('left_4_1')).toEqual({ stage: 'left', family: 'ipv4', iface: 'eth0' });
    expect(layout.sets.get('arrived_6_2')).toEqual({ stage: 'arrived', family: 'ipv6', iface: 'cni0' });
    expect(layout.sets.get('delivered_4_other')).toEqual({ stage: 'delivered', family: 'ipv4', iface: '?' });
    expect(layout.script).toContain('oifname "eth0" meta nfproto ipv4 tcp flags & (syn | ack) == syn add @left_4_1');
    expect(layout.script).toContain('oifname != { "lo", "eth0", "cni0" } meta nfproto ipv6 meta l4proto udp add @left_6_other');
    expect(layout.sets.size).toBe(stageHooks.length * 2 * 4);
  });

  it('turns conntrack on only where asked, and starts by replacing any earlier table', () => {
    expect(layout.script).toContain('ct state new');
    expect(observerLayout('upstream', ['lo'], false).script).not.toContain('ct state');
    expect(layout.script.startsWith('table inet iptl_observe\ndelete table inet iptl_observe\n')).toBe(true);
  });
});

describe('readObserverJson', () => {
  const layout = observerLayout('upstream', ['lo', 'to-node'], false);
  const json = JSON.stringify({
    nftables: [
      { metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } },
      { table: { family: 'inet', name: 'iptl_observe', handle: 1 } },
      {
        set: {
          family: 'inet', name: 'arrived_4_1', table: 'iptl_observe', type: ['ipv4_addr', 'inet_service', 'ipv4_addr', 'inet_service', 'inet_proto'], handle: 3, size: 256,
          elem: [{ concat: ['10.0.0.11', 40001, '10.244.2.7', 8080, 'tcp'] }, { elem: { val: { concat: ['10.0.0.11', 40002, '10.244.2.7', 53, 'udp'] }, expires: 1000 } }],
        },
      },
      { set: { family: 'inet', name: 'arrived_6_1', table: 'iptl_observe', handle: 4, elem: [{ concat: ['fd00:10:244:1:0:0:0:5', 40003, 'fd00:10:244:2::7', 80, 6] }] } },
      { set: { family: 'inet', name: 'left_4_0', table: 'iptl_observe', handle: 5 } },
      { set: { family: 'inet', name: 'icmp_4', table: 'iptl_observe', handle: 6, elem: [{ concat: ['10.244.1.1', 'destination-unreachable', 'port-unreachable'] }] } },
      { set: { family: 'inet', name: 'rst_6', table: 'iptl_observe', handle: 7, elem: [{ concat: ['fd00::7', 80, 'fd00::5', 40003] }] } },
      { set: { family: 'inet', name: 'someone_elses', table: 'iptl_observe', handle: 8, elem: [{ concat: ['1.2.3.4', 1, '5.6.7.8', 2, 'tcp'] }] } },
      { set: { family: 'inet', name: 'arrived_4_0', table: 'iptl_observe', handle: 9, elem: [{ concat: ['not an address', 1, '5.6.7.8', 2, 'tcp'] }, 'junk'] } },
      { chain: { family: 'inet', table: 'iptl_observe', name: 'arrived', handle: 1, type: 'filter', hook: 'prerouting', prio: -450, policy: 'accept' } },
    ],
  });
  const reading = readObserverJson('upstream', layout, json);

  it('maps each element to its stage, interface and flow, IPv6 compressed', () => {
    expect(reading.observations).toEqual([
      { ns: 'upstream', stage: 'arrived', iface: 'to-node', flow: { protocol: 'tcp', src: '10.0.0.11', sport: 40001, dst: '10.244.2.7', dport: 8080 } },
      { ns: 'upstream', stage: 'arrived', iface: 'to-node', flow: { protocol: 'udp', src: '10.0.0.11', sport: 40002, dst: '10.244.2.7', dport: 53 } },
      { ns: 'upstream', stage: 'arrived', iface: 'to-node', flow: { protocol: 'tcp', src: 'fd00:10:244:1::5', sport: 40003, dst: 'fd00:10:244:2::7', dport: 80 } },
    ]);
  });

  it('reads ICMP errors and resets as signals', () => {
    expect(reading.signals).toEqual([
      { kind: 'icmp', family: 'ipv4', from: '10.244.1.1', type: 'destination-unreachable', code: 'port-unreachable' },
      { kind: 'tcp-reset', from: { ip: 'fd00::7', port: 80 }, to: { ip: 'fd00::5', port: 40003 } },
    ]);
  });
});
