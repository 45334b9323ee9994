import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/k8s/doctor/run.js';
import { doctorDocument } from '../../../src/report/doctor/document.js';
import { documentToMarkdown } from '../../../src/report/markdown/render.js';
import { samples } from '../../k8s/doctor/support.js';

describe('doctor report document', () => {
  it('carries the verdict, the findings table, their evidence and remediation, and the inputs\' digests', () => {
    const nodes = samples('ipvs-bound-lb');
    const result = runDoctor(nodes);
    const doc = doctorDocument(nodes, result, { commandLine: ['iptlens', 'doctor', 'samples/ipvs-bound-lb'], version: 'test' });
    expect(doc.command).toBe('doctor');
    expect(doc.verdict.tone).toBe('problem');
    expect(doc.tables[0]!.rows).toHaveLength(result.findings.length);
    expect(doc.evidence.some((e) => e.why.startsWith('local-policy-no-endpoint:') && e.decisive)).toBe(true);
    expect(doc.remediation.some((r) => r.startsWith('local-policy-no-endpoint: '))).toBe(true);
    expect(doc.footer.inputs.map((i) => i.file.split('/').pop())).toEqual(expect.arrayContaining(['iptables-save.txt', 'ipvsadm-Ln.txt', 'ip-addr.txt']));
    const md = documentToMarkdown(doc);
    expect(md).toContain('local-policy-no-endpoint');
  });

  it('no findings: an ok verdict', () => {
    const nodes = samples('calico');
    const doc = doctorDocument(nodes, runDoctor(nodes), { commandLine: ['iptlens', 'doctor'], version: 'test' });
    expect(doc.verdict).toEqual({ tone: 'ok', text: 'no findings' });
  });
});
