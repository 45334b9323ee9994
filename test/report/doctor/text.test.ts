import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/k8s/doctor/run.js';
import { doctorReportText, summaryLine, wrap } from '../../../src/report/doctor/text.js';
import { COLOUR, PLAIN } from '../../../src/report/style.js';
import { samples } from '../../k8s/doctor/support.js';

describe('doctor text report', () => {
  const result = runDoctor(samples('ipvs-bound-lb'));

  it('prints each finding with severity, check, node, evidence file:line and the docs page', () => {
    const text = doctorReportText(result, { style: PLAIN, quiet: false });
    expect(summaryLine(result)).toMatch(/^2 errors, \d+ warnings?, \d+ info$/);
    expect(text.split('\n')[0]).toBe(`iptlens doctor: ipvs-bound-lb — ${result.checks.length} checks: ${summaryLine(result)}`);
    expect(text).toContain('error   local-policy-no-endpoint  ipvs-bound-lb  172.21.9.80:443/tcp');
    expect(text).toMatch(/samples\/ipvs-bound-lb\/ip-addr\.txt:41 {2}203\.0\.113\.10 is bound on kube-ipvs0\n {6}inet 203\.0\.113\.10\/32 scope global kube-ipvs0/);
    expect(text).toContain('  docs: docs/checks/local-policy-no-endpoint.md');
    expect(text.trimEnd().split('\n').pop()).toBe(summaryLine(result));
    expect(text).not.toContain('\u001b[');
    // Prose is wrapped to 100 columns.
    for (const line of text.split('\n')) if (!line.startsWith('    ') && !line.startsWith('      ')) expect(line.length, line).toBeLessThanOrEqual(100);
  });

  it('--quiet prints one line per finding', () => {
    const text = doctorReportText(result, { style: PLAIN, quiet: true });
    expect(text.split('\n').filter((l) => /^(error|warning|info)\s/.test(l))).toHaveLength(result.findings.length);
    expect(text).not.toContain('evidence:');
  });

  it('colours severities only when asked', () => {
    expect(doctorReportText(result, { style: COLOUR, quiet: true })).toContain('\u001b[31m');
  });

  it('says when nothing was found, and what could not be checked', () => {
    const calico = runDoctor(samples('calico'));
    const text = doctorReportText(calico, { style: PLAIN, quiet: false });
    expect(text).toContain(`no findings (${calico.checks.length} checks run)`);
    const line = text.split('\n').find((l) => l.startsWith('  calico: ') && l.endsWith('— give ip -d addr'))!;
    expect(line).toContain('lb-loopback-unmasqueraded');
    expect(line).toContain('interface-missing');
  });

  it('wraps on word boundaries', () => {
    expect(wrap('aaa bbb ccc ddd', '  ', 10)).toEqual(['  aaa bbb', '  ccc ddd']);
  });
});
