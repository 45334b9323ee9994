import { describe, expect, it } from 'vitest';
import { citedLines, findings, nodeOf, samples } from '../support.js';

const ID = 'jump-cycle';

describe(ID, () => {
  it('reports a loop with the rules that close it', () => {
    const node = nodeOf('n', {
      'iptables-save.txt': '*filter\n:INPUT ACCEPT [0:0]\n:A - [0:0]\n:B - [0:0]\n-A INPUT -j A\n-A A -j B\n-A B -g A\nCOMMIT\n',
    });
    const found = findings([node], ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([['error', 'IPv4 filter: jump loop A → B → A']]);
    expect(citedLines(found[0]!)).toEqual(['iptables-save.txt:6', 'iptables-save.txt:7']);
  });

  it('finds none in the samples', () => {
    for (const s of ['iptables-current', 'calico', 'docker-host']) expect(findings(samples(s), ID), s).toEqual([]);
  });
});
