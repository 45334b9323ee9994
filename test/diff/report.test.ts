import { describe, expect, it } from 'vitest';
import { diffNodes } from '../../src/diff/index.js';
import { diffReportJson } from '../../src/report/diff/json.js';
import { diffReportText, outcomePhrase } from '../../src/report/diff/text.js';
import { COLOUR, PLAIN } from '../../src/report/style.js';
import { sample } from './support.js';

const result = diffNodes(sample('ipvs-local'), sample('ipvs-cluster'));

describe('diff text report', () => {
  const text = diffReportText(result, { style: PLAIN });

  it('says the verdict, then the changes under their Service with the file:line on each node', () => {
    const lines = text.split('\n');
    expect(lines[1]).toBe('DIFFERENT: 8 structural changes that matter, 6 probes behaving differently');
    expect(text).toContain('  Service ? 10.96.120.5:80/tcp\n    set KUBE-LOAD-BALANCER-LOCAL: 1 member only on A\n      - 10.0.0.100,tcp:80  (A:');
    expect(text).toMatch(/- 10\.0\.0\.100,tcp:80 {2}\(A:\S*samples\/ipvs-local\/ipset-save\.txt:30\)/);
    expect(text).toMatch(/rule only on A in nat\/KUBE-LOAD-BALANCER \(#1\): -A KUBE-LOAD-BALANCER .* -j RETURN {2}\(A:\S*ipvs-local\/iptables-save\.txt:69\)/);
  });

  it('tells each differing probe in one sentence that names both parting rules', () => {
    expect(text).toMatch(
      /On A, pod → 10\.0\.0\.100:80\/tcp is not masqueraded and sent out the uplink; on B it is masqueraded to the node and sent out the uplink\. They part at step 5 \(PREROUTING\): A nat\/KUBE-LOAD-BALANCER#1: RETURN \(A:\S*ipvs-local\/iptables-save\.txt:69\); B nat\/KUBE-LOAD-BALANCER#1: jumps to KUBE-MARK-MASQ \(B:\S*ipvs-cluster\/iptables-save\.txt:69\)\. A's KUBE-LOAD-BALANCER-LOCAL holds 10\.0\.0\.100,tcp:80; B's does not\./,
    );
  });

  it('shows both paths side by side with the parting step marked, and a step only one path takes on a row of its own', () => {
    const block = text.slice(text.indexOf('  pod → 10.0.0.100:80/tcp'), text.indexOf('  host → 10.0.0.100:80/tcp'));
    const rows = block.split('\n');
    const marked = rows.filter((r) => r.startsWith('  ▶'));
    expect(marked).toHaveLength(1);
    expect(marked[0]).toMatch(/▶ {3}5 nat\/KUBE-LOAD-BALANCER#1: RETURN +│ nat\/KUBE-LOAD-BALANCER#1: jumps to KUBE-MARK-MASQ/);
    expect(rows.some((r) => /^ +│ nat\/KUBE-MARK-MASQ#1: MARK → 0x4000$/.test(r))).toBe(true);
    expect(rows.some((r) => /^ {4} {2}1 origin: arrives on cbr0 from a pod +│ origin: arrives on cbr0 from a pod$/.test(r))).toBe(true);
  });

  it('leaves the paths out with quiet, and colours only when asked', () => {
    const quiet = diffReportText(result, { style: PLAIN, quiet: true });
    expect(quiet).not.toContain('▶');
    expect(quiet).toContain('They part at step 5');
    expect(text).not.toContain('\u001b[');
    expect(diffReportText(result, { style: COLOUR })).toContain('\u001b[31mDIFFERENT');
  });

  it('says a node equivalent to itself is equivalent', () => {
    const same = diffReportText(diffNodes(sample('iptables-current'), sample('iptables-current')), { style: PLAIN });
    expect(same.split('\n')[1]).toBe('EQUIVALENT: no structural change that matters, no probe behaves differently');
    expect(same).toContain('no probe behaves differently');
  });

  it('words outcomes as what happens to the packet', () => {
    expect(outcomePhrase({ disposition: 'egress', dnat: '10.244.1.5:8080', snat: { kind: 'masquerade', to: 'the node' }, egress: 'endpoint', packets: '', probability: 1 })).toBe('is DNATed to 10.244.1.5:8080, masqueraded to the node and sent to the endpoint');
    expect(outcomePhrase({ disposition: 'drop', dnat: null, snat: null, egress: null, packets: '', probability: 1 }, 'DROP by filter/KUBE-FIREWALL#1')).toBe('is dropped (DROP by filter/KUBE-FIREWALL#1)');
  });
});

describe('diff JSON report (iptlens.diff/v1)', () => {
  const json = diffReportJson(result);
  const round = JSON.parse(JSON.stringify(json)) as typeof json;

  it('has the fields the issue asks for, and survives JSON', () => {
    expect(Object.keys(json).sort()).toEqual(['a', 'b', 'behavioural', 'coverage', 'equivalent', 'notes', 'schema', 'structural']);
    expect(round.schema).toBe('iptlens.diff/v1');
    expect(round.equivalent).toBe(false);
    for (const d of round.behavioural) expect(Object.keys(d).sort()).toEqual(['a', 'b', 'firstDifference', 'probe', 'summary']);
  });

  it('prints every position as a 1-based file and line, never offsets', () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/"source":\{/);
    expect(text).not.toContain('"start":');
    const member = round.structural.find((c) => c.kind === 'ipset-members' && c.set === 'KUBE-LOAD-BALANCER-LOCAL') as { onlyA: { text: string; at: { file: string; line: number; column: number } }[]; summary: string };
    expect(member.onlyA[0]).toMatchObject({ text: '10.0.0.100,tcp:80', at: { line: 30, column: 1 } });
    expect(member.summary).toBe('set KUBE-LOAD-BALANCER-LOCAL: 1 member only on A');
    const d = round.behavioural.find((x) => x.probe.id === 'pod → 10.0.0.100:80/tcp')!;
    expect(d.firstDifference.a).toMatchObject({ chain: 'KUBE-LOAD-BALANCER', rule: 1, line: 69 });
    expect(d.firstDifference.a?.file).toMatch(/ipvs-local\/iptables-save\.txt$/);
    expect(d.a.path?.steps[d.firstDifference.index]).toEqual(d.firstDifference.a);
    expect(d.summary).toMatch(/^On A, pod → 10\.0\.0\.100:80\/tcp is not masqueraded/);
    expect(d.probe).not.toHaveProperty('a');
  });
});
