/**
 * `iptlens doctor`: runs every check (src/k8s/doctor) over one bundle per node and prints the
 * findings (src/report/doctor). Thin: it reads the nodes, runs the doctor and sets the exit code.
 *
 * Exit codes (README): 0 nothing at or above --fail-on (default error); 1 a finding at or above
 * it; 2 input or usage errors (every input error printed with file:line:col); 3 a check failed
 * (a bug in iptlens — the other checks' findings are still printed).
 */
import { Option, type Command } from 'commander';
import { CHECKS } from '../../k8s/doctor/index.js';
import { runDoctor } from '../../k8s/doctor/run.js';
import { SEVERITIES, type Severity } from '../../k8s/doctor/types.js';
import { nodeDiagnosticsForServices } from '../../k8s/inputs.js';
import { lbModel, LB_MODELS } from '../../k8s/loopback/lb-models.js';
import type { NodeSnapshot } from '../../model/node.js';
import { renderDiagnostic } from '../../report/diagnostics.js';
import { doctorDocument } from '../../report/doctor/document.js';
import { doctorReportJson } from '../../report/doctor/json.js';
import { doctorReportText } from '../../report/doctor/text.js';
import { styleFor } from '../../report/style.js';
import { outputSettings, progressOn, withOutputOptions, writeOutput, type OutputIo, type OutputOptionValues } from '../output-options.js';

/** The CLI's streams and environment (main.ts's Io fits). */
export type DoctorIo = OutputIo;

const EXIT = { ok: 0, findings: 1, inputError: 2, internal: 3 } as const;

interface DoctorOptionValues extends OutputOptionValues {
  readonly failOn: Severity;
  readonly check?: string[];
  readonly lbModel?: string;
  readonly listChecks?: boolean;
}

function checkList(): string {
  const width = Math.max(...CHECKS.map((c) => c.meta.id.length));
  return CHECKS.map((c) => `${c.meta.id.padEnd(width)}  ${c.meta.severity.padEnd(7)}  ${c.meta.title}  (${c.meta.docs})`).join('\n') + '\n';
}

export function registerDoctorCommand(
  program: Command,
  io: DoctorIo,
  setExit: (code: number) => void,
  loadNodes: (operands: readonly string[]) => NodeSnapshot[],
): Command {
  return withOutputOptions(program.command('doctor'), 'iptlens.doctor/v1')
    .description(
      'Run every check over one or several nodes: LB loopback and Local-policy traps, health probes dropped as martians, shadowed rules, missing or unreachable chains, unused or missing ipsets, IPVS addresses and real servers, … Each finding has a severity, the Services it touches, file:line evidence, an explanation and a remediation.',
    )
    .argument('[bundles...]', 'one bundle (directory or .tar.gz) per node; loose files together form one more node; - for stdin')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices([...SEVERITIES]).default('error'))
    .option('--check <id...>', 'run only these checks (see --list-checks)')
    .addOption(new Option('--lb-model <model>', 'the load balancer in front of the nodes, for the cross-node checks (loopback probability, health probes)').choices(Object.keys(LB_MODELS)))
    .option('--list-checks', 'list the checks (id, severity, title, docs page) and exit')
    .option('-q, --quiet', 'one line per finding')
    .addHelpText(
      'after',
      `
Examples:
  iptlens doctor samples/ipvs-local
  iptlens doctor samples/ipvs-local samples/ipvs-local-node-b --lb-model tencent-clb
  iptlens doctor node-a.tar.gz node-b.tar.gz --json > findings.json
  iptlens doctor node-a/ --check shadowed-rule --check missing-chain --fail-on warning
  iptlens doctor --list-checks

Exit status: 0 when no finding is at least --fail-on (default error), 1 when one is, 2 on input
or usage errors, 3 when a check failed (a bug in iptlens). Each check is documented in
docs/checks/<id>.md.`,
    )
    .action((bundles: string[], opts: DoctorOptionValues, command: Command) => {
      if (opts.listChecks) {
        io.stdout.write(checkList());
        setExit(EXIT.ok);
        return;
      }
      if (bundles.length === 0) {
        command.error('iptlens doctor: give at least one bundle (a directory, a .tar.gz, files of one node, or - for stdin)', { exitCode: EXIT.inputError });
        return;
      }
      const unknown = (opts.check ?? []).filter((id) => !CHECKS.some((c) => c.meta.id === id));
      if (unknown.length) {
        command.error(`iptlens doctor: no check named ${unknown.join(', ')} (iptlens doctor --list-checks lists them)`, { exitCode: EXIT.inputError });
        return;
      }
      const model = opts.lbModel ? lbModel(opts.lbModel) : null;
      const output = outputSettings(opts);
      const progress = progressOn(io, output);
      progress.say('reading inputs');
      const nodes = loadNodes(bundles);
      progress.say('running checks');
      const result = runDoctor(nodes, { ...(opts.check ? { checks: opts.check } : {}), lbModel: model });
      progress.clear();
      const errStyle = styleFor(io.stderr, io.env);
      const inputErrors = nodes.flatMap((n) => nodeDiagnosticsForServices(n).filter((d) => d.severity === 'error'));
      for (const d of inputErrors) io.stderr.write(output.scrub(renderDiagnostic(d, errStyle)) + '\n');
      writeOutput(io, output, command, {
        text: () => doctorReportText(result, { style: styleFor(io.stdout, io.env), quiet: output.quiet }),
        json: () => doctorReportJson(result),
        document: (meta) => doctorDocument(nodes, result, meta),
      });
      for (const f of result.failed) io.stderr.write(`iptlens doctor: check ${f.check} failed: ${f.message}\nPlease report it with the input that caused it.\n`);
      const threshold = SEVERITIES.indexOf(opts.failOn);
      const failing = result.findings.some((f) => SEVERITIES.indexOf(f.severity) <= threshold);
      setExit(result.failed.length ? EXIT.internal : inputErrors.length ? EXIT.inputError : failing ? EXIT.findings : EXIT.ok);
    });
}
