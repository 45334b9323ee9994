import { describe, expect, it } from 'vitest';
import { findings, nodeOf, samples } from '../support.js';

const ID = 'unreachable-chain';

describe(ID, () => {
  it('reports user chains with rules that nothing reaches, not empty chains nor the kubelet/kube-proxy canaries', () => {
    const node = nodeOf('n', {
      'iptables-save.txt':
        '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:USED - [0:0]\n:OLD-FW - [0:0]\n:OLD-FW-2 - [0:0]\n:EMPTY - [0:0]\n:KUBE-KUBELET-CANARY - [0:0]\n' +
        '-A INPUT -j USED\n-A USED -j ACCEPT\n-A OLD-FW -p tcp -j OLD-FW-2\n-A OLD-FW-2 -j DROP\nCOMMIT\n',
    });
    const found = findings([node], ID);
    expect(found.map((f) => f.title)).toEqual([
      'IPv4 filter: chain OLD-FW (1 rule(s)) is never jumped to',
      'IPv4 filter: chain OLD-FW-2 (1 rule(s)) is never jumped to',
    ]);
    expect(found.every((f) => f.severity === 'info')).toBe(true);
  });

  it('reports kube-proxy 1.18\'s nat KUBE-FIREWALL / KUBE-MARK-DROP, unused without source ranges', () => {
    expect(findings(samples('ipvs-bound-lb'), ID).map((f) => f.title)).toEqual([
      'IPv4 nat: chain KUBE-FIREWALL (1 rule(s)) is never jumped to',
      'IPv4 nat: chain KUBE-MARK-DROP (1 rule(s)) is never jumped to',
    ]);
  });
});
