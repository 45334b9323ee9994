/**
 * `iptlens services`: the Service catalogue of one node (src/k8s) as a table, with `--evidence`
 * the file:line of every fact, as the iptlens.services/v1 JSON document, or as a report for a
 * ticket (`--output markdown|html`). Thin: it reads the node, builds the catalogue and hands the
 * renderings (src/report/services) to the shared output options.
 */
import type { Command } from 'commander';
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import { buildServiceCatalogue } from '../../k8s/catalogue.js';
import { nodeDiagnosticsForServices, serviceInputsFromNode, type ServiceNode } from '../../k8s/inputs.js';
import type { NodeSnapshot } from '../../model/node.js';
import { parseCidr, type Cidr } from '../../model/values/address.js';
import { renderDiagnostic } from '../../report/diagnostics.js';
import { servicesDocument } from '../../report/services/document.js';
import { servicesReportJson } from '../../report/services/json.js';
import { servicesReportText } from '../../report/services/text.js';
import { styleFor } from '../../report/style.js';
import { outputSettings, progressOn, withOutputOptions, writeOutput, type OutputIo, type OutputOptionValues } from '../output-options.js';

/** The CLI's streams and environment (main.ts's Io fits). */
export type ServicesIo = OutputIo;

/** What the command needs of a loaded node. */
export type ServicesNode = ServiceNode & Pick<NodeSnapshot, 'name' | 'diagnostics'>;

const EXIT_OK = 0;
const EXIT_INPUT_ERROR = 2;

interface ServicesOptions extends OutputOptionValues {
  readonly evidence?: boolean;
  readonly namespace?: string;
  readonly nodeName?: string;
  readonly podCidr?: string[];
}

export function registerServicesCommand(
  program: Command,
  io: ServicesIo,
  setExit: (code: number) => void,
  loadNode: (operands: readonly string[]) => ServicesNode,
): Command {
  return withOutputOptions(
    program
      .command('services')
      .description(
        'List the Kubernetes Services kube-proxy programmed on a node: cluster, external and load-balancer IPs, NodePorts, endpoints (which are local), traffic policies and affinity, each fact with the rule it was read from.',
      )
      .argument('<inputs...>', "a bundle or the node's files (iptables-save, ip6tables-save, ipset save, ipvsadm -Ln, ip addr, kubectl JSON), or - for stdin")
      .option('--evidence', 'print under each Service the file:line of every fact')
      .option('-n, --namespace <namespace>', 'only Services of this namespace')
      .option('--node-name <name>', "this node's name in the cluster (finds its Node object and EndpointSlice endpoints)")
      .option('--pod-cidr <cidr...>', "this node's pod prefixes, when neither ip addr nor kubectl JSON shows them"),
    'iptlens.services/v1',
  )
    .addHelpText(
      'after',
      `
Examples:
  iptlens services samples/iptables-current/
  iptlens services samples/ipvs-local/ kubectl.json --evidence
  iptlens services iptables-save.txt ip-addr.txt --json
  kubectl get svc,endpointslices,nodes -A -o json > kubectl.json

Names come from rule comments; IPVS mode has none, so give kubectl JSON
(kubectl get svc,endpointslices,nodes -A -o json) to name its virtual services.
ENDPOINTS is local/total: "?" where the files do not tell which endpoints run on this node
(give ip addr, --pod-cidr, or kubectl JSON with --node-name).

Exit status: 0 when the catalogue was built, 2 when an input has errors or the proxy mode is
not readable (nftables). See docs/services.md.`,
    )
    .action((inputs: string[], opts: ServicesOptions, command: Command) => {
      const output = outputSettings(opts);
      const podCidrs: Cidr[] = [];
      for (const text of opts.podCidr ?? []) {
        const cidr = parseCidr(text);
        if (!cidr) {
          io.stderr.write(output.scrub(`iptlens services: --pod-cidr ${JSON.stringify(text)} is not an address prefix\n`));
          setExit(EXIT_INPUT_ERROR);
          return;
        }
        podCidrs.push(cidr);
      }
      const progress = progressOn(io, output);
      progress.say('reading inputs');
      const node = loadNode(inputs);
      progress.say('reading Services');
      const catalogue = buildServiceCatalogue(
        serviceInputsFromNode(node, { ...(opts.nodeName !== undefined ? { nodeName: opts.nodeName } : {}), ...(podCidrs.length ? { podCidrs } : {}) }),
      );
      progress.clear();
      const shown = opts.namespace === undefined ? catalogue : { ...catalogue, services: catalogue.services.filter((s) => s.namespace === opts.namespace) };
      const nodeProblems = nodeDiagnosticsForServices(node).filter((d) => d.severity !== 'info');
      const all: Diagnostic[] = [...nodeProblems, ...catalogue.diagnostics];
      if (output.format === 'text') {
        const errStyle = styleFor(io.stderr, io.env);
        for (const d of all) if (!output.quiet || d.severity === 'error') io.stderr.write(output.scrub(renderDiagnostic(d, errStyle)) + '\n');
      }
      writeOutput(io, output, command, {
        text: () => servicesReportText(shown, { style: styleFor(io.stdout, io.env), evidence: opts.evidence === true }),
        json: () => servicesReportJson(node.name, shown, nodeProblems),
        document: (meta) => servicesDocument(node.name, node.inputs.map((i) => i.source), shown, nodeProblems, meta),
      });
      setExit(all.some((d) => d.severity === 'error') ? EXIT_INPUT_ERROR : EXIT_OK);
    });
}
