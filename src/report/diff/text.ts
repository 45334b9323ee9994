/**
 * `iptlens diff`: the differences of two nodes for people — grouped by Service, each with the
 * file:line on the node it is on — and, for each probe that behaves differently, one sentence
 * saying what happens on each node and where the two paths part, then both paths side by side
 * with the first differing step marked.
 */
import type { Step } from '../../eval/types.js';
import type { BehaviouralDifference, ChangeGroup, Cited, DiffNote, DiffResult, PathOutcome, Side, SideTrace, StructuralChange } from '../../diff/types.js';
import type { SourceRef } from '../../../grammar/source.js';
import { align } from '../../diff/align.js';
import { formatFileLine } from '../location.js';
import type { Style } from '../style.js';

export interface DiffTextOptions {
  readonly style: Style;
  /** Only the verdict and the one-line summaries (no side-by-side paths). */
  readonly quiet?: boolean;
  /** Width of each column of the side-by-side paths. */
  readonly columnWidth?: number;
}

const SIDE_NAME: Readonly<Record<Side, string>> = { a: 'A', b: 'B' };

function at(side: Side, ref: SourceRef | null | undefined): string {
  return ref ? `${SIDE_NAME[side]}:${formatFileLine(ref)}` : `${SIDE_NAME[side]}`;
}

function cited(side: Side, c: Cited): string {
  return `${c.text}  (${at(side, c.at)})`;
}

export function groupTitle(g: ChangeGroup): string {
  switch (g.kind) {
    case 'service':
      return `Service ${g.label}`;
    case 'chain':
      return `${g.family === 'ipv6' ? 'ip6tables ' : ''}${g.table}/${g.chain}`;
    case 'ipset':
      return `ipset ${g.set}`;
    case 'ipvs':
      return 'IPVS';
    case 'addresses':
      return 'local addresses';
    case 'routes':
      return 'routes';
    case 'sysctls':
      return 'sysctls';
    case 'inputs':
      return 'inputs';
    default: {
      const never: never = g;
      return String(never);
    }
  }
}

/** One change as lines of text (the first is its summary; the rest what it holds, with file:line). */
export function describeChange(c: StructuralChange): string[] {
  const only = (side: Side) => `only on ${SIDE_NAME[side]}`;
  switch (c.kind) {
    case 'ruleset-only':
      return [`${c.family} iptables rules (${c.tables} tables) ${only(c.side)}`];
    case 'table-only':
      return [`table ${c.table} ${only(c.side)}  (${at(c.side, c.at)})`];
    case 'chain-only':
      return [`chain ${c.place.table}/${c.place.chain} ${only(c.side)} (${c.rules.length} rule${c.rules.length === 1 ? '' : 's'})  (${at(c.side, c.at)})`, ...c.rules.map((r) => `  ${cited(c.side, r)}`)];
    case 'policy':
      return [`policy of ${c.place.table}/${c.place.chain}: ${c.a ?? '-'} on A (${at('a', c.aAt)}), ${c.b ?? '-'} on B (${at('b', c.bAt)})`];
    case 'rule-only':
      return [`rule ${only(c.side)} in ${c.place.table}/${c.place.chain} (#${c.index}): ${cited(c.side, c.rule)}`];
    case 'rule-moved':
      return [`rule moved in ${c.place.table}/${c.place.chain}: #${c.aIndex} on A, #${c.bIndex} on B`, `  ${cited('a', c.a)}`, `  ${cited('b', c.b)}`];
    case 'rule-comment':
      return [`comment only (does not matter) in ${c.place.table}/${c.place.chain} #${c.aIndex}/#${c.bIndex}`, `  ${cited('a', c.a)}`, `  ${cited('b', c.b)}`];
    case 'chain-renamed':
      return [`${c.a} on A is ${c.b} on B (same endpoint ${c.endpoint}; does not matter)`];
    case 'ipset-only':
      return [`set ${c.set} ${only(c.side)} (${c.members} member${c.members === 1 ? '' : 's'})  (${at(c.side, c.at)})`];
    case 'ipset-type':
      return [`set ${c.set}: ${c.a} on A (${at('a', c.aAt)}), ${c.b} on B (${at('b', c.bAt)})`];
    case 'ipset-members':
      return [
        `set ${c.set}: ${[c.onlyA.length ? `${c.onlyA.length} member${c.onlyA.length === 1 ? '' : 's'} only on A` : '', c.onlyB.length ? `${c.onlyB.length} only on B` : ''].filter(Boolean).join(', ')}`,
        ...c.onlyA.map((m) => `  - ${cited('a', m)}`),
        ...c.onlyB.map((m) => `  + ${cited('b', m)}`),
      ];
    case 'ipvs-service-only':
      return [`virtual service ${c.service} ${only(c.side)}  (${at(c.side, c.at)})`, ...c.realServers.map((r) => `  -> ${cited(c.side, r)}`)];
    case 'ipvs-service-settings':
      return [`virtual service ${c.service}: ${c.a} on A (${at('a', c.aAt)}), ${c.b} on B (${at('b', c.bAt)})`];
    case 'ipvs-real-servers':
      return [
        `virtual service ${c.service}: real servers differ`,
        ...c.onlyA.map((r) => `  - ${cited('a', r)}`),
        ...c.onlyB.map((r) => `  + ${cited('b', r)}`),
        ...c.changed.map((x) => `  ~ ${x.server}: ${x.a.text} on A (${at('a', x.a.at)}), ${x.b.text} on B (${at('b', x.b.at)})`),
      ];
    case 'local-addresses':
      return [`addresses on ${c.iface}`, ...c.onlyA.map((x) => `  - ${cited('a', x)}`), ...c.onlyB.map((x) => `  + ${cited('b', x)}`)];
    case 'route-only':
      return [`route ${only(c.side)}: ${cited(c.side, c.route)}`];
    case 'sysctl':
      return [`${c.key}: ${c.a ? `${c.a.text.split(' = ')[1]} on A (${at('a', c.a.at)})` : 'not set on A'}, ${c.b ? `${c.b.text.split(' = ')[1]} on B (${at('b', c.b.at)})` : 'not set on B'}`];
    case 'input-only':
      return [`${c.what} given ${only(c.side)}: the other node is compared without them`];
    default: {
      const never: never = c;
      return [String(never)];
    }
  }
}

function egressWords(o: PathOutcome): string {
  switch (o.egress) {
    case 'endpoint':
      return 'sent to the endpoint';
    case 'uplink':
      return 'sent out the uplink';
    case 'pod':
      return 'sent to a pod on this node';
    case 'tunnel':
      return 'sent into the tunnel';
    case null:
      return '';
    default:
      return `sent out a ${o.egress} interface`;
  }
}

/** "is DNATed to 10.244.1.5:8080, masqueraded to the node and sent out the uplink". */
export function outcomePhrase(o: PathOutcome, reason: string | null = null): string {
  switch (o.disposition) {
    case 'drop':
      return `is dropped${reason ? ` (${reason})` : ''}`;
    case 'reject':
      return `is rejected${reason ? ` (${reason})` : ''}`;
    case 'local':
      return `is delivered to a local socket${o.dnat ? ` as ${o.dnat}` : ''}`;
    case 'egress':
    case 'local-pod': {
      const parts: string[] = [];
      if (o.dnat) parts.push(`is DNATed to ${o.dnat}`);
      parts.push(o.snat ? `${o.snat.kind === 'masquerade' ? 'masqueraded' : 'SNATed'} to ${o.snat.to}` : 'not masqueraded');
      const where = egressWords(o);
      if (where) parts.push(where);
      return parts.length === 1 ? `is ${parts[0]}` : `${o.dnat ? '' : 'is '}${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
    }
    default: {
      const never: never = o.disposition;
      return String(never);
    }
  }
}

function sideOutcome(t: SideTrace): string {
  if (t.outcomes.length === 0) return 'has no outcome (every path was cut)';
  const shown = t.result.paths[t.path];
  if (t.outcomes.length === 1) return outcomePhrase(t.outcomes[0]!, shown?.reason ?? null);
  return t.outcomes
    .slice(0, 4)
    .map((o) => `${outcomePhrase(o)} (p=${o.probability})`)
    .join('; or ') + (t.outcomes.length > 4 ? `; or ${t.outcomes.length - 4} more` : '');
}

function stepWhere(s: Step): string {
  return s.table && s.chain ? `${s.table}/${s.chain}${s.rule !== null ? `#${s.rule}` : ''}` : s.hook;
}

function stepWords(s: Step): string {
  const effect = s.effect.replace(/^jump /, 'jumps to ').replace(/^goto /, 'goes to ');
  return `${stepWhere(s)}: ${effect}`;
}

/** The whole story of one probe in a sentence, with both parting steps' file:line. */
export function behaviourSentence(d: BehaviouralDifference): string {
  const f = d.firstDifference;
  const out = [`On A, ${d.probe.id} ${sideOutcome(d.a)}; on B it ${sideOutcome(d.b)}.`];
  if (f.a || f.b) {
    const hook = (f.a ?? f.b)!.hook;
    const a = f.a ? `A ${stepWords(f.a)}${f.a.at ? ` (${at('a', f.a.at)})` : ''}` : 'A ends there';
    const b = f.b ? `B ${stepWords(f.b)}${f.b.at ? ` (${at('b', f.b.at)})` : ''}` : 'B ends there';
    out.push(`They part at step ${f.index + 1} (${hook}): ${a}; ${b}.`);
  }
  for (const r of f.reasons) out.push(`${r[0]!.toUpperCase()}${r.slice(1)}.`);
  return out.join(' ');
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

/** What a step did, for lining up the two paths after they part (rule numbers and file names left out). */
function lineUpKey(s: Step): string {
  return `${s.hook}|${s.table ?? ''}|${s.chain ?? ''}|${s.effect.replace(/\s\([^()]*\)/g, '')}`;
}

function cellText(s: Step | undefined): string {
  if (!s) return '';
  return s.hook === 'origin' || s.hook === 'routing' || s.hook === 'delivery' || s.hook === 'ipvs' ? `${s.hook}: ${s.effect}` : stepWords(s);
}

/**
 * Both paths in two columns: the same steps up to where they part (marked ▶), then the rest lined
 * up so that a step only one path takes stands alone on its row.
 */
function sideBySide(d: BehaviouralDifference, style: Style, width: number): string[] {
  const stepsA = d.a.result.paths[d.a.path]?.steps ?? [];
  const stepsB = d.b.result.paths[d.b.path]?.steps ?? [];
  const fork = d.firstDifference.index;
  const rows: { a: Step | undefined; b: Step | undefined; n: string }[] = [];
  for (let i = 0; i < fork; i++) rows.push({ a: stepsA[i], b: stepsB[i], n: String(i + 1) });
  const restA = stepsA.slice(fork);
  const restB = stepsB.slice(fork);
  let first = true;
  for (const step of align(restA.map(lineUpKey), restB.map(lineUpKey))) {
    // The parting step itself is one row, whatever the alignment says.
    if (first && restA.length && restB.length) {
      first = false;
      rows.push({ a: restA[0], b: restB[0], n: String(fork + 1) });
      if (step.kind === 'same' && step.a === 0 && step.b === 0) continue;
    }
    if (step.kind === 'same') {
      if (step.a === 0 || step.b === 0) continue;
      rows.push({ a: restA[step.a], b: restB[step.b], n: '' });
    } else if (step.kind === 'only-a') {
      if (step.a === 0 && restB.length) continue;
      rows.push({ a: restA[step.a], b: undefined, n: '' });
    } else {
      if (step.b === 0 && restA.length) continue;
      rows.push({ a: undefined, b: restB[step.b], n: '' });
    }
  }
  const out: string[] = [];
  out.push(`       ${style.bold(`${fit(`A: path ${d.a.path + 1} of ${d.a.result.paths.length}`, width)} │ B: path ${d.b.path + 1} of ${d.b.result.paths.length}`)}`);
  rows.forEach((r, i) => {
    const line = `${fit(cellText(r.a), width)} │ ${fit(cellText(r.b), width).trimEnd()}`;
    if (i === fork) out.push(style.yellow(`  ▶ ${r.n.padStart(3)} ${line}`));
    else out.push(`    ${r.n.padStart(3)} ${i > fork ? style.dim(line) : line}`);
  });
  return out;
}

function noteText(n: DiffNote): string {
  switch (n.kind) {
    case 'counters-ignored':
      return 'packet and byte counters are not compared';
    case 'comments-ignored':
      return `${n.rules} rule${n.rules === 1 ? '' : 's'} differ only in their comment (listed, not counted)`;
    case 'identity-matched':
      return `A's ${n.what} ${n.a} is matched to B's ${n.b}`;
    case 'input-errors':
      return `${SIDE_NAME[n.side]}'s input has ${n.errors} error${n.errors === 1 ? '' : 's'} (on stderr): what could not be read is not compared`;
    case 'paths-omitted':
      return `${n.probes} probe${n.probes === 1 ? '' : 's'} had more paths than --max-paths: their comparison is partial`;
    default: {
      const never: never = n;
      return String(never);
    }
  }
}

export function diffReportText(result: DiffResult, options: DiffTextOptions): string {
  const { style } = options;
  const width = options.columnWidth ?? 58;
  const out: string[] = [];
  const who = (id: DiffResult['a'], side: Side) =>
    `${SIDE_NAME[side]} = ${id.name}${id.nodeIp ? ` (node ${id.nodeIp}${id.podCidr ? `, pods ${id.podCidr}` : ''})` : ''}`;
  out.push(style.bold(`iptlens diff  ${who(result.a, 'a')}  ·  ${who(result.b, 'b')}`));
  const matters = result.structural.filter((c) => c.matters).length;
  const verdict = result.equivalent
    ? style.green('EQUIVALENT: no structural change that matters, no probe behaves differently')
    : style.red(`DIFFERENT: ${matters} structural change${matters === 1 ? '' : 's'} that matter${matters === 1 ? 's' : ''}, ${result.behavioural.length} probe${result.behavioural.length === 1 ? '' : 's'} behaving differently`);
  out.push(verdict);
  for (const n of result.notes) out.push(style.dim(`note: ${noteText(n)}`));

  if (result.structural.length) {
    out.push('', style.bold('Structure'));
    let group = '';
    for (const c of result.structural) {
      const title = groupTitle(c.group);
      if (title !== group) {
        group = title;
        out.push(`  ${style.cyan(title)}`);
      }
      const [first, ...rest] = describeChange(c);
      const line = `    ${first}`;
      out.push(c.matters ? line : style.dim(line));
      if (!options.quiet) for (const r of rest) out.push(c.matters ? `    ${r}` : style.dim(`    ${r}`));
    }
  }

  const cov = result.coverage;
  out.push('', style.bold('Behaviour'));
  const traced = cov.exhaustive
    ? `${cov.total} probes, every one traced on both nodes`
    : cov.everyProbeBecause
      ? `${cov.total} probes, every one traced on both nodes (every packet can meet a difference: ${cov.everyProbeBecause})`
      : `${cov.total} probes: ${cov.traced} traced on both nodes, ${cov.unreached} that no difference can reach (same on both by construction)`;
  out.push(style.dim(`  ${traced}`));
  for (const s of cov.skipped) out.push(style.yellow(`  skipped ${s.what}: ${s.why}`));
  if (result.behavioural.length === 0) out.push('  no probe behaves differently');
  for (const d of result.behavioural) {
    out.push('', `  ${style.bold(d.probe.id)}${d.probe.service ? style.dim(`  (${d.probe.service.label})`) : ''}`);
    out.push(`    ${behaviourSentence(d)}`);
    if (!options.quiet) out.push(...sideBySide(d, style, width));
  }
  return out.join('\n') + '\n';
}
