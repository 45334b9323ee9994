/** Messages about an input as a whole: what kind of text it is, and what to paste instead. */
import { defineMessages } from './define.js';

export const inputMessages = defineMessages({
  'input/empty': {
    severity: 'error',
    message: () => 'The input is empty: nothing to read.',
    help: 'Paste the output of `iptables-save` (and `ip6tables-save`), or give a bundle made by `iptlens collect`.',
  },
  'input/binary': {
    severity: 'error',
    message: (what: string) => `The input is binary data, not text (${what}).`,
    help: 'Give the text output of the commands (or a .tar/.tar.gz bundle of them), not a core file, image or archive of another kind.',
  },
  'input/unreadable': {
    severity: 'error',
    message: (path: string, reason: string) => `Cannot read ${path}: ${reason}.`,
  },
  'input/iptables-listing': {
    severity: 'error',
    message: (command: string, losses: string, instead: string) =>
      `This is \`${command}\` listing output, not iptables-save, so it was not read as rules. ${losses} Run \`${instead}\` on the node and paste that instead.`,
    help: 'Run `iptables-save` (and `ip6tables-save`) on the node and paste that instead.',
  },
  'input/nft-ruleset': {
    severity: 'error',
    message: () => 'This is `nft list ruleset` output (native nftables), which iptlens does not read.',
    help: 'If the node uses iptables-nft, `iptables-save` prints the same rules in the format iptlens reads; paste that.',
  },
  'input/line-too-long': {
    severity: 'warning',
    message: (length: number) => `This line is ${length} characters long; it is read, but it is not something iptables-save prints.`,
  },
  'input/not-yet-read': {
    severity: 'warning',
    message: (kind: string) => `This is ${kind} output; this version of iptlens recognises it but does not read it yet.`,
  },
  'node/set-not-in-dump': {
    severity: 'warning',
    message: (set: string) => `This rule matches ipset ${set}, which is not in the ipset dump (the kernel refuses a rule naming a missing set, so the dump is partial).`,
  },
  'node/ipvs-vip-not-bound': {
    severity: 'info',
    message: (vip: string) => `IPVS virtual service address ${vip} is not bound on any interface (kube-ipvs0): only traffic that reaches the node for it (NodePort, routed LB) is taken by IPVS.`,
  },
  'node/bound-without-ipvs-service': {
    severity: 'warning',
    message: (address: string) => `${address} is bound on kube-ipvs0 but no IPVS virtual service uses it: traffic to it is delivered to the node itself.`,
  },
  'node/interface-missing': {
    severity: 'warning',
    message: (iface: string) => `This rule names interface ${iface}, which ip addr does not show on this node.`,
  },
  'input/unrecognised': {
    severity: 'error',
    message: (firstLine: string) => `Cannot tell what this input is; it starts with: ${firstLine}`,
    help: 'iptlens reads iptables-save, ipset save/list, ipvsadm -Ln/-Sn, ip addr, ip route, ip rule and sysctl output.',
  },
});
