import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffNodes } from '../../src/diff/index.js';
import { editedSample, sample } from './support.js';

/**
 * Not tracing the probes no difference can reach must never hide a difference: B is A with one
 * line of one input removed (a rule, a set member, a real server, an address or a route), and
 * the diff with pruning finds exactly the probes tracing every probe finds.
 */
const FILES: Readonly<Record<string, readonly string[]>> = {
  'ipvs-local': ['iptables-save.txt', 'ipset-save.txt', 'ipvsadm-Ln.txt', 'ip-route.txt'],
  'iptables-current': ['iptables-save.txt', 'ip-route.txt'],
};

function removable(file: string, line: string): boolean {
  if (file === 'iptables-save.txt') return line.startsWith('-A ');
  if (file === 'ipset-save.txt') return line.startsWith('add ');
  if (file === 'ipvsadm-Ln.txt') return line.startsWith('  -> ') && !line.includes('RemoteAddress');
  return line.trim() !== '';
}

describe('probes no difference can reach', () => {
  it.each(Object.keys(FILES))('hide no difference when one line of %s is removed', (name) => {
    const a = sample(name);
    const files = FILES[name]!;
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.nat(), (file, pick) => {
        let removed = '';
        const b = editedSample(name, (f, text) => {
          if (f !== file) return text;
          const lines = text.split('\n');
          const candidates = lines.map((l, k) => [l, k] as const).filter(([l]) => removable(f, l));
          const [line, k] = candidates[pick % candidates.length]!;
          removed = line;
          return [...lines.slice(0, k), ...lines.slice(k + 1)].join('\n');
        });
        const pruned = diffNodes(a, b);
        const all = diffNodes(a, b, { exhaustive: true });
        const ids = (r: typeof pruned) => r.behavioural.map((d) => d.probe.id).sort();
        expect(ids(pruned), `${file}: ${removed}`).toEqual(ids(all));
      }),
      { numRuns: 8, seed: 20261123 },
    );
  });
});
