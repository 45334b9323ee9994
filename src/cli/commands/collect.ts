/**
 * `iptlens collect`: prints the read-only collection script, or the `kubectl debug` one-liner
 * that runs it on a node. It runs nothing itself (src/model/input/collect.ts builds the text;
 * docs/collect.md explains both).
 */
import type { Command } from 'commander';
import { collectScript, kubectlDebugCommand } from '../../model/input/collect.js';
import { VERSION } from '../../version.js';

/** What the command writes to: the CLI's streams (main.ts's Io fits). */
export interface CollectIo {
  readonly stdout: { write(s: string): unknown };
}

/** The placeholder printed when --kubectl is given without --node. */
const NODE_PLACEHOLDER = 'NODE';

/** A node name is a DNS subdomain (RFC 1123): what `kubectl get nodes` can print. */
const NODE_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function registerCollectCommand(program: Command, io: CollectIo): Command {
  return program
    .command('collect')
    .description(
      "Print a read-only shell script that gathers a node's netfilter state (iptables-save, ipset, ipvsadm, ip addr/route/rule, sysctls, conntrack -S, kube-proxy mode) into one .tar.gz bundle; it runs nothing itself.",
    )
    .option('--kubectl', 'print the kubectl debug one-liner that runs the script on a node and saves the bundle locally')
    .option('--node <name>', 'the node for the one-liner (implies --kubectl)')
    .addHelpText(
      'after',
      `
Examples:
  iptlens collect > collect.sh          # copy to the node, then: sudo sh collect.sh
  sudo sh collect.sh --stdout > node-a.tar.gz
  iptlens collect --kubectl --node node-a
  iptlens collect | kubectl debug node/node-a --profile=sysadmin -i --quiet --image=busybox:1.36 -- chroot /host sh -s -- --stdout > node-a.tar.gz
  iptlens trace node-a.tar.gz --from pod --src 10.244.1.5 --dst 10.96.0.10 -p udp --dport 53

The script only reads: it changes no rule, set, route or sysctl and loads no kernel module.
It writes iptlens-<hostname>-<UTC time>.tar.gz in the current directory (or the .tar.gz to
stdout with --stdout); MANIFEST inside lists each command, its exit status and what was missing.
kubectl debug leaves its pod (node-debugger-<node>-xxxxx) behind: see docs/collect.md.`,
    )
    .action((opts: { kubectl?: boolean; node?: string }, command: Command) => {
      if (opts.node !== undefined && !NODE_NAME.test(opts.node)) {
        command.error(`iptlens collect: --node ${JSON.stringify(opts.node)} is not a Kubernetes node name (lowercase letters, digits, '-' and '.')`, { exitCode: 2 });
      }
      if (opts.kubectl === true || opts.node !== undefined) {
        io.stdout.write(kubectlDebugCommand(opts.node ?? NODE_PLACEHOLDER) + '\n');
        return;
      }
      io.stdout.write(collectScript({ version: VERSION }));
    });
}
