/**
 * `iptlens services`: the Service catalogue of one node (src/k8s) as a table, with `--evidence`
 * the file:line of every fact, or as the iptlens.services/v1 JSON document. Thin: it reads the
 * node, builds the catalogue and prints a report (src/report/services).
 */
import { Option, type Command } from 'commander';
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import { buildServiceCatalogue } from '../../k8s/catalogue.js';
import { nodeDiagnosticsForServices, serviceInputsFromNode, type ServiceNode } from '../../k8s/inputs.js';
import type { NodeSnapshot } from '../../model/node.js';
import { parseCidr, type Cidr } from '../../model/values/address.js';
import { renderDiagnostic } from '../../report/diagnostics.js';
import { servicesReportJson } from '../../report/services/json.js';
import { servicesReportText } from '../../report/services/text.js';
import { styleFor } from '../../report/style.js';

/** The CLI's streams and environment (main.ts's Io fits). */
export interface ServicesIo {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: Record<string, string | undefined>;
}

/** What the command needs of a loaded node. */
export type ServicesNode = ServiceNode & Pick<NodeSnapshot, 'name' | 'diagnostics'>;

const EXIT_OK = 0;
const EXIT_INPUT_ERROR = 2;

export function registerServicesCommand(
  program: Command,
  io: ServicesIo,
  setExit: (code: number) => void,
  loadNode: (operands: readonly string[]) => ServicesNode,
): Command {
  return program
    .command('services')
    .description(
      "List the Kubernetes Services kube-proxy programmed on a node: cluster, external and load-balancer IPs, NodePorts, endpoints (which are local), traffic policies and affinity, each fact with the rule it was read from.",
    )
    .argument('<inputs...>', 'a bundle or the node\'s files (iptables-save, ip6tables-save, ipset save, ipvsadm -Ln, ip addr, kubectl JSON), or - for stdin')
    .option('--evidence', 'print under each Service the file:line of every fact')
    .option('-n, --namespace <namespace>', 'only Services of this namespace')
    .option('--node-name <name>', "this node's name in the cluster (finds its Node object and EndpointSlice endpoints)")
    .option('--pod-cidr <cidr...>', "this node's pod prefixes, when neither ip addr nor kubectl JSON shows them")
    .option('--json', 'print the iptlens.services/v1 JSON document')
    .addOption(new Option('--output <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  iptlens services samples/iptables-current/iptables-save.txt samples/iptables-current/ip-addr.txt
  iptlens services node-a.tar.gz --evidence
  iptlens services ipset-save.txt ipvsadm-Ln.txt iptables-save.txt kubectl.json --json
  kubectl get svc,endpointslices,nodes -A -o json > kubectl.json

Names come from rule comments; IPVS mode has none, so give kubectl JSON
(kubectl get svc,endpointslices,nodes -A -o json) to name its virtual services.
ENDPOINTS is local/total: "?" where the files do not tell which endpoints run on this node
(give ip addr, or --pod-cidr, or kubectl JSON with --node-name).

Exit status: 0 when the catalogue was built, 2 when an input has errors or the proxy mode is
not readable (nftables).`,
    )
    .action((inputs: string[], opts: { evidence?: boolean; namespace?: string; nodeName?: string; podCidr?: string[]; json?: boolean; output: string }, command: Command) => {
      const podCidrs: Cidr[] = [];
      for (const text of opts.podCidr ?? []) {
        const cidr = parseCidr(text);
        if (!cidr) command.error(`iptlens services: --pod-cidr ${JSON.stringify(text)} is not an address prefix`, { exitCode: EXIT_INPUT_ERROR });
        else podCidrs.push(cidr);
      }
      const node = loadNode(inputs);
      const catalogue = buildServiceCatalogue(
        serviceInputsFromNode(node, { ...(opts.nodeName !== undefined ? { nodeName: opts.nodeName } : {}), ...(podCidrs.length ? { podCidrs } : {}) }),
      );
      const shown = opts.namespace === undefined ? catalogue : { ...catalogue, services: catalogue.services.filter((s) => s.namespace === opts.namespace) };
      const nodeProblems = nodeDiagnosticsForServices(node).filter((d) => d.severity !== 'info');
      const all: Diagnostic[] = [...nodeProblems, ...catalogue.diagnostics];
      if (opts.json || opts.output === 'json') {
        io.stdout.write(JSON.stringify(servicesReportJson(node.name, shown, nodeProblems), null, 2) + '\n');
      } else {
        const errStyle = styleFor(io.stderr, io.env);
        for (const d of all) io.stderr.write(renderDiagnostic(d, errStyle) + '\n');
        io.stdout.write(servicesReportText(shown, { style: styleFor(io.stdout, io.env), evidence: opts.evidence === true }));
      }
      setExit(all.some((d) => d.severity === 'error') ? EXIT_INPUT_ERROR : EXIT_OK);
    });
}
