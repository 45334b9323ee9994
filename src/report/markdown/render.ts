/**
 * A report document as GitHub/GitLab-flavoured Markdown, ready to paste into an issue: the
 * verdict as the title, the explanation, each path as a Mermaid flowchart, the evidence as a
 * table with `file:line`, remediation, the full output folded in <details>, and a footer that
 * makes the result reproducible (version, command line, sha256 of every input).
 *
 * Everything from the inputs is escaped: text with CommonMark backslash escapes, code with a
 * backtick fence longer than any run inside it, table cells with `\|` (GFM splits cells on a
 * bare pipe even inside code spans).
 */
import { commandLineText, type Evidence, type PathView, type ReportDocument, type ReportTable, type Tone } from '../document.js';
import { graphViewToMermaid, pathToMermaid } from './mermaid.js';

/** Backslash-escapes the ASCII punctuation Markdown would read as syntax in running text. */
export function markdownText(text: string): string {
  // An underscore inside a word (rp_filter) is never emphasis in GFM: left as it is, for the raw text's sake.
  return text
    .replace(/[\\`*[\]<>|~&]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
}

/** Running text that starts a block: also escapes what would start a heading, list or quote. */
function markdownParagraph(text: string): string {
  return markdownText(text).replace(/^(\s*)([#+\-=]|\d+[.)])/, (_m, space: string, mark: string) => `${space}${mark.replace(/^(\d*)(.)$/, '$1\\$2')}`);
}

/** An inline code span that holds any text. */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** A fenced block whose fence no line of the text can close. */
export function fenced(text: string, info: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}

function cell(markdown: string): string {
  return markdown.replace(/\|/g, '\\|').replace(/\\\\\|/g, '\\|');
}

function table(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = `| ${columns.map((c) => cell(markdownText(c))).join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  return [head, rule, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

export function toneMark(tone: Tone): string {
  switch (tone) {
    case 'ok':
      return '✅';
    case 'problem':
      return '❌';
    case 'warning':
      return '⚠️';
    case 'info':
      return 'ℹ️';
    default: {
      const never: never = tone;
      return never;
    }
  }
}

function probability(p: number): string {
  return p === 1 ? '1.0' : p.toFixed(3);
}

function pathSection(path: PathView, index: number): string[] {
  const out = [`#### ${toneMark(path.tone)} ${markdownText(path.label)}: ${markdownText(path.verdict)} (p=${probability(path.probability)})`, ''];
  if (path.conditions.length) out.push(...path.conditions.map((c) => `- if ${markdownText(c)}`), '');
  out.push(fenced(pathToMermaid(path, `p${index + 1}`), 'mermaid'), '');
  return out;
}

function evidenceRow(e: Evidence, i: number): string[] {
  const strong = (s: string): string => (e.decisive && s ? `**${s}**` : s);
  return [strong(String(i + 1)), codeSpan(`${e.file}:${e.line}`), codeSpan(e.text), e.comment ? markdownText(e.comment) : '', strong(markdownText(e.why))];
}

function tableSection(t: ReportTable): string[] {
  const out = [`### ${markdownText(t.title)}`, '', table(t.columns, t.rows.map((r) => r.map((c) => markdownText(c))))];
  if (t.omittedRows > 0) out.push('', `_${t.omittedRows} more rows not shown._`);
  out.push('');
  return out;
}

export function documentToMarkdown(doc: ReportDocument): string {
  const out: string[] = [`## ${toneMark(doc.verdict.tone)} ${markdownText(doc.title)}`, ''];
  for (const p of doc.explanation) out.push(markdownParagraph(p), '');
  if (doc.paths.length) {
    out.push('### Packet path', '');
    doc.paths.forEach((p, i) => out.push(...pathSection(p, i)));
    if (doc.omittedPaths > 0) out.push(`_${doc.omittedPaths} more paths are in the full output below._`, '');
  } else if (doc.graph && doc.graph.nodes.length) {
    out.push('### Chain graph', '', fenced(graphViewToMermaid(doc.graph), 'mermaid'), '');
  }
  for (const t of doc.tables) out.push(...tableSection(t));
  if (doc.evidence.length) {
    out.push('### Evidence', '', 'Lines of the inputs that decide the answer are in bold.', '');
    out.push(table(['#', 'file:line', 'line', 'comment', 'what it does'], doc.evidence.map(evidenceRow)));
    if (doc.omittedEvidence > 0) out.push('', `_${doc.omittedEvidence} more lines not shown._`);
    out.push('');
  }
  if (doc.remediation.length) {
    out.push('### What to do', '');
    for (const r of doc.remediation) out.push(`- ${renderInlineCode(r)}`);
    out.push('');
  }
  const footer: string[] = ['---', ''];
  footer.push(`<sub>iptlens ${markdownText(doc.footer.version)} · ${codeSpan(commandLineText(doc.footer.commandLine))}</sub>`, '');
  if (doc.footer.inputs.length) {
    footer.push('<details>', `<summary>Inputs (${doc.footer.inputs.length}, sha256)</summary>`, '');
    footer.push(table(['file', 'sha256', 'bytes'], doc.footer.inputs.map((i) => [codeSpan(i.file), codeSpan(i.sha256), String(i.bytes)])));
    footer.push('', '</details>', '');
  }
  const head = out.join('\n');
  const tail = footer.join('\n');
  const full = fullOutput(doc, Math.max(0, MARKDOWN_BUDGET - head.length - tail.length - 200));
  return `${head}\n${full}\n${tail}`;
}

/**
 * GitHub refuses an issue or comment body over 65,536 characters; the full output is what gives
 * way, so that the verdict, path and evidence always fit.
 */
export const MARKDOWN_BUDGET = 60_000;

function fullOutput(doc: ReportDocument, budget: number): string {
  const summary = `<summary>Full output of iptlens ${markdownText(doc.command)}</summary>`;
  let text = doc.fullText;
  if (text.length > budget) {
    const cut = text.lastIndexOf('\n', budget);
    text = `${text.slice(0, cut > 0 ? cut : budget)}\n… (${text.length - (cut > 0 ? cut : budget)} more characters: attach the --output html or --output text report for all)\n`;
  }
  return ['<details>', summary, '', fenced(text, 'text'), '', '</details>', ''].join('\n');
}

/** Remediation text may quote commands in backticks: those stay code, the rest is escaped. */
function renderInlineCode(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? codeSpan(part.slice(1, -1)) : markdownText(part)))
    .join('');
}
