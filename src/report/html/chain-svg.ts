/**
 * The chain-graph excerpt of a report as inline SVG, laid out here (no layout library, no
 * script): one lane per entry chain in the order the packet meets them, and in each lane the
 * chains it reaches, one column per jump depth. A chain reached from several lanes is drawn in
 * the first. Chains and jumps on the packet's path are drawn strong, the others faint.
 */
import type { GraphView, GraphViewNode } from '../document.js';
import { escapeHtml } from './escape.js';

export interface PlacedNode {
  readonly node: GraphViewNode;
  readonly x: number;
  readonly y: number;
}

export interface ChainLayout {
  readonly placed: ReadonlyMap<string, PlacedNode>;
  readonly width: number;
  readonly height: number;
}

/** How far a same-column arrow swings out to the right. */
const BULGE = 36;

export const BOX = { width: 236, height: 30, columnGap: 44, rowGap: 10, laneGap: 18, margin: 12 } as const;

/** Positions for every node of the view. */
export function layoutChains(view: GraphView): ChainLayout {
  const out = new Map<string, { lane: number; depth: number }>();
  const next = new Map<string, string[]>();
  for (const e of view.edges) {
    const list = next.get(e.from) ?? [];
    list.push(e.to);
    next.set(e.from, list);
  }
  const known = new Set(view.nodes.map((n) => n.id));
  // Entry chains each open a lane first, so a jump into one (not possible for built-in chains,
  // but a view may name any root) does not pull it into another lane.
  const roots = view.roots.filter((r, i) => known.has(r) && view.roots.indexOf(r) === i);
  roots.forEach((root, i) => out.set(root, { lane: i, depth: 0 }));
  const spread = (root: string, lane: number): void => {
    const queue: { id: string; depth: number }[] = [{ id: root, depth: 0 }];
    while (queue.length) {
      const { id, depth } = queue.shift()!;
      for (const to of next.get(id) ?? []) {
        if (out.has(to) || !known.has(to)) continue;
        out.set(to, { lane, depth: depth + 1 });
        queue.push({ id: to, depth: depth + 1 });
      }
    }
  };
  roots.forEach((root, i) => spread(root, i));
  let lane = roots.length;
  for (const n of view.nodes) {
    if (out.has(n.id)) continue;
    out.set(n.id, { lane, depth: 0 });
    spread(n.id, lane);
    lane++;
  }
  // Rows: within a lane, each column stacks its chains in view order.
  const rowsUsed = new Map<string, number>();
  const laneRows: number[] = new Array<number>(lane).fill(1);
  const rowOf = new Map<string, number>();
  for (const n of view.nodes) {
    const at = out.get(n.id)!;
    const key = `${at.lane}/${at.depth}`;
    const row = rowsUsed.get(key) ?? 0;
    rowsUsed.set(key, row + 1);
    rowOf.set(n.id, row);
    laneRows[at.lane] = Math.max(laneRows[at.lane] ?? 1, row + 1);
  }
  const laneTop: number[] = [];
  let y = BOX.margin;
  for (let l = 0; l < lane; l++) {
    laneTop.push(y);
    y += (laneRows[l] ?? 1) * (BOX.height + BOX.rowGap) + BOX.laneGap;
  }
  const placed = new Map<string, PlacedNode>();
  let maxDepth = 0;
  for (const n of view.nodes) {
    const at = out.get(n.id)!;
    maxDepth = Math.max(maxDepth, at.depth);
    placed.set(n.id, { node: n, x: BOX.margin + at.depth * (BOX.width + BOX.columnGap), y: (laneTop[at.lane] ?? 0) + (rowOf.get(n.id) ?? 0) * (BOX.height + BOX.rowGap) });
  }
  return { placed, width: BOX.margin * 2 + BULGE + (maxDepth + 1) * BOX.width + maxDepth * BOX.columnGap, height: Math.max(y - BOX.laneGap + BOX.margin, BOX.margin * 2 + BOX.height) };
}

function fit(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function chainGraphSvg(view: GraphView): string {
  const layout = layoutChains(view);
  const parts: string[] = [];
  parts.push(
    `<svg class="chains" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" role="img" aria-label="chain graph">`,
    '<defs>',
    '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#94a3b8"/></marker>',
    '<marker id="arrow-on" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#15803d"/></marker>',
    '</defs>',
  );
  // Faint edges first so the path's edges are drawn over them.
  const edges = [...view.edges].sort((a, b) => Number(a.onPath) - Number(b.onPath));
  for (const e of edges) {
    const a = layout.placed.get(e.from);
    const b = layout.placed.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + BOX.width;
    const y1 = a.y + BOX.height / 2;
    const x2 = b.x;
    const y2 = b.y + BOX.height / 2;
    const bend = Math.max(30, Math.abs(x2 - x1) / 2);
    // Forward: left to right. Same column (a chain jumping to a sibling, KUBE-SEP-* →
    // KUBE-MARK-MASQ): a bulge on the right into the target's right side. Backward: an arc over.
    const d =
      x2 > x1
        ? `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`
        : b.x === a.x
          ? `M${x1},${y1} C${x1 + BULGE},${y1} ${x1 + BULGE},${y2} ${x1},${y2}`
          : `M${x1},${y1} C${x1 + 60},${y1 - 40} ${x2 - 60},${y2 - 40} ${x2},${y2}`;
    const cls = `edge${e.onPath ? ' on' : ''}${e.kind === 'goto' ? ' goto' : ''}`;
    parts.push(`<path class="${cls}" d="${d}" marker-end="url(#${e.onPath ? 'arrow-on' : 'arrow'})"><title>${escapeHtml(`${e.from} → ${e.to} (${e.kind} at rule #${e.rules.join(', #')})`)}</title></path>`);
  }
  for (const p of layout.placed.values()) {
    const n = p.node;
    const cls = `chain${n.onPath ? ' on' : ''}${n.builtin ? ' builtin' : ''}${n.exists ? '' : ' missing'}`;
    const label = `${n.table}/${n.chain}`;
    parts.push(
      `<g class="${cls}" transform="translate(${p.x},${p.y})"><title>${escapeHtml(label)}${n.exists ? '' : ' (not declared)'}</title>`,
      `<rect width="${BOX.width}" height="${BOX.height}" rx="5"/>`,
      `<text x="8" y="${BOX.height / 2 + 4}">${escapeHtml(fit(label, 31))}</text></g>`,
    );
  }
  parts.push('</svg>');
  return parts.join('\n');
}
