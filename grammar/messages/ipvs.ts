/** Messages about ipvsadm text (`ipvsadm -Ln` listings, `ipvsadm -Sn` / `ipvsadm -R` commands) and the IPVS table built from it. */
import { defineMessages } from './define.js';

export const ipvsMessages = defineMessages({
  'ipvs/unexpected-character': {
    severity: 'error',
    message: (chars: string) => `Unexpected character ${JSON.stringify(chars)}: ipvsadm prints no such text; this line was not read.`,
  },
  'ipvs/syntax': {
    severity: 'error',
    message: (expected: string, found: string) => `Expected ${expected} but found ${found}; this line was not read.`,
  },
  'ipvs/prompt-line': {
    severity: 'info',
    message: (text: string) => `A shell prompt line (${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}), not ipvsadm output; prompt line skipped.`,
  },
  'ipvs/elided-output': {
    severity: 'warning',
    message: () => 'Elided output: whoever pasted this cut lines out here ("..."); virtual services or real servers may be missing.',
    help: 'Paste the complete output of `ipvsadm -Ln` (or `ipvsadm -Sn`) from the node.',
  },
  'ipvs/missing-title': {
    severity: 'warning',
    message: () =>
      'Five numbers without the column title line ("Prot LocalAddress:Port Conns InPkts …"): they were read as the columns of `ipvsadm -Ln --stats`; if this was `--rate` output, the counters are rates.',
  },
  'ipvs/ambiguous-columns': {
    severity: 'error',
    message: () =>
      'Four numbers without the column title line: `--thresholds` and `--persistent-conn` print the same shape, so their meaning is unknown; this line was not read.',
  },
  'ipvs/columns-mismatch': {
    severity: 'error',
    message: (found: string, expected: string) =>
      `This line has ${found}, but the title line above announces ${expected}; this line was not read.`,
  },
  'ipvs/orphan-real-server': {
    severity: 'error',
    message: () => 'A real server line ("  -> …") before any virtual service line; this line was not read.',
  },
  'ipvs/real-server-skipped': {
    severity: 'warning',
    message: () => 'A real server of a virtual service line that could not be read; this line was not read either.',
  },
  'ipvs/host-name': {
    severity: 'warning',
    message: (name: string) =>
      `"${name}" is a host name (ipvsadm prints names unless given \`-n\`): names are not resolvable offline; the text was kept, and lookups by address will not find it.`,
    help: 'Run `ipvsadm -Ln` (with -n) so that addresses and ports are printed as numbers.',
  },
  'ipvs/port-name': {
    severity: 'info',
    message: (name: string, port: number) =>
      `Port "${name}" is a service name (ipvsadm prints names unless given \`-n\`); read as its IANA number ${port}.`,
  },
  'ipvs/unknown-port-name': {
    severity: 'warning',
    message: (name: string) =>
      `Port "${name}" is a service name that iptlens cannot resolve offline (it comes from the node's /etc/services); the text was kept, and lookups by port will not find it.`,
    help: 'Run `ipvsadm -Ln` (with -n) so that ports are printed as numbers.',
  },
  'ipvs/missing-port': {
    severity: 'warning',
    message: (text: string) =>
      `"${text}" has no port: ipvsadm cuts names in listings (28 characters for real servers, 33 for services with their protocol); the port is unknown.`,
  },
  'ipvs/bad-address': {
    severity: 'error',
    message: (text: string) => `"${text}" is neither an IPv4 or IPv6 address nor a host name; this line was not read.`,
  },
  'ipvs/bad-value': {
    severity: 'error',
    message: (what: string, value: string, expected: string) =>
      `${what} ${JSON.stringify(value)}: expected ${expected}; this line was not read.`,
  },
  'ipvs/null-forward': {
    severity: 'warning',
    message: () =>
      'Forwarding method "(null)": ipvsadm has no name for it (it prints NULL); the only other method the kernel defines is IP_VS_CONN_F_BYPASS, so it was read as bypass.',
  },
  'ipvs/duplicate-service': {
    severity: 'warning',
    message: (service: string) =>
      `Virtual service ${service} is listed twice (two listings pasted together?); the second replaces the first.`,
  },
  'ipvs/duplicate-real-server': {
    severity: 'warning',
    message: (server: string, service: string) =>
      `Real server ${server} is listed twice under ${service}; the second replaces the first.`,
  },
  'ipvs/unknown-option': {
    severity: 'error',
    message: (option: string) => `${option} is not an ipvsadm option; this line was not applied.`,
  },
  'ipvs/restore-refused': {
    severity: 'error',
    message: (why: string) => `\`ipvsadm -R\` would refuse this line ("${why}"); it was not applied.`,
  },
  'ipvs/ignored-command': {
    severity: 'warning',
    message: (command: string) => `${command} does not change the virtual server table; this line was ignored.`,
  },
  'ipvs/port-ignored': {
    severity: 'info',
    message: (port: string, servicePort: number) =>
      `Real server port ${port} is not used: with direct routing or tunnelling ipvsadm gives the real server the service's port (${servicePort}).`,
  },
});
