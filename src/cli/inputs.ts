/** Turns command-line operands into node snapshots (the CLI's only reading step). */
import type { Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceText } from '../../grammar/source.js';
import { readTextInput } from '../model/input/read.js';
import { buildNodeSnapshot, type NodeSnapshot } from '../model/node.js';

/** One node from all operands (files of one node, or `-`). */
export function loadNode(operands: readonly string[]): NodeSnapshot {
  const sources: SourceText[] = [];
  const problems: Diagnostic[] = [];
  for (const operand of operands) {
    const read = readTextInput(operand);
    if ('text' in read) sources.push(read);
    else problems.push(read);
  }
  const name = operands[0] === '-' ? 'stdin' : (operands[0] ?? 'stdin');
  const node = buildNodeSnapshot(name, sources);
  return problems.length ? { ...node, diagnostics: [...problems, ...node.diagnostics] } : node;
}
