/**
 * `iptlens diff <A> <B>`: what two nodes differ in, structurally and in how they treat every
 * Service probe (src/diff), printed as text or the iptlens.diff/v1 JSON document
 * (src/report/diff). Thin: reads the two nodes, diffs them, prints. Exit status as diff(1): 0
 * when equivalent, 1 when they differ, 2 on input or usage errors.
 */
import { Option, type Command } from 'commander';
import { diffNodes } from '../../diff/index.js';
import type { NodeHints } from '../../diff/types.js';
import type { NodeSnapshot } from '../../model/node.js';
import { parseAddress, parseCidr, type Cidr } from '../../model/values/address.js';
import { renderDiagnostic } from '../../report/diagnostics.js';
import { diffReportJson } from '../../report/diff/json.js';
import { diffReportText } from '../../report/diff/text.js';
import { styleFor } from '../../report/style.js';

/** The CLI's streams and environment (main.ts's Io fits). */
export interface DiffIo {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: Record<string, string | undefined>;
}

const EXIT_EQUIVALENT = 0;
const EXIT_DIFFERENT = 1;
const EXIT_INPUT_ERROR = 2;

interface DiffOptionValues {
  readonly json?: boolean;
  readonly output: string;
  readonly quiet?: boolean;
  readonly allProbes?: boolean;
  readonly matchIdentity: boolean;
  readonly maxPaths: string;
  readonly aNodeIp?: string;
  readonly bNodeIp?: string;
  readonly aPodCidr?: string;
  readonly bPodCidr?: string;
}

export function registerDiffCommand(
  program: Command,
  io: DiffIo,
  setExit: (code: number) => void,
  loadNodes: (operands: readonly string[]) => NodeSnapshot[],
): Command {
  return program
    .command('diff')
    .description(
      'Compare two nodes: their tables, chains and rules matched by meaning (counters ignored, KUBE-SEP- chains paired by endpoint), ipsets, IPVS, local addresses, routes and sysctls, grouped by Kubernetes Service; and every Service probe traced on both, showing where the paths part when the outcomes differ.',
    )
    .argument('<a>', 'node A: a bundle (directory or .tar.gz), or one file')
    .argument('<b>', 'node B: the same')
    .option('--json', 'print the iptlens.diff/v1 JSON document')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-q, --quiet', 'one line per change and per probe (no side-by-side paths)')
    .option('--all-probes', 'trace every probe on both nodes, also those no difference can reach (slow on large nodes; same answer)')
    .option('--no-match-identity', "compare the nodes' own addresses literally (by default A's node address, pod bridge address and pod prefix are matched to B's)")
    .option('--max-paths <n>', 'cap on explored paths per trace', '512')
    .option('--a-node-ip <addr>', "A's node address, when its files have no ip addr")
    .option('--b-node-ip <addr>', "B's node address, when its files have no ip addr")
    .option('--a-pod-cidr <cidr>', "A's pod prefix (where pod probes come from), when its files do not show it")
    .option('--b-pod-cidr <cidr>', "B's pod prefix")
    .addHelpText(
      'after',
      `
Examples:
  iptlens diff samples/ipvs-local samples/ipvs-cluster
  iptlens diff node-a.tar.gz node-b.tar.gz --json > diff.json
  iptlens diff node-a/ node-b/ --quiet
  iptlens diff a-iptables-save.txt b-iptables-save.txt --a-node-ip 10.0.0.11 --b-node-ip 10.0.0.12 --a-pod-cidr 10.244.1.0/24 --b-pod-cidr 10.244.2.0/24

Probes: every cluster IP, external IP and load-balancer IP at its port, and each node's own
address at every NodePort, sent from a pod of the node, from the node itself and from outside
(203.0.113.50), plus any outside source to each load-balancer IP. A probe that no difference can
reach is not traced (its outcome is the same on both nodes by construction); --all-probes traces
it anyway.

Exit status: 0 when the nodes are equivalent, 1 when they differ, 2 on input or usage errors.`,
    )
    .action((a: string, b: string, opts: DiffOptionValues, command: Command) => {
      const hints = (side: 'a' | 'b'): NodeHints => {
        const ipText = side === 'a' ? opts.aNodeIp : opts.bNodeIp;
        const cidrText = side === 'a' ? opts.aPodCidr : opts.bPodCidr;
        let nodeIp: Cidr | undefined;
        let podCidr: Cidr | undefined;
        if (ipText !== undefined) {
          const ip = parseAddress(ipText);
          if (!ip) command.error(`iptlens diff: --${side}-node-ip ${JSON.stringify(ipText)} is not an address`, { exitCode: EXIT_INPUT_ERROR });
          else nodeIp = ip;
        }
        if (cidrText !== undefined) {
          const cidr = parseCidr(cidrText);
          if (!cidr) command.error(`iptlens diff: --${side}-pod-cidr ${JSON.stringify(cidrText)} is not an address prefix`, { exitCode: EXIT_INPUT_ERROR });
          else podCidr = cidr;
        }
        return { ...(nodeIp !== undefined ? { nodeIp } : {}), ...(podCidr !== undefined ? { podCidr } : {}) };
      };
      const maxPaths = Number(opts.maxPaths);
      if (!Number.isInteger(maxPaths) || maxPaths < 1) command.error(`iptlens diff: --max-paths must be a positive whole number (got ${JSON.stringify(opts.maxPaths)})`, { exitCode: EXIT_INPUT_ERROR });
      const hintsA = hints('a');
      const hintsB = hints('b');
      // Each operand is one node, whether a bundle or a single file.
      const nodeA = loadNodes([a])[0];
      const nodeB = loadNodes([b])[0];
      if (!nodeA || !nodeB) {
        io.stderr.write('iptlens diff: two nodes are needed\n');
        setExit(EXIT_INPUT_ERROR);
        return;
      }
      const errStyle = styleFor(io.stderr, io.env);
      const errors = [nodeA, nodeB].flatMap((n) => n.diagnostics.filter((d) => d.severity === 'error'));
      for (const d of errors) io.stderr.write(renderDiagnostic(d, errStyle) + '\n');
      const result = diffNodes(nodeA, nodeB, { a: hintsA, b: hintsB, exhaustive: opts.allProbes === true, matchIdentity: opts.matchIdentity, maxPaths });
      if (opts.json || opts.output === 'json') io.stdout.write(JSON.stringify(diffReportJson(result), null, 2) + '\n');
      else io.stdout.write(diffReportText(result, { style: styleFor(io.stdout, io.env), quiet: opts.quiet === true }));
      setExit(errors.length ? EXIT_INPUT_ERROR : result.equivalent ? EXIT_EQUIVALENT : EXIT_DIFFERENT);
    });
}
