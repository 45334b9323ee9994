import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/k8s/doctor/run.js';
import { doctorReportJson } from '../../../src/report/doctor/json.js';
import { samples } from '../../k8s/doctor/support.js';

describe('iptlens.doctor/v1', () => {
  const result = runDoctor(samples('ipvs-bound-lb', 'ipvs-local'));
  const json = JSON.parse(JSON.stringify(doctorReportJson(result)));

  it('has the documented top-level fields', () => {
    expect(Object.keys(json).sort()).toEqual(['checks', 'failed', 'findings', 'nodes', 'schema', 'skipped', 'summary']);
    expect(json.schema).toBe('iptlens.doctor/v1');
    expect(json.nodes).toEqual(['ipvs-bound-lb', 'ipvs-local']);
    expect(json.summary.total).toBe(json.findings.length);
    expect(json.summary.error + json.summary.warning + json.summary.info).toBe(json.summary.total);
  });

  it('each finding is { id, severity, title, node, services, evidence: [{ file, line, text, note }], explanation, remediation, docs }', () => {
    expect(json.findings.length).toBeGreaterThan(3);
    for (const f of json.findings) {
      expect(Object.keys(f).sort()).toEqual(['docs', 'evidence', 'explanation', 'id', 'node', 'remediation', 'services', 'severity', 'title']);
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(f.docs).toBe(`docs/checks/${f.id}.md`);
      expect(Array.isArray(f.services)).toBe(true);
      for (const e of f.evidence) {
        expect(Object.keys(e).sort()).toEqual(['file', 'line', 'note', 'text']);
        // 1-based lines, and the text is that line of the file.
        const lines = readFileSync(e.file, 'utf8').split('\n');
        expect(e.line).toBeGreaterThanOrEqual(1);
        expect(lines[e.line - 1]).toBe(e.text);
      }
    }
  });

  it('cites the bound SLB IP and its empty virtual service for the ACK case', () => {
    const f = json.findings.find((x: { id: string }) => x.id === 'local-policy-no-endpoint');
    expect(f.severity).toBe('error');
    expect(f.evidence.map((e: { file: string; line: number }) => `${e.file.split('/').slice(-1)[0]}:${e.line}`)).toEqual(
      expect.arrayContaining(['ip-addr.txt:41', 'ipvsadm-Ln.txt:50']),
    );
  });
});
