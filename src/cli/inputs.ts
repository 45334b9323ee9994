/** Turns command-line operands into node snapshots (the CLI's only reading step). */
import type { Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceText } from '../../grammar/source.js';
import { isBundlePath, readBundle } from '../model/input/bundle.js';
import { readTextInput } from '../model/input/read.js';
import { buildNodeSnapshot, type NodeSnapshot } from '../model/node.js';

interface Gathered {
  readonly name: string;
  readonly sources: SourceText[];
  readonly problems: Diagnostic[];
}

function gather(operand: string, into: Gathered): void {
  if (isBundlePath(operand)) {
    const bundle = readBundle(operand);
    into.sources.push(...bundle.sources);
    into.problems.push(...bundle.diagnostics);
    return;
  }
  const read = readTextInput(operand);
  if ('text' in read) into.sources.push(read);
  else into.problems.push(read);
}

function snapshot(g: Gathered): NodeSnapshot {
  const node = buildNodeSnapshot(g.name, g.sources);
  return g.problems.length ? { ...node, diagnostics: [...g.problems, ...node.diagnostics] } : node;
}

function nameOf(operand: string): string {
  if (operand === '-') return 'stdin';
  return operand.replace(/\/+$/, '').split('/').pop()?.replace(/\.(tar\.gz|tgz|tar)$/i, '') || operand;
}

/** One node from all operands (a bundle, files of one node, or `-`). */
export function loadNode(operands: readonly string[]): NodeSnapshot {
  const g: Gathered = { name: nameOf(operands[0] ?? '-'), sources: [], problems: [] };
  for (const operand of operands) gather(operand, g);
  return snapshot(g);
}

/** One node per bundle operand; loose files (and `-`) together form one more node. */
export function loadNodes(operands: readonly string[]): NodeSnapshot[] {
  const nodes: NodeSnapshot[] = [];
  const loose: Gathered = { name: '', sources: [], problems: [] };
  const looseNames: string[] = [];
  for (const operand of operands) {
    if (isBundlePath(operand)) {
      const g: Gathered = { name: nameOf(operand), sources: [], problems: [] };
      gather(operand, g);
      nodes.push(snapshot(g));
    } else {
      looseNames.push(operand);
      gather(operand, loose);
    }
  }
  if (looseNames.length) nodes.push(snapshot({ ...loose, name: nameOf(looseNames[0]!) }));
  return nodes;
}
