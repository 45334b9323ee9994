import { describe, expect, it } from 'vitest';
import { parseIptablesListingText } from '../../../grammar/iptables-listing/parse.js';

function parse(text: string) {
  return parseIptablesListingText({ name: 'listing.txt', text });
}

// Printed by iptables v1.8.9 in a network namespace (`iptables -t nat -L -n -v`).
const NVL = `Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)
 pkts bytes target     prot opt in     out     source               destination         
 1234  567K KUBE-SERVICES  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* kubernetes service portals */

Chain KUBE-SERVICES (1 references)
 pkts bytes target     prot opt in     out     source               destination         
    0     0 MARK       6    --  *      *      !10.244.0.0/16        10.96.0.1            tcp dpt:443 MARK or 0x4000
    0     0            6    --  eth0   !lo     0.0.0.0/0            0.0.0.0/0            multiport dports 80,443 ADDRTYPE match dst-type LOCAL
    0     0 RETURN     0    -f  *      *       0.0.0.0/0            0.0.0.0/0           
`;

describe('iptables -L listings', () => {
  it('reads chain headers: policy and counters, or references', () => {
    const result = parse(NVL);
    expect(result.diagnostics).toEqual([]);
    expect(result.chains.map((c) => [c.name.text, c.policy?.text ?? null, c.policyPackets?.text ?? null, c.references?.text ?? null, c.layout])).toEqual([
      ['PREROUTING', 'ACCEPT', '0', null, { lineNumbers: false, verbose: true }],
      ['KUBE-SERVICES', null, null, '1', { lineNumbers: false, verbose: true }],
    ]);
  });

  it('reads rows column by column, a blank target included, and the summary with its comments', () => {
    const result = parse(NVL);
    const rows = result.chains.flatMap((c) => c.rows);
    expect(rows.map((r) => [r.packets?.text, r.bytes?.text, r.target?.text ?? null, r.protocol.text, r.opt?.text, r.in?.text, r.out?.text, r.source.text, r.destination.text, r.details?.text ?? null])).toEqual([
      ['1234', '567K', 'KUBE-SERVICES', '0', '--', '*', '*', '0.0.0.0/0', '0.0.0.0/0', '/* kubernetes service portals */'],
      ['0', '0', 'MARK', '6', '--', '*', '*', '!10.244.0.0/16', '10.96.0.1', 'tcp dpt:443 MARK or 0x4000'],
      ['0', '0', null, '6', '--', 'eth0', '!lo', '0.0.0.0/0', '0.0.0.0/0', 'multiport dports 80,443 ADDRTYPE match dst-type LOCAL'],
      ['0', '0', 'RETURN', '0', '-f', '*', '*', '0.0.0.0/0', '0.0.0.0/0', null],
    ]);
    const comment = rows[0]!.comments[0]!;
    expect(NVL.slice(comment.start, comment.end)).toBe('kubernetes service portals');
  });

  it('reads the plain form (no -v) and --line-numbers', () => {
    const plain = 'Chain KUBE-SERVICES (1 references)\ntarget     prot opt source               destination         \nMARK       tcp  -- !10.244.0.0/16        10.96.0.1            tcp dpt:https MARK or 0x4000\n           tcp  --  anywhere             anywhere             multiport dports http,https\n';
    const rows = parse(plain).chains[0]!.rows;
    expect(rows.map((r) => [r.target?.text ?? null, r.protocol.text, r.in, r.source.text])).toEqual([
      ['MARK', 'tcp', null, '!10.244.0.0/16'],
      [null, 'tcp', null, 'anywhere'],
    ]);
    const numbered = 'Chain INPUT (policy DROP 0 packets, 0 bytes)\nnum   pkts bytes target     prot opt in     out     source               destination         \n1        0     0 ACCEPT     6    --  !lo    *       2001:db8::/32        ::/0                 tcp dpt:22\n';
    const row = parse(numbered).chains[0]!.rows[0]!;
    expect([row.num?.text, row.target?.text, row.in?.text, row.source.text, row.destination.text]).toEqual(['1', 'ACCEPT', '!lo', '2001:db8::/32', '::/0']);
  });

  it("notes the prompt's command and iptables' own lines; reports rows outside a chain and unreadable lines", () => {
    const text = '$ iptables -t nat -nvL\n# Warning: iptables-legacy tables present, use iptables-legacy to see them\n    0     0 ACCEPT     all  --  *      *       0.0.0.0/0            0.0.0.0/0\nChain INPUT (policy ACCEPT)\ntarget     prot opt source               destination\nACCEPT\n';
    const result = parse(text);
    expect(result.command).toBe('iptables -t nat -nvL');
    expect(result.said).toEqual(['# Warning: iptables-legacy tables present, use iptables-legacy to see them']);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['iptables-listing/prompt-line', 'info'],
      ['iptables-listing/iptables-said', 'info'],
      ['iptables-listing/row-outside-chain', 'error'],
      ['iptables-listing/syntax', 'error'],
    ]);
    expect(result.diagnostics[3]!.at!.start).toBe(text.lastIndexOf('ACCEPT'));
  });
});
