import { describe, expect, it } from 'vitest';
import { findings, nodeOf, samples } from '../support.js';

const ID = 'interface-missing';
const RULES = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -i eth0 -j ACCEPT\n-A INPUT -i enp0s3 -j ACCEPT\n-A INPUT -i veth+ -j ACCEPT\n-A FORWARD -o eth0 -j ACCEPT\n-A FORWARD -i tun9 -j DROP\nCOMMIT\n';
const ADDR =
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n' +
  '2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\n    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\n    altname enp0s3\n    inet 192.0.2.10/24 brd 192.0.2.255 scope global ens3\n';

describe(ID, () => {
  it('reports names ip addr does not list (altnames count, wildcards are not checked)', () => {
    const found = findings([nodeOf('n', { 'iptables-save.txt': RULES, 'ip-addr.txt': ADDR })], ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([
      ['warning', '2 rule(s) match interface eth0, which the node does not have'],
      ['warning', '1 rule(s) match interface tun9, which the node does not have'],
    ]);
  });

  it('does not judge against a partial listing (no lo) or one with unread lines', () => {
    const partial = ADDR.split('\n').slice(3).join('\n');
    expect(findings([nodeOf('n', { 'iptables-save.txt': RULES, 'ip-addr.txt': partial })], ID)).toEqual([]);
    const broken = ADDR.replace('2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP', '2: ens3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state\nUP');
    expect(findings([nodeOf('n', { 'iptables-save.txt': RULES, 'ip-addr.txt': broken })], ID)).toEqual([]);
  });

  it('finds none in the samples with ip addr', () => {
    for (const s of ['iptables-current', 'ipvs-local', 'ipvs-bound-lb', 'docker-host']) expect(findings(samples(s), ID), s).toEqual([]);
  });
});
