/**
 * The iptlens command line: argument parsing and output only (house rule: the CLI is thin).
 *
 * Exit codes (docs in README.md):
 *   0  success, nothing to report
 *   1  the answer is "no": doctor found an error-level finding, diff found a difference
 *   2  input or usage errors (every input error is printed with file:line:col)
 *   3  internal error (a bug in iptlens; IPTLENS_DEBUG=1 prints the stack)
 */
import { Command, CommanderError, Option } from 'commander';
import { hasErrors } from '../../grammar/diagnostics.js';
import { buildChainGraph, chainKey } from '../graph/chain-graph.js';
import { reachableFrom } from '../graph/queries.js';
import type { TableName } from '../model/iptables/types.js';
import { graphToDot } from '../report/graph/dot.js';
import { graphToJson } from '../report/graph/json.js';
import { graphToMermaid } from '../report/graph/mermaid.js';
import { parseReportJson } from '../report/parse/json.js';
import { parseReportText } from '../report/parse/text.js';
import { renderDiagnostic } from '../report/diagnostics.js';
import { styleFor } from '../report/style.js';
import { VERSION } from '../version.js';
import { loadNode, loadNodes } from './inputs.js';
import { lbModel, LB_MODELS } from '../k8s/loopback/lb-models.js';
import { simulateLoopback } from '../k8s/loopback/scenario.js';
import { loopbackReportJson } from '../report/loopback/json.js';
import { loopbackReportText } from '../report/loopback/text.js';
import { loopbackDocument } from '../report/loopback/document.js';
import { nodeFacts } from '../eval/node-facts.js';
import { trace } from '../eval/pipeline.js';
import { probeFromWords } from '../eval/probe.js';
import { parseAddress } from '../model/values/address.js';
import { traceReportJson } from '../report/trace/json.js';
import { traceReportText } from '../report/trace/text.js';
import { graphDocument } from '../report/graph/document.js';
import { parseDocument } from '../report/parse/document.js';
import { traceDocument } from '../report/trace/document.js';
import { outputSettings, progressOn, withOutputOptions, writeOutput, type OutputOptionValues } from './output-options.js';
import { registerCollectCommand } from './commands/collect.js';
import { registerServicesCommand } from './commands/services.js';
import { registerDoctorCommand } from './commands/doctor.js';
import { registerDiffCommand } from './commands/diff.js';

export const EXIT = { ok: 0, answerNo: 1, inputError: 2, internal: 3 } as const;

interface Io {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: Record<string, string | undefined>;
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command();
  program
    .name('iptlens')
    .description('Read a Linux/Kubernetes node\'s netfilter state and answer where a packet goes, whether it is DNATed or masqueraded, and why two nodes differ.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  withOutputOptions(
    program
      .command('parse')
      .description('Read node dumps and report what was read, what is missing, and every problem with file:line:col.')
      .argument('<inputs...>', 'files (iptables-save, ip6tables-save, …) or - for stdin')
      .option('-q, --quiet', 'only problems and the final count'),
    'iptlens.parse/v1',
  )
    .addHelpText(
      'after',
      `
Examples:
  iptables-save | iptlens parse -
  iptlens parse samples/iptables-current/iptables-save.txt
  iptlens parse --json node-a/iptables-save.txt > node-a.json
  iptlens parse --output markdown --redact node-a/ > for-the-issue.md

Exit status: 0 when everything was read, 2 when an input has errors.`,
    )
    .action((inputs: string[], opts: OutputOptionValues, command: Command) => {
      const output = outputSettings(opts);
      const progress = progressOn(io, output);
      progress.say('reading inputs');
      const node = loadNode(inputs);
      progress.clear();
      writeOutput(io, output, command, {
        text: () => parseReportText(node, { style: styleFor(io.stdout, io.env), quiet: output.quiet }),
        json: () => parseReportJson(node),
        document: (meta) => parseDocument(node, meta),
      });
      setExit(hasErrors(node.diagnostics) ? EXIT.inputError : EXIT.ok);
    });

  withOutputOptions(
    program
      .command('graph')
      .description('Print the chain graph (jumps and gotos between chains) of a ruleset.')
      .argument('<inputs...>', 'iptables-save files or - for stdin')
      .addOption(new Option('--table <table>', 'only this table').choices(['raw', 'mangle', 'nat', 'filter', 'security']))
      .option('--from <chain>', 'only what this chain reaches (needs --table, or searches nat then filter)')
      .addOption(new Option('--format <format>', 'output format').choices(['dot', 'mermaid', 'json']).default('dot'))
      .addOption(new Option('--family <family>', 'which ruleset').choices(['ipv4', 'ipv6']).default('ipv4')),
    'iptlens.graph/v1',
  )
    .addHelpText(
      'after',
      `
Examples:
  iptlens graph iptables-save.txt --table nat --from KUBE-SERVICES --format mermaid
  iptlens graph iptables-save.txt --format json | jq '.edges | length'
  iptlens graph iptables-save.txt --table nat --from KUBE-SERVICES --output html > chains.html

--format picks the text output (dot, mermaid or json); --output markdown/html/json overrides it.`,
    )
    .action((inputs: string[], opts: { table?: TableName; from?: string; format: 'dot' | 'mermaid' | 'json'; family: 'ipv4' | 'ipv6' } & OutputOptionValues, command: Command) => {
      const output = outputSettings(opts);
      const progress = progressOn(io, output);
      progress.say('reading inputs');
      const node = loadNode(inputs);
      progress.clear();
      const errors = node.diagnostics.filter((d) => d.severity === 'error');
      const style = styleFor(io.stderr, io.env);
      for (const d of errors) io.stderr.write(output.scrub(renderDiagnostic(d, style)) + '\n');
      const ruleset = opts.family === 'ipv4' ? node.ipv4 : node.ipv6;
      if (!ruleset) {
        io.stderr.write(`iptlens: no ${opts.family} iptables-save input was given\n`);
        setExit(EXIT.inputError);
        return;
      }
      const graph = buildChainGraph(ruleset);
      let keep: (key: string) => boolean = opts.table ? (k) => graph.getNodeAttribute(k, 'table') === opts.table : () => true;
      if (opts.from) {
        const tables: TableName[] = opts.table ? [opts.table] : ['nat', 'filter', 'mangle', 'raw', 'security'];
        const table = tables.find((t) => graph.hasNode(chainKey(t, opts.from!)));
        if (!table) {
          io.stderr.write(output.scrub(`iptlens: chain ${opts.from} not found in ${tables.join(', ')}\n`));
          setExit(EXIT.inputError);
          return;
        }
        const reach = reachableFrom(graph, table, opts.from);
        keep = (k) => reach.has(k);
      }
      const text = (): string => (opts.format === 'dot' ? graphToDot(graph, keep) : opts.format === 'mermaid' ? graphToMermaid(graph, keep) : JSON.stringify(graphToJson(graph, keep), null, 2) + '\n');
      const scope = { family: opts.family, table: opts.table ?? null, from: opts.from ?? null };
      writeOutput(io, output, command, {
        text,
        json: () => graphToJson(graph, keep),
        document: (meta) => graphDocument(node, graph, keep, scope, opts.format === 'json' ? graphToDot(graph, keep) : text(), meta),
      });
      setExit(errors.length ? EXIT.inputError : EXIT.ok);
    });

  withOutputOptions(
    program
      .command('trace')
      .description('Trace a packet (or a class of packets) through the node as the kernel would: where it goes, DNAT, SNAT, and the rules that decided.')
      .argument('<inputs...>', 'a bundle, files of one node, or - for stdin')
      .requiredOption('--from <origin>', 'pod (arrives from a pod interface), host (a local process) or external (arrives on the uplink)')
      .option('--src <addr>', 'source address, prefix, list, or "any"')
      .requiredOption('--dst <addr>', 'destination address, prefix, list, or "any"')
      .option('-p, --proto <proto>', 'tcp, udp, sctp, icmp', 'tcp')
      .option('--dport <ports>', 'destination port or range (30000-32767)')
      .option('--sport <ports>', 'source port or range (default 40000)')
      .option('--in-iface <name>', 'the interface it arrives on (default from the snapshot)')
      .option('--state <state>', 'NEW (first packet: NAT applies) or ESTABLISHED', 'NEW')
      .option('--mark <mark>', 'packet mark when it enters')
      .option('--local-ip <addr...>', "addresses of the node, when the snapshot has no ip addr")
      .option('--assume-history', '-m recent --rcheck/--update: assume the source was seen before')
      .option('--max-paths <n>', 'cap on explored paths', '2048')
      .option('-q, --quiet', 'only the verdict lines'),
    'iptlens.trace/v1',
  )
    .addHelpText(
      'after',
      `
Examples:
  iptlens trace samples/iptables-current/ --from pod --src 10.244.1.5 --dst 10.96.0.10 -p udp --dport 53
  iptlens trace node.txt --from external --src any --dst 10.0.0.11 --dport 30080 --json
  iptlens trace iptables-save.txt --local-ip 10.0.0.11 --from host --src 10.0.0.11 --dst 10.0.0.100 --dport 80
  iptlens trace node-a/ --from pod --src 10.244.1.5 --dst 10.0.0.100 --dport 80 --output markdown --redact names

Each outcome is one line: egress eth0  10.244.1.5:40000 → 10.0.0.9:80 (no SNAT)  [p=1.0]`,
    )
    .action((inputs: string[], opts: Record<string, string | string[] | boolean | undefined>, command: Command) => {
      const output = outputSettings(opts as OutputOptionValues);
      const progress = progressOn(io, output);
      progress.say('reading inputs');
      const node = loadNode(inputs);
      progress.clear();
      const style = styleFor(io.stdout, io.env);
      const errors = node.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) io.stderr.write(output.scrub(renderDiagnostic(d, styleFor(io.stderr, io.env))) + '\n');
      const localIps: bigint[] = [];
      for (const text of (opts.localIp as string[] | undefined) ?? []) {
        const a = parseAddress(text);
        if (!a) {
          io.stderr.write(output.scrub(`iptlens: --local-ip ${text} is not an address\n`));
          setExit(EXIT.inputError);
          return;
        }
        localIps.push(a.first);
      }
      const words = {
        from: String(opts.from),
        dst: String(opts.dst),
        proto: opts.proto as string | undefined,
        assumeHistory: opts.assumeHistory === true,
        ...(opts.src !== undefined ? { src: String(opts.src) } : {}),
        ...(opts.dport !== undefined ? { dport: String(opts.dport) } : {}),
        ...(opts.sport !== undefined ? { sport: String(opts.sport) } : {}),
        ...(opts.inIface !== undefined ? { inIface: String(opts.inIface) } : {}),
        ...(opts.state !== undefined ? { state: String(opts.state) } : {}),
        ...(opts.mark !== undefined ? { mark: String(opts.mark) } : {}),
      };
      const parsed = probeFromWords(words, () => null);
      if (!parsed.ok) {
        for (const problem of parsed.problems) io.stderr.write(output.scrub(`iptlens trace: ${problem}\n`));
        setExit(EXIT.inputError);
        return;
      }
      const facts = nodeFacts(node, parsed.probe.family, { localIps });
      const maxPaths = Number(opts.maxPaths);
      progress.say('tracing');
      const result = trace(facts, parsed.probe, { maxPaths: Number.isFinite(maxPaths) && maxPaths > 0 ? maxPaths : 2048 });
      progress.clear();
      writeOutput(io, output, command, {
        text: () => traceReportText(result, style, !output.quiet),
        json: () => traceReportJson(result),
        document: (meta) => traceDocument(node, result, meta),
      });
      setExit(errors.length ? EXIT.inputError : EXIT.ok);
    });

  withOutputOptions(program.command('loopback'), 'iptlens.loopback/v1')
    .description('Simulate a pod calling a LoadBalancer address hop by hop (client node → LB → backend node → reply) and say whether it works.')
    .argument('<bundles...>', 'one bundle (directory or .tar.gz) per node')
    .requiredOption('--lb <ip[:port]>', 'the LoadBalancer address (and port) the pod calls')
    .option('--client <pod-ip>', 'the calling pod (default: an address of the client node\'s pod network)')
    .option('--client-node <name>', 'the node the client pod runs on (a bundle name)')
    .addOption(new Option('--lb-model <model>', 'how the load balancer forwards').choices(Object.keys(LB_MODELS)).default('tencent-clb'))
    .option('-p, --proto <proto>', 'tcp or udp', 'tcp')
    .option('--node-port <port>', 'the Service NodePort when the rules do not show it')
    .option('--lb-snat', 'the LB replaces the source address (L7 SNAT, NLB without client IP preservation)')
    .addHelpText(
      'after',
      `
Examples:
  iptlens loopback samples/ipvs-local samples/ipvs-local-node-b --lb 10.0.0.100:80 --client-node ipvs-local
  iptlens loopback samples/ipvs-cluster --lb 10.0.0.100:80 --lb-model tencent-clb --json

Verdicts: works, loopback, blackhole, short-circuit, health-check-failure. Exit status 1 when the verdict is loopback, blackhole or health-check-failure.`,
    )
    .action((bundles: string[], opts: { lb: string; client?: string; clientNode?: string; lbModel: string; proto: string; nodePort?: string; lbSnat?: boolean } & OutputOptionValues, command: Command) => {
      const output = outputSettings(opts);
      const nodes = loadNodes(bundles);
      const errStyle = styleFor(io.stderr, io.env);
      const errors = nodes.flatMap((n) => n.diagnostics.filter((d) => d.severity === 'error'));
      for (const d of errors) io.stderr.write(renderDiagnostic(d, errStyle) + '\n');
      const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(opts.lb.includes('.') ? opts.lb : opts.lb);
      const ipText = opts.lb.includes('.') ? opts.lb.split(':')[0]! : (m?.[1] ?? opts.lb);
      const portText = opts.lb.includes('.') ? opts.lb.split(':')[1] : m?.[2];
      const model = lbModel(opts.lbModel, opts.lbSnat ? { snat: true } : {});
      const proto = opts.proto === 'udp' ? 'udp' : 'tcp';
      if (!model) {
        io.stderr.write(`iptlens loopback: unknown --lb-model ${opts.lbModel}\n`);
        setExit(EXIT.inputError);
        return;
      }
      const answer = simulateLoopback({
        nodes,
        lb: { ip: ipText, port: portText ? Number(portText) : null, proto },
        client: { podIp: opts.client ?? null, node: opts.clientNode ?? null },
        model,
        nodePort: opts.nodePort ? Number(opts.nodePort) : null,
      });
      if (!answer.ok) {
        for (const p of answer.problems) io.stderr.write(`iptlens loopback: ${p}\n`);
        setExit(EXIT.inputError);
        return;
      }
      const result = answer.result;
      writeOutput(io, output, command, {
        text: () => loopbackReportText(result, styleFor(io.stdout, io.env)),
        json: () => loopbackReportJson(result),
        document: (meta) => loopbackDocument(nodes, result, meta),
      });
      const failing = ['loopback', 'blackhole', 'health-check-failure'].includes(answer.result.verdict);
      setExit(errors.length ? EXIT.inputError : failing ? EXIT.answerNo : EXIT.ok);
    });

  registerServicesCommand(program, io, setExit, loadNode);
  registerDoctorCommand(program, io, setExit, loadNodes);
  registerDiffCommand(program, io, setExit, loadNodes);
  registerCollectCommand(program, io);

  return program;
}

/** Runs the CLI; returns the exit code instead of exiting (tests call this). */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exitCode 0; usage errors were already printed.
      return error.exitCode === 0 ? EXIT.ok : EXIT.inputError;
    }
    io.stderr.write(`iptlens: internal error: ${(error as Error).message}\nPlease report it with the input that caused it.\n`);
    if (io.env.IPTLENS_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return EXIT.internal;
  }
}
