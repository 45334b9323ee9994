/**
 * Mermaid flowcharts for a report: a packet's path (hook → chain/rule → effect → verdict) and a
 * chain-graph excerpt. GitHub and GitLab render a ```mermaid fence in issues, so this is the
 * picture a ticket carries.
 *
 * Node ids are generated (`p1s4`), never taken from chain names, and every label is quoted with
 * Mermaid's entity codes for the characters its grammar or its HTML labels would read
 * (`#quot;`, `#35;`, `#lt;` …), so no chain name, comment or address can break the chart.
 */
import type { GraphView, PathStep, PathView, Tone } from '../document.js';
import { REPORT_LIMITS, shorten } from '../document.js';

const LABEL_MAX = 72;

/** A quoted Mermaid label; `\n` in the text becomes a line break. */
export function mermaidLabel(text: string): string {
  const escaped = shorten(text, LABEL_MAX * 2)
    .split('\n')
    .map((line) =>
      shorten(line, LABEL_MAX)
        .replace(/#/g, '#35;')
        .replace(/"/g, '#quot;')
        .replace(/&/g, '#amp;')
        .replace(/</g, '#lt;')
        .replace(/>/g, '#gt;')
        .replace(/`/g, '#96;')
        .replace(/\|/g, '#124;')
        .replace(/[\u0000-\u001f]/g, ' '),
    )
    .join('<br/>');
  return `"${escaped}"`;
}

const CLASS_DEFS = [
  '  classDef hook fill:#eef2ff,stroke:#6366f1,color:#1e1b4b',
  '  classDef decisive stroke:#b45309,stroke-width:3px',
  '  classDef ok fill:#dcfce7,stroke:#15803d,color:#14532d',
  '  classDef problem fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d',
  '  classDef warning fill:#fef3c7,stroke:#b45309,color:#78350f',
  '  classDef info fill:#f1f5f9,stroke:#475569,color:#0f172a',
  '  classDef missing stroke:#b91c1c,stroke-dasharray:4 3',
];

function stepLabel(step: PathStep): string {
  if (!step.table || !step.chain) return step.effect;
  return `${step.table}/${step.chain}${step.rule !== null ? ` rule ${step.rule}` : ''}\n${step.effect}`;
}

function toneClass(tone: Tone): string {
  return tone;
}

/** One path as a top-down flowchart. `prefix` keeps ids unique when several charts share a page. */
export function pathToMermaid(path: PathView, prefix: string): string {
  const out = ['flowchart TD'];
  const decisive: string[] = [];
  const hooks: string[] = [];
  const start = `${prefix}start`;
  out.push(`  ${start}([${mermaidLabel(path.start)}])`);
  let previous = start;
  let hook = '';
  const limit = REPORT_LIMITS.stepsPerPath;
  const shown = path.steps.length > limit ? path.steps.slice(0, limit - 1) : path.steps;
  shown.forEach((step, i) => {
    if (step.hook !== hook) {
      hook = step.hook;
      const id = `${prefix}h${i}`;
      out.push(`  ${id}[/${mermaidLabel(hook)}/]`);
      out.push(`  ${previous} --> ${id}`);
      hooks.push(id);
      previous = id;
    }
    const id = `${prefix}s${i}`;
    out.push(`  ${id}[${mermaidLabel(stepLabel(step))}]`);
    out.push(`  ${previous} --> ${id}`);
    if (step.decisive) decisive.push(id);
    previous = id;
  });
  if (shown.length < path.steps.length) {
    const id = `${prefix}more`;
    out.push(`  ${id}[${mermaidLabel(`… ${path.steps.length - shown.length} more steps (in the full trace)`)}]`);
    out.push(`  ${previous} -.-> ${id}`);
    previous = id;
  }
  const end = `${prefix}end_`;
  out.push(`  ${end}{{${mermaidLabel(path.verdict)}}}`);
  out.push(`  ${previous} --> ${end}`);
  out.push(...CLASS_DEFS);
  if (hooks.length) out.push(`  class ${hooks.join(',')} hook`);
  if (decisive.length) out.push(`  class ${decisive.join(',')} decisive`);
  out.push(`  class ${end} ${toneClass(path.tone)}`);
  return out.join('\n') + '\n';
}

/** A chain-graph excerpt, left to right; chains on the packet's path are highlighted. */
export function graphViewToMermaid(view: GraphView): string {
  const out = ['flowchart LR'];
  const ids = new Map(view.nodes.map((n, i) => [n.id, `c${i}`]));
  const on: string[] = [];
  const missing: string[] = [];
  for (const n of view.nodes) {
    const id = ids.get(n.id)!;
    const label = mermaidLabel(`${n.table}/${n.chain}`);
    out.push(n.builtin ? `  ${id}[[${label}]]` : n.exists ? `  ${id}[${label}]` : `  ${id}{{${label}}}`);
    if (n.onPath) on.push(id);
    if (!n.exists) missing.push(id);
  }
  const onEdges: number[] = [];
  view.edges.forEach((e, i) => {
    const label = mermaidLabel(`rule ${e.rules.slice(0, 3).join(', ')}${e.rules.length > 3 ? '…' : ''}`);
    out.push(`  ${ids.get(e.from)} ${e.kind === 'goto' ? '-.->' : '-->'}|${label}| ${ids.get(e.to)}`);
    if (e.onPath) onEdges.push(i);
  });
  if (view.omittedNodes > 0) {
    out.push(`  more[${mermaidLabel(`… ${view.omittedNodes} more chains not drawn`)}]`);
  }
  out.push(...CLASS_DEFS);
  if (on.length) out.push(`  class ${on.join(',')} ok`);
  if (missing.length) out.push(`  class ${missing.join(',')} missing`);
  if (onEdges.length) out.push(`  linkStyle ${onEdges.join(',')} stroke:#15803d,stroke-width:3px`);
  return out.join('\n') + '\n';
}
