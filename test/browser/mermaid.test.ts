/**
 * The Mermaid charts of the markdown reports are valid Mermaid: every chart of every sample's
 * trace and graph report is parsed by Mermaid's own parser (mermaid.parse) inside headless
 * Chromium, and a few are rendered to SVG. Mermaid's bundle is loaded from node_modules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { documentToMarkdown } from '../../src/report/markdown/render.js';
import { hostileDocument, HOSTILE } from '../report/document-fixture.js';
import { graphArgs, mermaidBlocks, runIptlens, SAMPLES, traceArgs } from '../report/fixtures.js';
import { chromiumAvailable, launchChromium, mermaidBundle, type Browser } from './chromium.js';

interface ParseResult {
  readonly ok: boolean;
  readonly type: string | null;
  readonly error: string | null;
}

async function parseAll(page: Page, charts: readonly string[]): Promise<ParseResult[]> {
  return page.evaluate(async (list) => {
    const mermaid = (globalThis as unknown as { mermaid: { parse(text: string): Promise<{ diagramType: string }> } }).mermaid;
    const out: { ok: boolean; type: string | null; error: string | null }[] = [];
    for (const text of list) {
      try {
        const r = await mermaid.parse(text);
        out.push({ ok: true, type: r.diagramType, error: null });
      } catch (e) {
        out.push({ ok: false, type: null, error: String((e as Error).message ?? e) });
      }
    }
    return out;
  }, [...charts]);
}

async function render(page: Page, chart: string): Promise<string> {
  return page.evaluate(async (text) => {
    const mermaid = (globalThis as unknown as { mermaid: { render(id: string, text: string): Promise<{ svg: string }> } }).mermaid;
    const { svg } = await mermaid.render(`chart${Math.random().toString(36).slice(2)}`, text);
    return svg;
  }, chart);
}

describe.skipIf(!chromiumAvailable)('Mermaid in the markdown reports', () => {
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: mermaidBundle });
    await page.evaluate(() => (globalThis as unknown as { mermaid: { initialize(c: object): void } }).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }));
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('rejects a broken chart (the check can fail)', async () => {
    const [result] = await parseAll(page, ['flowchart TD\n  a["unclosed --> b']);
    expect(result?.ok).toBe(false);
  });

  it.each(SAMPLES)('every chart of samples/%s parses as a flowchart', async (sample) => {
    const charts: string[] = [];
    for (const args of [traceArgs(sample), graphArgs(sample)]) {
      const md = (await runIptlens([...args, '--output', 'markdown'])).stdout;
      charts.push(...mermaidBlocks(md));
      charts.push(...mermaidBlocks((await runIptlens([...args, '--output', 'markdown', '--redact', 'names', '--redact-key', 'k'])).stdout));
    }
    expect(charts.length).toBeGreaterThanOrEqual(2);
    const results = await parseAll(page, charts);
    results.forEach((r, i) => expect(r, charts[i]).toEqual({ ok: true, type: 'flowchart-v2', error: null }));
  });

  it('renders a path chart to SVG that shows the steps and the verdict', async () => {
    const md = (await runIptlens([...traceArgs('iptables-current'), '--output', 'markdown'])).stdout;
    const svg = await render(page, mermaidBlocks(md)[0]!);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('nat/KUBE-SERVICES rule 2');
    expect(svg).toContain('DNAT to 10.244.0.2:53');
    expect(svg).toContain('egress flannel.1');
  });

  it('keeps hostile text inside its label: it parses, and renders as text', async () => {
    const charts = mermaidBlocks(documentToMarkdown(hostileDocument()));
    const results = await parseAll(page, charts);
    expect(results.every((r) => r.ok)).toBe(true);
    const svg = await render(page, charts[0]!);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('alert(1)');
    expect(svg).not.toContain('onclick');
    expect(HOSTILE).toContain('click n0');
  });

  it('loaded Mermaid without a single network request', () => {
    expect(requests.filter((u) => !u.startsWith('data:') && !u.startsWith('about:'))).toEqual([]);
  });
});
