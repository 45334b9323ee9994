import { describe, expect, it } from 'vitest';
import { findings, nodeOf, samples } from '../support.js';

const ID = 'unused-ipset';

const RULES = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -m set --match-set used src -j DROP\n-A INPUT -m set --match-set groups src -j DROP\n-A FORWARD -j SET --add-set seen src\nCOMMIT\n';
const SETS = [
  'create used hash:ip family inet', 'add used 192.0.2.1',
  'create seen hash:ip family inet timeout 60', 'add seen 192.0.2.2 timeout 30',
  'create member hash:net family inet', 'add member 198.51.100.0/24',
  'create groups list:set size 8', 'add groups member',
  'create stale hash:ip family inet', 'add stale 203.0.113.5',
  'create empty hash:ip family inet',
  'create stale6 hash:ip family inet6', 'add stale6 2001:db8::1',
  'create KUBE-LOAD-BALANCER-LOCAL hash:ip,port family inet', 'add KUBE-LOAD-BALANCER-LOCAL 10.0.0.100,tcp:80',
].join('\n') + '\n';

describe(ID, () => {
  it('reports filled sets no rule uses (not through a used list:set), kube-proxy\'s own at info', () => {
    const found = findings([nodeOf('n', { 'iptables-save.txt': RULES, 'ipset-save.txt': SETS })], ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([
      ['warning', 'ipset stale (hash:ip) has 1 member(s) but no rule uses it'],
      ['info', "kube-proxy's ipset KUBE-LOAD-BALANCER-LOCAL (hash:ip,port) has 1 member(s) but no rule uses it"],
    ]);
    // stale6 is IPv6: no ip6tables-save was given, so its rules are unknown.
  });

  it('finds none where kube-proxy uses every filled set', () => {
    for (const s of ['ipvs-local', 'ipvs-cluster', 'ipvs-bound-lb', 'calico']) expect(findings(samples(s), ID), s).toEqual([]);
  });
});
