import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('bpf', () => {
  it('reads the bytecode into instructions and prints it without spaces after commas', () => {
    const m = matchOf('-m bpf --bytecode "2, 6 0 0 1,6 0 0 0"', 'bpf');
    expect(m.bytecode).toEqual([{ code: 6, jt: 0, jf: 0, k: 1 }, { code: 6, jt: 0, jf: 0, k: 0 }]);
    expect(printedMatch(m)).toBe('--bytecode 2,6 0 0 1,6 0 0 0');
  });

  it('keeps a pinned object path', () => {
    expect(matchOf('-m bpf --object-pinned /sys/fs/bpf/p', 'bpf').objectPinned).toBe('/sys/fs/bpf/p');
  });

  it('reports a count that does not match the instructions', () => {
    expect(matchOf('-m bpf --bytecode "3,6 0 0 1"', 'bpf').problems).toEqual(['iptables/bad-value: "3,6 0 0 1"']);
  });
});
