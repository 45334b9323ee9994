import { describe, expect, it } from 'vitest';
import { codeSpan, documentToMarkdown, fenced, markdownText, MARKDOWN_BUDGET } from '../../../src/report/markdown/render.js';
import { mermaidLabel, pathToMermaid } from '../../../src/report/markdown/mermaid.js';
import { hostileDocument, HOSTILE } from '../document-fixture.js';
import { mermaidBlocks, runIptlens } from '../fixtures.js';

/** Undoes CommonMark backslash escapes: what a reader sees of escaped text. */
function unescape(markdown: string): string {
  return markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

describe('markdown escaping', () => {
  it('escapes what Markdown would read as markup, and a reader still sees the text', () => {
    const out = markdownText(HOSTILE);
    expect(out).not.toMatch(/(?<!\\)[|`*_<>[\]]/);
    expect(unescape(out)).toBe(HOSTILE);
  });

  it('fits any text into a code span and a fence', () => {
    expect(codeSpan('a ``b`` c')).toBe('```a ``b`` c```');
    expect(codeSpan('`x')).toBe('`` `x ``');
    const text = 'x\n```\ny\n````\n';
    const block = fenced(text, 'text');
    const fence = block.split('\n')[0]!.replace('text', '');
    expect(fence).toBe('`````');
    expect(block.endsWith(`\n${fence}`)).toBe(true);
    expect(block.slice(fence.length + 5, -fence.length)).toBe(text);
  });

  it('quotes Mermaid labels so no text can end them or inject a statement', () => {
    const label = mermaidLabel(HOSTILE);
    expect(label.startsWith('"') && label.endsWith('"')).toBe(true);
    expect(label.slice(1, -1)).not.toMatch(/["<>`|]/);
    expect(label).not.toMatch(/#(?!(35|quot|amp|lt|gt|96|124);)/);
  });
});

describe('documentToMarkdown', () => {
  const doc = hostileDocument();
  const md = documentToMarkdown(doc);

  it('starts with the verdict as the title', () => {
    expect(md.split('\n')[0]).toMatch(/^## ❌ iptlens trace: DROPPED /);
  });

  it('does not let input text start a heading or a list', () => {
    const lines = md.split('\n');
    expect(lines).toContain('\\# not a heading');
    expect(lines).toContain('\\- not a list');
    expect(lines).toContain('1\\. not a list either');
  });

  it('cites evidence as file:line in a table whose cells the input cannot split', () => {
    const row = md.split('\n').find((l) => l.includes('`f.txt:9`'))!;
    expect(row).toBeDefined();
    // 5 columns: 6 unescaped pipes.
    expect(row.match(/(?<!\\)\|/g)?.length).toBe(6);
    expect(md).toContain('_1 more lines not shown._');
  });

  it('draws each path as a Mermaid flowchart from the entry to the verdict', () => {
    const blocks = mermaidBlocks(md);
    expect(blocks.length).toBe(1);
    expect(blocks[0]).toMatch(/^flowchart TD\n/);
    expect(blocks[0]).toContain('class p1s1 decisive');
    expect(blocks[0]).toContain('class p1end_ problem');
  });

  it('folds the full output so that no fence inside it ends the block', () => {
    const start = md.indexOf('<summary>Full output of iptlens trace</summary>');
    expect(start).toBeGreaterThan(0);
    expect(md.slice(start)).toContain('`````text\nline one\n```\n````\nline <b>four</b>\n`````');
  });

  it('ends with the version, the exact command line and the sha256 of every input', () => {
    expect(md).toContain("<sub>iptlens 9.9.9 · `iptlens trace 'dir with space/' --src 'it'\\''s'`</sub>");
    expect(md).toContain(`| \`f.txt\` | \`${'a'.repeat(64)}\` | 10 |`);
  });

  it('renders remediation with its commands as code', () => {
    expect(md).toMatch(/^- Collect `ipset save` and a\\\|b /m);
  });
});

describe('pathToMermaid', () => {
  it('caps a long path and says how many steps are left out', () => {
    const path = hostileDocument().paths[0]!;
    const long = { ...path, steps: Array.from({ length: 75 }, (_, i) => ({ ...path.steps[0]!, rule: i + 1, decisive: false })) };
    const chart = pathToMermaid(long, 'p1');
    expect(chart).toContain('… 16 more steps (in the full trace)');
    expect(chart.match(/^ {2}p1s\d+\[/gm)?.length).toBe(59);
  });
});

describe('iptlens … --output markdown', () => {
  it('gives a trace report with path, evidence, full output and inputs', async () => {
    const run = await runIptlens(['trace', 'samples/iptables-current/', '--from', 'pod', '--src', '10.244.1.5', '--dst', '10.96.0.10', '-p', 'udp', '--dport', '53', '--output', 'markdown']);
    expect(run.code).toBe(0);
    const md = run.stdout;
    expect(md).toMatch(/^## ✅ iptlens trace: 2 paths: .*DNAT to 10\.244\.0\.2:53 or 10\.244\.1\.3:53; SNAT never/);
    expect(mermaidBlocks(md).length).toBe(2);
    expect(md).toMatch(/\| \*\*\d+\*\* \| `samples\/iptables-current\/iptables-save\.txt:176` \| `-A KUBE-SEP-YIL6JZP7A3QYXJU2 .*DNAT --to-destination 10\.244\.0\.2:53` \|.*\| \*\*DNAT to 10\.244\.0\.2:53\*\* \|/);
    expect(md).toContain('`iptlens trace samples/iptables-current/ --from pod --src 10.244.1.5 --dst 10.96.0.10 -p udp --dport 53 --output markdown`');
    expect(md).toMatch(/\| `samples\/iptables-current\/iptables-save\.txt` \| `[0-9a-f]{64}` \| \d+ \|/);
    expect(md).toContain('<summary>Full output of iptlens trace</summary>');
  });

  it('marks a dropped packet as a problem and names the rule to look at', async () => {
    const run = await runIptlens(['trace', 'samples/iptables-current/', '--from', 'external', '--src', '198.51.100.7', '--dst', '10.0.0.102', '--dport', '80', '--output', 'markdown']);
    expect(run.stdout).toMatch(/^## ❌ iptlens trace: DROPPED: DROP by filter\/KUBE-PROXY-FIREWALL#1/);
    expect(run.stdout).toMatch(/^- Path 1 ends at samples\/iptables-current\/iptables-save\.txt:\d+ \(filter\/KUBE-PROXY-FIREWALL#1: /m);
  });
});

describe('markdown size', () => {
  it('stays under GitHub’s 65,536-character body limit by shortening the full output', () => {
    const doc = { ...hostileDocument(), fullText: 'x'.repeat(100).concat('\n').repeat(2000) };
    const md = documentToMarkdown(doc);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(md).toMatch(/… \(\d+ more characters: attach the --output html or --output text report for all\)/);
    expect(md).toContain('<sub>iptlens 9.9.9 · ');
  });
});
