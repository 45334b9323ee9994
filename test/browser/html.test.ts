/**
 * The HTML reports in headless Chromium: they open offline with no request at all (every
 * request is intercepted and counted; anything but data:/about: fails the test), show the
 * verdict, and look like something (a full-page screenshot, saved under tmp/test-output/browser,
 * is decoded in the browser and checked for size, colour variety and the verdict's colour).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphArgs, runIptlens, SAMPLES, traceArgs } from '../report/fixtures.js';
import { chromiumAvailable, launchChromium, screenshotDir, type Browser } from './chromium.js';

interface Visit {
  readonly requests: string[];
  readonly problems: string[];
  readonly page: Page;
}

const offline = (url: string): boolean => url.startsWith('data:') || url.startsWith('about:');

describe.skipIf(!chromiumAvailable)('HTML reports in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    // Nothing leaves the machine: every request is recorded and refused.
    await browser.context.route('**/*', (route) => (offline(route.request().url()) ? route.continue() : route.abort()));
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function visit(html: string): Promise<Visit> {
    const page = await browser.context.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.setContent(html, { waitUntil: 'load' });
    return { requests, problems, page };
  }

  /** The same file without its Content-Security-Policy, so a stray reference would be fetched, not blocked. */
  const withoutCsp = (html: string): string => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');

  it('notices a request when there is one (the check can fail)', async () => {
    const html = (await runIptlens([...traceArgs('iptables-current'), '--output', 'html'])).stdout;
    const v = await visit(withoutCsp(html).replace('<main>', '<main><img src="http://iptlens.invalid/pixel.png" alt="">'));
    expect(v.requests.filter((u) => !offline(u))).toEqual(['http://iptlens.invalid/pixel.png']);
    await v.page.close();
  });

  for (const sample of SAMPLES) {
    it.each([
      ['trace', traceArgs(sample)],
      ['graph', graphArgs(sample)],
      ['parse', ['parse', `samples/${sample}/`]],
    ])(`samples/${sample}: %s --output html opens with no request and no error`, async (_command, args) => {
      const html = (await runIptlens([...args, '--output', 'html'])).stdout;
      for (const variant of [html, withoutCsp(html)]) {
        const v = await visit(variant);
        expect(v.requests.filter((u) => !offline(u))).toEqual([]);
        expect(v.problems).toEqual([]);
        expect(await v.page.locator('#verdict').isVisible()).toBe(true);
        await v.page.close();
      }
    });
  }

  interface ImageStats {
    readonly width: number;
    readonly height: number;
    readonly colours: number;
    readonly lumaStdDev: number;
    readonly toneShare: number;
  }

  /**
   * Decodes a PNG with the browser's own decoder, in a blank page of its own (the report's
   * Content-Security-Policy rightly refuses even a data: image), and measures it.
   */
  async function measure(png: Buffer, tone: readonly [number, number, number]): Promise<ImageStats> {
    const page = await browser.context.newPage();
    const stats = await page.evaluate(
      async ({ data, tone }) => {
        const img = new Image();
        img.src = `data:image/png;base64,${data}`;
        await img.decode();
        const canvas = document.createElement('canvas');
        canvas.width = img.naturalWidth;
        canvas.height = img.naturalHeight;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set<number>();
        let sum = 0;
        let sumSq = 0;
        let toned = 0;
        const n = pixels.length / 4;
        for (let i = 0; i < pixels.length; i += 4) {
          const r = pixels[i]!;
          const g = pixels[i + 1]!;
          const b = pixels[i + 2]!;
          colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
          const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
          sum += y;
          sumSq += y * y;
          if (Math.abs(r - tone[0]) < 24 && Math.abs(g - tone[1]) < 24 && Math.abs(b - tone[2]) < 24) toned++;
        }
        const mean = sum / n;
        return { width: canvas.width, height: canvas.height, colours: colours.size, lumaStdDev: Math.sqrt(sumSq / n - mean * mean), toneShare: toned / n };
      },
      { data: png.toString('base64'), tone },
    );
    await page.close();
    return stats;
  }

  const GREEN = [0x15, 0x80, 0x3d] as const;
  const RED = [0xb9, 0x1c, 0x1c] as const;

  it.each([
    ['iptables-current-dns', traceArgs('iptables-current'), /^2 paths: egress flannel\.1 or to a pod via cni0/, GREEN],
    ['iptables-current-firewalled', ['trace', 'samples/iptables-current/', '--from', 'external', '--src', '198.51.100.7', '--dst', '10.0.0.102', '--dport', '80'], /^DROPPED: DROP by filter\/KUBE-PROXY-FIREWALL#1$/, RED],
    ['ipvs-local-lb', traceArgs('ipvs-local'), /^egress eth0 +10\.244\.1\.5:40000 → 10\.0\.0\.100:80 \(no SNAT\)$/, GREEN],
  ] as const)('screenshot %s: the verdict is visible and the page is a real picture', async (name, args, verdict, tone) => {
    const html = (await runIptlens([...args, '--output', 'html'])).stdout;
    const v = await visit(html);
    const shown = (await v.page.locator('#verdict .text').innerText()).trim();
    expect(shown).toMatch(verdict);
    expect(await v.page.locator('#verdict').isVisible()).toBe(true);
    expect(await v.page.locator('body').innerText()).toContain(shown);
    // The full trace is there, folded.
    expect(await v.page.locator('details#full').getAttribute('open')).toBeNull();
    const png = await v.page.screenshot({ fullPage: true, type: 'png' });
    writeFileSync(join(screenshotDir, `${name}.png`), png);
    const stats = await measure(png, tone);
    expect(stats.width).toBeGreaterThanOrEqual(1200);
    expect(stats.height).toBeGreaterThan(900);
    expect(png.length).toBeGreaterThan(40_000);
    expect(stats.colours).toBeGreaterThan(60);
    expect(stats.lumaStdDev).toBeGreaterThan(15);
    // The verdict's colour (the banner, the path's highlighted chains) is on the picture.
    expect(stats.toneShare).toBeGreaterThan(0.0005);
    await v.page.close();
  });
});
