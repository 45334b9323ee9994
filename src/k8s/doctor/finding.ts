/**
 * How a check makes a finding: from one of its messages (by id, with typed arguments), as ESLint
 * rules report `messageId` + data. The only place a Finding is assembled, so every finding has
 * its check's id, a severity, deduplicated evidence and Services.
 */
import type { CheckMeta, DoctorCheck, Finding, FindingEvidence, FindingMessage, Severity } from './types.js';

/** Identity that keeps each message's argument types (as `defineMessages` does for diagnostics). */
export function defineMeta<M extends Record<string, FindingMessage<any>>>(meta: CheckMeta<M>): CheckMeta<M> {
  return meta;
}

/** Identity that types a check (its `run` sees its own meta's messages). */
export function defineCheck<M extends Record<string, FindingMessage<any>>>(check: DoctorCheck<M>): DoctorCheck<M> {
  return check;
}

type ArgsOf<F> = F extends (...args: infer A) => unknown ? A : never;

export interface FindingFields {
  /** The node it was found on; null for a finding about several nodes. */
  readonly node: string | null;
  readonly services?: readonly string[];
  readonly evidence?: readonly FindingEvidence[];
  /** Only when the check's page documents why this finding differs from the check's severity. */
  readonly severity?: Severity;
}

export function findingOf<M extends Record<string, FindingMessage<any>>, K extends keyof M & string>(
  meta: CheckMeta<M>,
  messageId: K,
  args: ArgsOf<M[K]>,
  fields: FindingFields,
): Finding {
  const text = (meta.messages[messageId] as (...a: ArgsOf<M[K]>) => ReturnType<FindingMessage>)(...args);
  const seen = new Set<string>();
  const evidence: FindingEvidence[] = [];
  for (const e of fields.evidence ?? []) {
    const key = `${e.at.source.name}\u0000${e.at.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    evidence.push(e);
  }
  return {
    id: meta.id,
    messageId,
    severity: fields.severity ?? meta.severity,
    title: text.title,
    node: fields.node,
    services: [...new Set(fields.services ?? [])],
    evidence,
    explanation: text.explanation,
    remediation: text.remediation,
  };
}

/** `1/3`, `50%`: a probability as people say it. */
export function percent(p: number): string {
  const v = Math.round(p * 1000) / 10;
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`;
}

/** `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
