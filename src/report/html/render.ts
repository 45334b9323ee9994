/**
 * A report document as one self-contained HTML file, readable offline from a ticket attachment:
 * inline CSS and inline SVG only, no script, no font, no image, no link to anything. A
 * Content-Security-Policy of `default-src 'none'` makes the browser refuse any fetch should a
 * later change slip one in.
 */
import { commandLineText, type Evidence, type PathStep, type PathView, type ReportDocument, type ReportTable, type Tone } from '../document.js';
import { chainGraphSvg } from './chain-svg.js';
import { escapeHtml } from './escape.js';

const CSS = `
:root { color-scheme: light; --ok: #15803d; --problem: #b91c1c; --warning: #b45309; --info: #475569; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #0f172a; background: #f8fafc; }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #0f172a; color: #e2e8f0; padding: 12px; overflow: auto; border-radius: 6px; }
.verdict { border-left: 6px solid var(--info); background: #fff; padding: 14px 18px; border-radius: 6px; box-shadow: 0 1px 2px #0002; }
.verdict .tone { display: inline-block; font-weight: 700; color: #fff; background: var(--info); border-radius: 4px; padding: 0 8px; margin-right: 8px; text-transform: uppercase; font-size: 12px; }
.verdict.ok { border-color: var(--ok); } .verdict.ok .tone { background: var(--ok); }
.verdict.problem { border-color: var(--problem); } .verdict.problem .tone { background: var(--problem); }
.verdict.warning { border-color: var(--warning); } .verdict.warning .tone { background: var(--warning); }
.verdict .text { font-size: 18px; font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border: 1px solid #e2e8f0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; }
tr.decisive td { background: #fff7ed; font-weight: 600; }
td.rule { word-break: break-all; }
.path { background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; padding: 8px 14px; margin: 10px 0; }
.path.problem { border-left: 5px solid var(--problem); } .path.ok { border-left: 5px solid var(--ok); }
.path ol { margin: 4px 0; padding-left: 22px; }
.path li.hook { display: block; margin-left: -22px; font-weight: 700; color: #4338ca; }
.path li.decisive { font-weight: 700; color: #7c2d12; }
.path .where { color: #334155; }
.path .loc { color: #64748b; }
.cond { color: var(--warning); }
.graph svg { max-width: 100%; height: auto; }
.graph { overflow: auto; background: #fff; border: 1px solid #e2e8f0; border-radius: 6px; }
svg.chains .chain rect { fill: #fff; stroke: #cbd5e1; stroke-width: 1; }
svg.chains .chain text { font: 12px ui-monospace, Menlo, Consolas, monospace; fill: #64748b; }
svg.chains .chain.builtin text { font-weight: 700; }
svg.chains .chain.on rect { fill: #dcfce7; stroke: var(--ok); stroke-width: 2.5; }
svg.chains .chain.on text { fill: #14532d; }
svg.chains .chain.missing rect { stroke: var(--problem); stroke-dasharray: 4 3; }
svg.chains .edge { fill: none; stroke: #cbd5e1; stroke-width: 1.2; }
svg.chains .edge.goto { stroke-dasharray: 5 4; }
svg.chains .edge.on { stroke: var(--ok); stroke-width: 2.5; }
footer { margin-top: 32px; color: #475569; font-size: 13px; }
details > summary { cursor: pointer; font-weight: 600; margin: 8px 0; }
`;

function toneWord(tone: Tone): string {
  switch (tone) {
    case 'ok':
      return 'ok';
    case 'problem':
      return 'problem';
    case 'warning':
      return 'warning';
    case 'info':
      return 'info';
    default: {
      const never: never = tone;
      return never;
    }
  }
}

/** Text with `backticked` parts shown as code. */
function withCode(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) => (part.length > 1 && part.startsWith('`') && part.endsWith('`') ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}

function stepItem(step: PathStep): string {
  const where = step.table && step.chain ? `<span class="where mono">${escapeHtml(`${step.table}/${step.chain}${step.rule !== null ? ` #${step.rule}` : ''}`)}</span>: ` : '';
  const comment = step.comment ? ` <span class="loc">“${escapeHtml(step.comment)}”</span>` : '';
  const loc = step.file !== null && step.line !== null ? ` <span class="loc mono">${escapeHtml(`${step.file}:${step.line}`)}</span>` : '';
  return `<li${step.decisive ? ' class="decisive"' : ''}>${where}${escapeHtml(step.effect)}${comment}${loc}</li>`;
}

function pathBlock(path: PathView, open: boolean): string {
  const items: string[] = [];
  let hook = '';
  for (const step of path.steps) {
    if (step.hook !== hook) {
      hook = step.hook;
      items.push(`<li class="hook">${escapeHtml(hook)}</li>`);
    }
    items.push(stepItem(step));
  }
  const p = path.probability === 1 ? '1.0' : path.probability.toFixed(3);
  const conditions = path.conditions.map((c) => `<div class="cond">if ${escapeHtml(c)}</div>`).join('');
  return `<details class="path ${toneWord(path.tone)}"${open ? ' open' : ''}><summary>${escapeHtml(path.label)}: ${escapeHtml(path.verdict)} <span class="loc">(p=${p})</span></summary>${conditions}<ol>${items.join('')}</ol></details>`;
}

function tableHtml(columns: readonly string[], rows: readonly (readonly string[])[], rowClass: (i: number) => string = () => ''): string {
  const head = `<tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr>`;
  const body = rows.map((r, i) => `<tr${rowClass(i) ? ` class="${rowClass(i)}"` : ''}>${r.join('')}</tr>`).join('\n');
  return `<table>${head}\n${body}</table>`;
}

function reportTable(t: ReportTable): string {
  const rows = t.rows.map((r) => r.map((c) => `<td>${escapeHtml(c)}</td>`));
  const more = t.omittedRows > 0 ? `<p>${t.omittedRows} more rows not shown.</p>` : '';
  return `<h2>${escapeHtml(t.title)}</h2>${tableHtml(t.columns, rows)}${more}`;
}

function evidenceTable(evidence: readonly Evidence[]): string {
  const rows = evidence.map((e, i) => [
    `<td>${i + 1}</td>`,
    `<td class="mono">${escapeHtml(`${e.file}:${e.line}`)}</td>`,
    `<td class="rule mono">${escapeHtml(e.text)}</td>`,
    `<td>${escapeHtml(e.comment ?? '')}</td>`,
    `<td>${escapeHtml(e.why)}</td>`,
  ]);
  return tableHtml(['#', 'file:line', 'line', 'comment', 'what it does'], rows, (i) => (evidence[i]?.decisive ? 'decisive' : ''));
}

export function documentToHtml(doc: ReportDocument): string {
  const body: string[] = [];
  body.push(`<h1>${escapeHtml(doc.title)}</h1>`);
  body.push(`<section class="verdict ${toneWord(doc.verdict.tone)}" id="verdict"><span class="tone">${toneWord(doc.verdict.tone)}</span><span class="text">${escapeHtml(doc.verdict.text)}</span></section>`);
  body.push('<section id="explanation">', ...doc.explanation.map((p) => `<p>${withCode(p)}</p>`), '</section>');
  if (doc.paths.length) {
    body.push('<h2>Packet path</h2>', ...doc.paths.map((p, i) => pathBlock(p, i === 0)));
    if (doc.omittedPaths > 0) body.push(`<p>${doc.omittedPaths} more paths are in the full output below.</p>`);
  }
  if (doc.graph && doc.graph.nodes.length) {
    const note = doc.graph.omittedNodes > 0 ? `<p>${doc.graph.omittedNodes} more chains are not drawn, to keep the drawing readable.</p>` : '';
    const legend = doc.paths.length ? '<p>Chains and jumps the packet takes are green; faint boxes are chains it could have jumped to.</p>' : '';
    body.push('<h2>Chain graph</h2>', legend, `<div class="graph">${chainGraphSvg(doc.graph)}</div>`, note);
  }
  for (const t of doc.tables) body.push(reportTable(t));
  if (doc.evidence.length) {
    body.push('<h2>Evidence</h2>', '<p>Highlighted lines decide the answer.</p>', evidenceTable(doc.evidence));
    if (doc.omittedEvidence > 0) body.push(`<p>${doc.omittedEvidence} more lines not shown.</p>`);
  }
  if (doc.remediation.length) body.push('<h2>What to do</h2>', `<ul>${doc.remediation.map((r) => `<li>${withCode(r)}</li>`).join('')}</ul>`);
  body.push(`<details id="full"><summary>Full output of iptlens ${escapeHtml(doc.command)}</summary><pre>${escapeHtml(doc.fullText)}</pre></details>`);
  const inputs = doc.footer.inputs.map((i) => [`<td class="mono">${escapeHtml(i.file)}</td>`, `<td class="mono">${escapeHtml(i.sha256)}</td>`, `<td>${i.bytes}</td>`]);
  body.push(
    '<footer>',
    `<p>iptlens ${escapeHtml(doc.footer.version)} · <code>${escapeHtml(commandLineText(doc.footer.commandLine))}</code></p>`,
    inputs.length ? tableHtml(['input', 'sha256', 'bytes'], inputs) : '',
    '</footer>',
  );
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
    '',
  ].join('\n');
}
