/**
 * iptlens as a library. Everything the CLI does is reachable from here; tests call these.
 *
 *   import { parseIptablesSave } from 'iptlens';
 *   const ruleset = parseIptablesSave(text, 'node-a/iptables-save');
 */
import { parseIptablesSaveText } from '../grammar/iptables-save/parse.js';
import type { SourceText } from '../grammar/source.js';
import { buildRuleset, type BuildOptions } from './model/iptables/build.js';
import type { Ruleset } from './model/iptables/types.js';

export type { Diagnostic, Severity } from '../grammar/diagnostics.js';
export type { SourceText, SourceRef, Span } from '../grammar/source.js';
export type * from './model/iptables/types.js';
export type { ModuleMatch } from './model/iptables/matches/types.js';
export type { Target } from './model/iptables/targets/types.js';
export type { NodeSnapshot, MissingFact } from './model/node.js';
export { buildNodeSnapshot } from './model/node.js';
export { parseIptablesSaveText } from '../grammar/iptables-save/parse.js';
export { buildRuleset } from './model/iptables/build.js';
export { summariseRuleset } from './model/iptables/summary.js';
export { buildChainGraph, chainKey, type ChainGraph } from './graph/chain-graph.js';
export { missingChains, unreachableChains, jumpCycles, maxCallDepth, chainDegree, topFanIn, reachableFrom } from './graph/queries.js';
export { detectInput, type InputKind } from './model/input/detect.js';
export { locate, formatLocation } from './report/location.js';
export { runCli } from './cli/main.js';
export { VERSION } from './version.js';

/** Parses iptables-save / ip6tables-save text into the model the kernel would hold. Never throws. */
export function parseIptablesSave(text: string, name = 'iptables-save', options: BuildOptions = {}): Ruleset {
  const source: SourceText = { name, text };
  return buildRuleset(parseIptablesSaveText(source), options);
}
