/**
 * One random scenario against one topology: load its ruleset into the node, ask the kernel and
 * the evaluator about each of its packets. Used by the pooled first pass and by fast-check when
 * it replays and shrinks a disagreement (test/kernel/eval-random.test.ts).
 */
import type { SourceText } from '../../../grammar/source.js';
import type { Topology } from '../harness/types.js';
import { NodeView } from './node-view.js';
import { renderRuleset, type RandomScenario } from './random-ruleset.js';
import { checkPacket, explainRecord } from './run.js';
import type { AgreementRecord } from './types.js';

export interface ScenarioResult {
  readonly text: string;
  readonly records: readonly AgreementRecord[];
  /** Every packet agrees, or disagrees only as a known evaluator bug does. */
  readonly agrees: boolean;
}

export async function checkScenario(topology: Topology, view: readonly SourceText[], scenario: RandomScenario): Promise<ScenarioResult> {
  const text = renderRuleset(scenario.ruleset);
  await topology.load({ iptables: text });
  const node = new NodeView('random', [{ name: 'random/iptables-save.txt', text }], view);
  const records: AgreementRecord[] = [];
  for (const packet of scenario.packets) records.push(await checkPacket(topology, node, packet));
  const agrees = records.every((r) => r.verdict.kind !== 'disagree' || r.knownBug !== undefined);
  return { text, records, agrees };
}

/** The ruleset and every disagreeing packet, as the failure message shows a counterexample. */
export function explainScenario(result: ScenarioResult): string {
  const bad = result.records.filter((r) => r.verdict.kind === 'disagree' && r.knownBug === undefined);
  return [`ruleset (iptables-restore):\n${result.text}`, ...bad.map(explainRecord)].join('\n');
}
