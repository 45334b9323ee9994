/** Planning a sample's agreement run from its files (no kernel needed). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/paths.js';
import { renameRuleInterfaces, renameSysctlKey } from './interfaces.js';
import { sampleSetup } from './sample.js';

const samples = join(repoRoot, 'samples');
const setup = (name: string) => sampleSetup(join(samples, name), name, ['nft', 'legacy']);
const asked = (s: ReturnType<typeof setup>, dst: string, dport: number) =>
  s.packets
    .filter((p) => p.dst === dst && p.dport === dport)
    .map((p) => p.origin)
    .sort();

describe('sampleSetup', () => {
  it('gives iptables-current its node: uplink, bridge, pods for local endpoints, a remote for the others', () => {
    const s = setup('iptables-current');
    expect(s.backend).toBe('nft');
    expect(s.topology.uplink).toMatchObject({ address: '10.0.0.11/24', gateway: '10.0.0.1' });
    expect(s.topology.podBridge).toMatchObject({ address: '10.244.1.1/24' });
    expect(s.topology.pods?.map((p) => p.name)).toEqual(['client', 'endpoints']);
    expect(s.topology.pods?.[0]?.address).toBe('10.244.1.5');
    // The endpoints pod answers for every other local endpoint (10.244.1.3 kube-dns, .6, .7, .9).
    expect([s.topology.pods?.[1]?.address, ...s.podAddresses.map((a) => a.cidr)]).toEqual(['10.244.1.3', '10.244.1.6/24', '10.244.1.7/24', '10.244.1.9/24']);
    expect(s.topology.remotes?.[0]?.addresses).toContain('10.244.3.7');
    // The API server endpoint is on the uplink's subnet: upstream answers for it.
    expect(s.uplinkPeers).toEqual(['10.0.0.10']);
    expect(s.topology.sysctls).toMatchObject({ 'net.ipv4.conf.all.rp_filter': '2', 'net.ipv4.conf.all.route_localnet': '1' });
  });

  it('asks about every Service address and port of KUBE-SERVICES, KUBE-NODEPORTS and filter\'s REJECTs, from pod, host and outside', () => {
    const s = setup('iptables-current');
    expect(asked(s, '10.96.0.10', 53)).toEqual(['external', 'external', 'host', 'host', 'pod', 'pod']); // dns (udp) and dns-tcp
    expect(asked(s, '10.0.0.100', 80)).toEqual(['external', 'host', 'pod']); // a load-balancer IP
    expect(asked(s, '10.0.0.11', 30080)).toEqual(['external', 'host', 'pod']); // a NodePort on the node's address
    expect(asked(s, '10.96.160.2', 8080)).toEqual(['external', 'host', 'pod']); // no endpoints: filter REJECT
    expect(asked(s, '10.0.0.11', 32100)).toEqual(['external', 'host', 'pod']); // health-check NodePort, filter ACCEPT
    expect(s.packets).toHaveLength(57);
    expect(new Set(s.packets.map((p) => p.sport)).size).toBe(s.packets.length);
    // Upstream routes each probed address to the node (the LB IP too, inside the uplink subnet).
    expect(s.topology.routesViaNode).toContain('10.0.0.100/32');
  });

  it('renames the pod bridge to cni0 in the rules only where it is an interface', () => {
    const s = setup('docker-host');
    expect(s.backend).toBe('legacy');
    expect(s.rules.iptables).toContain('-A POSTROUTING -s 172.17.0.0/16 ! -o cni0 -j MASQUERADE');
    expect(s.rules.iptables).not.toMatch(/-[io] docker0/);
    expect(s.topology.uplink).toMatchObject({ address: '192.168.1.20/24', gateway: '192.168.1.1' });
    // 127.0.0.1:5432 is published on the loopback: only the host can call it.
    expect(asked(s, '127.0.0.1', 5432)).toEqual(['host']);
    expect(s.packets.find((p) => p.dst === '127.0.0.1')?.src).toBe('127.0.0.1');
  });

  it('puts Calico\'s pods on cni0 inside the node\'s IPAM block, the client keeping its workload chains', () => {
    const s = setup('calico');
    expect(s.topology.uplink).toMatchObject({ address: '10.0.0.21/24' });
    expect(s.topology.podBridge).toMatchObject({ address: '10.244.41.126/26' });
    expect(s.topology.pods?.[0]?.address).toBe('10.244.41.65');
    expect(s.rules.iptables).toContain('-A cali-from-wl-dispatch -i cni0 ');
    expect(s.rules.iptables).toContain('-g cali-fw-cali1a2b3c4d5e6');
    expect(s.rules.iptables).toContain('-A cali-FORWARD -i cni0 ');
    expect(s.rules.ipset).toContain('create cali40all-ipam-pools');
  });

  it('takes the IPv6 sample\'s addresses from its README facts and asks IPv6 packets', () => {
    const s = setup('ipv6');
    expect(s.topology.uplink).toMatchObject({ address6: '2001:db8:0:1::11/64', gateway6: '2001:db8:0:1::1' });
    expect(s.packets.every((p) => p.family === 'ipv6')).toBe(true);
    expect(asked(s, '2001:db8:100::64', 80)).toEqual(['external', 'host', 'pod']);
    expect(s.packets.find((p) => p.origin === 'pod')?.src).toBe('fd00:10:244:1::5');
  });

  it('keeps IPVS addresses local on kube-ipvs0 and asks about every virtual service', () => {
    const s = setup('ipvs-cluster');
    expect(s.topology.extraLocalAddresses?.[0]).toMatchObject({ iface: 'kube-ipvs0' });
    expect(s.topology.extraLocalAddresses?.[0]?.addresses).toContain('10.96.0.10');
    expect(asked(s, '10.0.0.101', 443)).toEqual(['external', 'host', 'pod']);
    expect(s.sources.some((f) => f.name.endsWith('ipvsadm-Sn.txt'))).toBe(true);
    expect(s.adaptations.join('\n')).toContain('no IPVS module');
  });
});

describe('renaming interfaces', () => {
  it('renames -i/-o operands (and wildcards) but not chain names or comments', () => {
    const text = '-A cali-FORWARD -i cali+ -m comment --comment "cali+ and cbr0" -j cali-from-cali1a2b\n-A FORWARD ! -o cbr0 -j ACCEPT\n:cbr0-chain - [0:0]';
    const out = renameRuleInterfaces(text, new Map([['cali+', 'cni0'], ['cbr0', 'cni0']]));
    expect(out).toBe('-A cali-FORWARD -i cni0 -m comment --comment "cali+ and cbr0" -j cali-from-cali1a2b\n-A FORWARD ! -o cni0 -j ACCEPT\n:cbr0-chain - [0:0]');
    expect(renameSysctlKey('net.ipv4.conf.cbr0.rp_filter', new Map([['cbr0', 'cni0']]))).toBe('net.ipv4.conf.cni0.rp_filter');
    expect(renameSysctlKey('net.ipv4.ip_forward', new Map([['cbr0', 'cni0']]))).toBe('net.ipv4.ip_forward');
  });

  it('leaves every sample\'s rules loadable text: only -i/-o lines change', () => {
    for (const name of ['docker-host', 'calico', 'ipvs-local']) {
      const original = readFileSync(join(samples, name, 'iptables-save.txt'), 'utf8').split('\n');
      const renamed = (setup(name).rules.iptables ?? '').split('\n');
      expect(renamed).toHaveLength(original.length);
      renamed.forEach((line, k) => {
        if (line !== original[k]) expect(original[k]).toMatch(/ (!\s)?-[io] /);
      });
    }
  });
});
