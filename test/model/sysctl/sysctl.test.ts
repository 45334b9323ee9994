import { describe, expect, it } from 'vitest';
import { parseSysctlText } from '../../../grammar/sysctl/parse.js';
import {
  acceptLocal,
  bridgeNfCallIptables,
  buildSysctls,
  canonicalKey,
  ipForward,
  routeLocalnet,
  rpFilter,
  vsConntrack,
} from '../../../src/model/sysctl/index.js';

function sysctls(text: string) {
  return buildSysctls(parseSysctlText({ name: 'sysctl.txt', text }));
}

/** A whole `sysctl -a`-like dump: many keys in kernel.*, net.* and vm.*, plus `extra` lines. */
function fullDump(extra: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) lines.push(`kernel.k${i} = 0`, `vm.v${i} = 0`, `net.core.n${i} = 0`);
  return `${lines.join('\n')}\n${extra}`;
}

describe('sysctl keys', () => {
  it('makes keys canonical as procps does: the slash form swaps / and .', () => {
    expect(canonicalKey('net.ipv4.conf.eth0/10.rp_filter')).toBe('net.ipv4.conf.eth0/10.rp_filter');
    expect(canonicalKey('net/ipv4/conf/eth0.10/rp_filter')).toBe('net.ipv4.conf.eth0/10.rp_filter');
    expect(canonicalKey('/proc/sys/net/ipv4/conf/eth0.10/rp_filter')).toBe('net.ipv4.conf.eth0/10.rp_filter');
    const s = sysctls('net/ipv4/conf/eth0.10/rp_filter = 1\n');
    // conf.all is not in this input: the answer is assumed for it (its default, 0).
    expect(rpFilter(s, 'eth0.10')).toMatchObject({ value: 1, source: 'conf.eth0.10', origin: 'default' });
  });

  it('keeps the last of a repeated key, with a warning, and checks the values it interprets', () => {
    const text = 'net.ipv4.ip_forward = 0\nnet.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter = strict\n';
    const s = sysctls(text);
    expect(ipForward(s).value).toBe(true);
    expect(s.diagnostics.map((d) => [d.code, text.slice(d.at!.start, d.at!.end)])).toEqual([
      ['sysctl/duplicate-key', 'net.ipv4.ip_forward = 1'],
      ['sysctl/bad-value', 'strict'],
    ]);
    expect(rpFilter(s, 'eth0')).toMatchObject({ value: 0, origin: 'default' });
  });
});

describe('sysctl accessors', () => {
  it('rp_filter is the larger of conf.all and conf.<iface>, and says which', () => {
    const s = sysctls('net.ipv4.conf.all.rp_filter = 2\nnet.ipv4.conf.eth0.rp_filter = 1\nnet.ipv4.conf.eth1.rp_filter = 0\nnet.ipv4.conf.default.rp_filter = 1\n');
    expect(rpFilter(s, 'eth0')).toMatchObject({ value: 2, source: 'conf.all', origin: 'dump' });
    const strict = sysctls('net.ipv4.conf.all.rp_filter = 0\nnet.ipv4.conf.eth0.rp_filter = 1\n');
    expect(rpFilter(strict, 'eth0')).toMatchObject({ value: 1, source: 'conf.eth0', origin: 'dump' });
    expect(rpFilter(strict, 'eth0').at?.start).toBe('net.ipv4.conf.all.rp_filter = 0\n'.length);
  });

  it('rp_filter of an interface the dump does not list: conf.default stands in, marked assumed', () => {
    const s = sysctls('net.ipv4.conf.all.rp_filter = 0\nnet.ipv4.conf.default.rp_filter = 1\n');
    expect(rpFilter(s, 'cali123')).toMatchObject({ value: 1, source: 'conf.default', origin: 'default' });
    expect(rpFilter(sysctls(''), 'eth0')).toEqual({ value: 0, source: 'default', origin: 'default', at: null });
  });

  it('rp_filter values above 2 are loose, as the kernel treats them', () => {
    expect(rpFilter(sysctls('net.ipv4.conf.all.rp_filter = 7\nnet.ipv4.conf.eth0.rp_filter = 0\n'), 'eth0').value).toBe(2);
  });

  it('route_localnet and accept_local are conf.all OR conf.<iface>', () => {
    const s = sysctls('net.ipv4.conf.all.route_localnet = 0\nnet.ipv4.conf.eth0.route_localnet = 1\nnet.ipv4.conf.all.accept_local = 1\nnet.ipv4.conf.eth0.accept_local = 0\n');
    expect(routeLocalnet(s, 'eth0')).toMatchObject({ value: true, source: 'conf.eth0', origin: 'dump' });
    expect(routeLocalnet(s, 'eth1')).toMatchObject({ value: false, origin: 'default' });
    expect(acceptLocal(s, 'eth0')).toMatchObject({ value: true, source: 'conf.all', origin: 'dump' });
  });

  it('ip_forward globally and per incoming interface', () => {
    const s = sysctls('net.ipv4.ip_forward = 1\nnet.ipv4.conf.eth1.forwarding = 0\n');
    expect(ipForward(s)).toMatchObject({ value: true, source: 'net.ipv4.ip_forward', origin: 'dump' });
    expect(ipForward(s, 'eth1')).toMatchObject({ value: false, source: 'conf.eth1', origin: 'dump' });
    expect(ipForward(s, 'eth0')).toMatchObject({ value: true, origin: 'default' });
    expect(ipForward(sysctls(''))).toMatchObject({ value: false, origin: 'default' });
  });

  it('module settings: read, absent from a whole dump (module not loaded), or assumed from a subset', () => {
    const read = sysctls('net.bridge.bridge-nf-call-iptables = 0\nnet.ipv4.vs.conntrack = 1\n');
    expect(bridgeNfCallIptables(read)).toMatchObject({ value: false, origin: 'dump' });
    expect(vsConntrack(read)).toMatchObject({ value: true, origin: 'dump' });
    const full = sysctls(fullDump('net.ipv4.ip_forward = 1\n'));
    expect(full.complete).toBe(true);
    expect(bridgeNfCallIptables(full)).toMatchObject({ value: false, origin: 'absent' });
    expect(vsConntrack(full)).toMatchObject({ value: false, origin: 'absent' });
    const subset = sysctls('net.ipv4.ip_forward = 1\n');
    expect(subset.complete).toBe(false);
    expect(bridgeNfCallIptables(subset)).toMatchObject({ value: true, origin: 'default' });
    expect(vsConntrack(subset)).toMatchObject({ value: false, origin: 'default' });
  });

  it('a key sysctl could not read is not taken as absent', () => {
    const s = sysctls(fullDump("sysctl: permission denied on key 'net.bridge.bridge-nf-call-iptables'\n"));
    expect(s.unreadable.has('net.bridge.bridge-nf-call-iptables')).toBe(true);
    expect(bridgeNfCallIptables(s).origin).toBe('default');
  });
});
