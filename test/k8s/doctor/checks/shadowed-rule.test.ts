import { describe, expect, it } from 'vitest';
import { citedLines, findings, nodeOf, samples } from '../support.js';

const ID = 'shadowed-rule';

function filter(rules: string): ReturnType<typeof nodeOf> {
  return nodeOf('n', { 'iptables-save.txt': `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:OTHER - [0:0]\n${rules}COMMIT\n` });
}

/** The hidden rules (by index) of each finding, keyed by the hiding rule. */
function hidden(rules: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const f of findings([filter(rules)], ID)) {
    const by = /— #(\d+) takes/.exec(f.title)![1]!;
    out[by] = f.evidence.slice(1).map((e) => Number(/#(\d+):/.exec(e.note)![1]));
  }
  return out;
}

describe(ID, () => {
  it('finds rules after a catch-all, duplicates, and narrower prefixes/ports/interfaces', () => {
    expect(hidden('-A INPUT -j REJECT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -s 10.0.0.1 -j DROP\n')).toEqual({ '1': [2, 3] });
    expect(hidden('-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n-A INPUT -p udp -m udp --dport 53 -j ACCEPT\n')).toEqual({ '1': [2] });
    expect(hidden('-A INPUT -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -s 10.1.0.0/16 -p tcp -j DROP\n')).toEqual({ '1': [2] });
    expect(hidden('-A INPUT -p tcp -m tcp --dport 1000:2000 -j DROP\n-A INPUT -p tcp -m tcp --dport 1500 -j ACCEPT\n')).toEqual({ '1': [2] });
    expect(hidden('-A INPUT -i eth+ -j ACCEPT\n-A INPUT -i eth1 -p tcp -j DROP\n')).toEqual({ '1': [2] });
    expect(hidden('-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT\n-A INPUT -p tcp -m tcp --dport 443 -j DROP\n')).toEqual({ '1': [2] });
    // "not in 10/8" hides a rule for 192.168.1.1, which is outside it.
    expect(hidden('-A INPUT ! -s 10.0.0.0/8 -j DROP\n-A INPUT -s 192.168.1.1 -j ACCEPT\n')).toEqual({ '1': [2] });
    // A goto never comes back; RETURN ends the chain.
    expect(hidden('-A INPUT -g OTHER\n-A INPUT -j ACCEPT\n-A OTHER -j RETURN\n-A OTHER -j DROP\n')).toEqual({ '1': [2] });
  });

  it('claims nothing it cannot show', () => {
    const none = [
      // The earlier rule is narrower, or they differ.
      '-A INPUT -s 10.1.0.0/16 -j ACCEPT\n-A INPUT -s 10.0.0.0/8 -j DROP\n',
      '-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n-A INPUT -p udp -m udp --dport 22 -j ACCEPT\n',
      '-A INPUT -i eth0 -j ACCEPT\n-A INPUT -i eth+ -j DROP\n',
      '-A INPUT ! -s 10.0.0.0/8 -j DROP\n-A INPUT -s 10.1.1.1 -j ACCEPT\n',
      // A jump comes back: not the end of the chain.
      '-A INPUT -j OTHER\n-A INPUT -j ACCEPT\n',
      // Random, rate and history matches can fail for a packet the later rule matches.
      '-A INPUT -m statistic --mode random --probability 0.5 -j ACCEPT\n-A INPUT -j DROP\n',
      '-A INPUT -p tcp -m limit --limit 5/min -j ACCEPT\n-A INPUT -p tcp -j DROP\n',
      '-A INPUT -m recent --rcheck --name x -j DROP\n-A INPUT -m recent --rcheck --name x -j ACCEPT\n',
      // The same mark test, but a rule in between sets the mark: the later rule can match packets the first did not.
      '-A INPUT -m mark --mark 0x1 -j ACCEPT\n-A INPUT -j MARK --set-mark 0x1\n-A INPUT -m mark --mark 0x1 -j DROP\n',
      '-A INPUT -m mark --mark 0x1 -j ACCEPT\n-A INPUT -j OTHER\n-A INPUT -m mark --mark 0x1 -j DROP\n',
      // A module iptlens does not know is never taken to hold.
      '-A INPUT -m geoip --src-cc CN -j DROP\n-A INPUT -m geoip --src-cc CN -j ACCEPT\n',
      // Tcp flags the later rule does not test.
      '-A INPUT -p tcp -m tcp --tcp-flags SYN,ACK SYN -j DROP\n-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n',
      // A counting rule ends nothing.
      '-A INPUT -p tcp\n-A INPUT -p tcp -j ACCEPT\n',
    ];
    for (const rules of none) expect(hidden(rules), rules).toEqual({});
  });

  it('the same packet-state test with nothing in between that changes it does hide', () => {
    expect(hidden('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n-A INPUT -p tcp -j LOG\n-A INPUT -p tcp -m conntrack --ctstate RELATED,ESTABLISHED -j DROP\n')).toEqual({ '1': [3] });
  });

  it('cites the hiding rule first, then every hidden rule', () => {
    const f = findings([filter('-A INPUT -j REJECT\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -s 10.0.0.1 -j DROP\n')], ID)[0]!;
    expect(citedLines(f)).toEqual(['iptables-save.txt:6', 'iptables-save.txt:7', 'iptables-save.txt:8']);
  });

  it('finds none in kube-proxy\'s, Calico\'s and Docker\'s rules; finds the duplicate in the 1.18 KUBE-FORWARD', () => {
    for (const s of ['iptables-current', 'iptables-legacy-pre124', 'ipvs-local', 'ipvs-cluster', 'calico', 'docker-host', 'ipv6']) {
      expect(findings(samples(s), ID), s).toEqual([]);
    }
    const bound = findings(samples('ipvs-bound-lb'), ID);
    expect(bound.map((f) => f.title)).toEqual(['filter/KUBE-FORWARD: rule #3 never matches — #2 takes their packets first']);
  });
});
