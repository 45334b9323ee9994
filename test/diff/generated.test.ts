import { describe, expect, it } from 'vitest';
import { benchDiff, diffBenchNodes } from '../../bench/diff.js';
import { diffNodes } from '../../src/diff/index.js';

describe('two generated 300-Service nodes that differ in the policy of 1% of their Services', () => {
  const { a, b, flipped } = diffBenchNodes(300, 3);
  const names = new Set(flipped.map((s) => `${s.namespace}/${s.name}`));
  const r = diffNodes(a, b);

  it('files every structural change that matters under a flipped Service', () => {
    expect(flipped.length).toBe(3);
    const mattering = r.structural.filter((c) => c.matters);
    expect(mattering.length).toBeGreaterThan(0);
    for (const c of mattering) {
      expect(c.group.kind, JSON.stringify(c)).toBe('service');
      if (c.group.kind === 'service') expect(names.has(c.group.label.replace(/(:[^/]*)?\/(tcp|udp)$/, ''))).toBe(true);
    }
    // Every flipped Service shows up.
    const shown = new Set(mattering.map((c) => (c.group.kind === 'service' ? c.group.label.replace(/(:[^/]*)?\/(tcp|udp)$/, '') : '')));
    expect(shown).toEqual(names);
  });

  it('finds behavioural differences only for flipped Services, the same with and without pruning', () => {
    expect(r.behavioural.length).toBeGreaterThan(0);
    for (const d of r.behavioural) expect(names.has(d.probe.service!.label.replace(/(:[^/]*)?\/(tcp|udp)$/, ''))).toBe(true);
    const all = diffNodes(a, b, { exhaustive: true });
    expect(r.behavioural.map((d) => d.probe.id).sort()).toEqual(all.behavioural.map((d) => d.probe.id).sort());
    expect(r.coverage.traced).toBeLessThan(r.coverage.total / 10);
  });
});

describe('benchDiff', () => {
  it('times diffNodes on a generated pair and says what it found', () => {
    const result = benchDiff(200);
    expect(result).toMatchObject({ services: 200, flipped: 2 });
    expect(result.ms).toBeGreaterThan(0);
    expect(result.cpuMs).toBeGreaterThan(0);
    expect(result.behaviouralDifferences).toBeGreaterThan(0);
    expect(result.traced).toBeLessThan(result.probes);
  });
});
