import { describe, expect, it } from 'vitest';
import { BOX, layoutChains } from '../../../src/report/html/chain-svg.js';
import { documentToHtml } from '../../../src/report/html/render.js';
import { hostileDocument } from '../document-fixture.js';
import { runIptlens } from '../fixtures.js';

/** Every way an HTML file could make a browser fetch something. */
export function externalReferences(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<(script|link|img|iframe|object|embed|video|audio|source|base|form|meta\s+http-equiv="refresh")\b[^>]*>/gi)) out.push(m[0]);
  for (const m of html.matchAll(/\s(src|href|srcset|action|poster|background|xlink:href)\s*=/gi)) out.push(m[0]);
  for (const m of html.matchAll(/url\(\s*(?!['"]?#)[^)]*\)/gi)) out.push(m[0]);
  for (const m of html.matchAll(/@import/gi)) out.push(m[0]);
  return out;
}

describe('documentToHtml', () => {
  const html = documentToHtml(hostileDocument());

  it('is one file that refers to nothing outside itself', () => {
    expect(externalReferences(html)).toEqual([]);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
  });

  it('escapes every input string', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('line &lt;b&gt;four&lt;/b&gt;');
  });

  it('shows the verdict, the path, the evidence, remediation, the full output and the footer', () => {
    expect(html).toMatch(/<section class="verdict problem" id="verdict"><span class="tone">problem<\/span><span class="text">DROPPED /);
    expect(html).toContain('<h2>Packet path</h2>');
    expect(html).toContain('<li class="decisive"><span class="where mono">filter/end #1</span>: DROP');
    expect(html).toMatch(/<tr class="decisive"><td>1<\/td><td class="mono">f\.txt:9<\/td>/);
    expect(html).toContain('<li>Collect <code>ipset save</code> and ');
    expect(html).toContain('<details id="full"><summary>Full output of iptlens trace</summary><pre>line one');
    expect(html).toContain(`<code>iptlens trace &#39;dir with space/&#39; --src &#39;it&#39;\\&#39;&#39;s&#39;</code>`);
    expect(html).toContain(`<td class="mono">${'a'.repeat(64)}</td>`);
  });

  it('draws the chain graph with the path highlighted and undeclared chains marked', () => {
    expect(html).toContain('<g class="chain on builtin" transform="translate(');
    expect(html).toMatch(/<g class="chain missing" [^>]*><title>nat\/a\|b/);
    expect(html).toMatch(/<path class="edge on" [^>]*marker-end="url\(#arrow-on\)">/);
    expect(html).toMatch(/<path class="edge goto" /);
  });
});

describe('layoutChains', () => {
  it('gives every chain its own box inside the drawing', () => {
    const nodes = Array.from({ length: 30 }, (_, i) => ({ id: `nat:C${i}`, table: 'nat', chain: `C${i}`, builtin: i % 10 === 0, exists: true, onPath: i < 5 }));
    const edges = nodes.slice(1).map((n, i) => ({ from: nodes[Math.floor(i / 3) * (i % 2)]!.id, to: n.id, kind: 'jump' as const, rules: [i + 1], onPath: false }));
    const layout = layoutChains({ nodes, edges, roots: ['nat:C0', 'nat:C10', 'nat:C20'], omittedNodes: 0 });
    const boxes = [...layout.placed.values()];
    expect(boxes.length).toBe(30);
    for (const a of boxes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(a.x + BOX.width).toBeLessThanOrEqual(layout.width);
      expect(a.y + BOX.height).toBeLessThanOrEqual(layout.height);
      for (const b of boxes) {
        if (a === b) continue;
        const apart = a.x + BOX.width <= b.x || b.x + BOX.width <= a.x || a.y + BOX.height <= b.y || b.y + BOX.height <= a.y;
        expect(apart, `${a.node.id} overlaps ${b.node.id}`).toBe(true);
      }
    }
    // Entry chains start the drawing, each its own lane.
    expect(layout.placed.get('nat:C0')!.x).toBe(layout.placed.get('nat:C10')!.x);
    expect(layout.placed.get('nat:C0')!.y).toBeLessThan(layout.placed.get('nat:C10')!.y);
  });
});

describe('iptlens … --output html', () => {
  it('writes one self-contained file for a trace, with the packet path in the chain graph', async () => {
    const run = await runIptlens(['trace', 'samples/ipvs-local/', '--from', 'pod', '--src', '10.244.1.5', '--dst', '10.0.0.100', '--dport', '80', '--output', 'html']);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(externalReferences(run.stdout)).toEqual([]);
    expect(run.stdout).toContain('<span class="text">egress eth0  10.244.1.5:40000 → 10.0.0.100:80 (no SNAT)</span>');
    expect(run.stdout).toMatch(/<g class="chain on" [^>]*><title>nat\/KUBE-LOAD-BALANCER<\/title>/);
  });

  it('caps a large chain graph and says so', async () => {
    const run = await runIptlens(['graph', 'samples/iptables-current/iptables-save.txt', '--output', 'html']);
    const boxes = run.stdout.match(/<g class="chain/g)?.length ?? 0;
    expect(boxes).toBeLessThanOrEqual(48);
    expect(run.stdout).toMatch(/<p>\d+ more chains are not drawn, to keep the drawing readable\.<\/p>/);
  });
});
