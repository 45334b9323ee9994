import { describe, expect, it } from 'vitest';
import { parseIptablesListingText } from '../../../grammar/iptables-listing/parse.js';
import { buildIptablesListing, listingLosses } from '../../../src/model/iptables-listing/index.js';

function listing(text: string) {
  return buildIptablesListing(parseIptablesListingText({ name: 'listing.txt', text }));
}

const NAT_NVL = `Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination
 1234  567K KUBE-SERVICES  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes service portals */

Chain INPUT (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination

Chain OUTPUT (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination

Chain POSTROUTING (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination

Chain KUBE-SERVICES (1 references)
 pkts bytes target     prot opt in     out     source               destination
    0     0 MARK       6    --  *      *      !10.244.0.0/16        10.96.0.1            tcp dpt:443 MARK or 0x4000
    0     0            6    --  eth0   !lo     0.0.0.0/0            0.0.0.0/0            multiport dports 80,443
    0     0 RETURN     0    -f  *      *       0.0.0.0/0            0.0.0.0/0
`;

const FILTER_L = `Chain INPUT (policy ACCEPT)
target     prot opt source               destination
ACCEPT     tcp  --  anywhere             anywhere             tcp dpt:ssh
DROP       all  --  badhost.example.com  anywhere

Chain FORWARD (policy DROP)
target     prot opt source               destination

Chain OUTPUT (policy ACCEPT)
target     prot opt source               destination
`;

describe('iptables -L listings', () => {
  it('models chains: policy, references, rule count', () => {
    const l = listing(NAT_NVL);
    expect(l.chains.map((c) => [c.name, c.policy, c.references, c.ruleCount])).toEqual([
      ['PREROUTING', 'ACCEPT', null, 1],
      ['INPUT', 'ACCEPT', null, 0],
      ['OUTPUT', 'ACCEPT', null, 0],
      ['POSTROUTING', 'ACCEPT', null, 0],
      ['KUBE-SERVICES', null, 1, 3],
    ]);
  });

  it('models rows: negations glued to columns, blank targets, fragments, comments', () => {
    const rows = listing(NAT_NVL).chains[4]!.rows;
    expect(rows[0]!.source).toEqual({ text: '10.244.0.0/16', negated: true });
    expect(rows[1]).toMatchObject({ target: null, in: { text: 'eth0', negated: false }, out: { text: 'lo', negated: true } });
    expect(rows[2]!.fragment).toBe('fragments');
    expect(listing(NAT_NVL).chains[0]!.rows[0]!.comments).toEqual(['kubernetes service portals']);
  });

  it('tells the flags it was made with, the table and the family', () => {
    const nat = listing(NAT_NVL);
    expect(nat.flags).toEqual({ verbose: true, numeric: true, lineNumbers: false, exact: false });
    expect([nat.table, nat.tableFrom, nat.family]).toEqual(['nat', 'chains', 'ipv4']);
    const filter = listing(FILTER_L);
    expect(filter.flags).toEqual({ verbose: false, numeric: false, lineNumbers: false, exact: null });
    expect([filter.table, filter.tableFrom, filter.family]).toEqual(['filter', 'chains', null]);
    const prompted = listing(`$ ip6tables -t mangle -nvL INPUT\n${NAT_NVL}`);
    expect([prompted.table, prompted.tableFrom, prompted.family, prompted.listedChain]).toEqual(['mangle', 'command', 'ipv6', 'INPUT']);
  });

  it('warns that it is a listing and names the command to run instead', () => {
    const nat = listing(NAT_NVL);
    const warning = nat.diagnostics.find((d) => d.code === 'iptables-listing/not-a-ruleset')!;
    expect(warning.severity).toBe('warning');
    expect(warning.message).toContain('`iptables -t nat -L -n -v`');
    expect(warning.message).toContain('Run `iptables-save`');
  });

  it('lists what a -n -v listing loses: summaries, negations, rounded counters, comments, other tables, IPv6, blank targets', () => {
    const losses = listingLosses(listing(NAT_NVL)).join('\n');
    expect(losses).toMatch(/Match options are summarised/);
    expect(losses).toMatch(/Target options are summarised/);
    expect(losses).toMatch(/Negations show only as a `!`/);
    expect(losses).toMatch(/counters are rounded/);
    expect(losses).toMatch(/Comments appear only as/);
    expect(losses).toMatch(/Only the nat table is listed/);
    expect(losses).toMatch(/IPv4 rules only/);
    expect(losses).toMatch(/1 row\(s\) have no target/);
    expect(losses).not.toMatch(/Without -v/);
    expect(losses).not.toMatch(/printed as names/);
    expect(listingLosses(listing(NAT_NVL)).at(-1)).toMatch(/Run `iptables-save` on the node instead/);
  });

  it('lists what a plain -L loses: interfaces and counters, resolved names with examples', () => {
    const losses = listingLosses(listing(FILTER_L)).join('\n');
    expect(losses).toMatch(/Without -v the in\/out interface columns/);
    expect(losses).toMatch(/printed as names \(`anywhere`, `dpt:ssh`, `badhost.example.com`\)/);
    expect(losses).not.toMatch(/counters are rounded/);
    expect(losses).toMatch(/Run `iptables-save` and `ip6tables-save`/);
  });

  it('for a single chain, says the others are missing; with legacy tables present, names the legacy tool too', () => {
    const text = '$ ipt KUBE-SERVICES\n# Warning: iptables-legacy tables present, use iptables-legacy to see them\nChain KUBE-SERVICES (2 references)\n pkts bytes target     prot opt in     out     source               destination\n    0     0 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0            match-set KUBE-CLUSTER-IP dst,dst\n';
    const l = listing(text);
    expect(l.legacyTablesPresent).toBe(true);
    const losses = listingLosses(l).join('\n');
    expect(losses).toMatch(/Only chain KUBE-SERVICES is listed/);
    expect(losses).toMatch(/`iptables-save` and `iptables-legacy-save`/);
  });
});
