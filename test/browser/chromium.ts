/**
 * Headless Chromium for the browser tests: Debian's `chromium` (apt-get install chromium),
 * driven by playwright-core, with a fresh profile and every background service off, so the
 * browser itself makes no request either. Tests skip, saying why, when it is not installed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { repoRoot } from '../support/paths.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);

if (!chromiumAvailable) {
  console.warn(`[iptlens tests] ${CHROMIUM} is absent: the browser tests (Mermaid parsing, HTML in Chromium, screenshots) are skipped. Install it with: apt-get install -y chromium`);
}

/** Where screenshots go: under tmp/ (ignored by git), never committed. */
export const screenshotDir = join(repoRoot, 'tmp', 'test-output', 'browser');

export const mermaidBundle = join(repoRoot, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'iptlens-chromium-'));
  mkdirSync(screenshotDir, { recursive: true });
  // playwright adds --headless and --user-data-dir (the fresh profile) itself.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
