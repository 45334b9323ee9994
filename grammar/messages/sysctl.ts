/** Messages about sysctl input: `sysctl -a` output, sysctl.conf files, `grep . /proc/sys/…` output. */
import { defineMessages } from './define.js';

export const sysctlMessages = defineMessages({
  'sysctl/unexpected-character': {
    severity: 'error',
    message: (chars: string) => `Unexpected character ${JSON.stringify(chars)}; this line was not read.`,
  },
  'sysctl/syntax': {
    severity: 'error',
    message: (expected: string, found: string) => `Expected ${expected} but found ${found}; this line was not read.`,
    help: 'iptlens reads `sysctl -a` output ("key = value"), sysctl.conf lines ("key=value") and `grep . /proc/sys/…` output ("/proc/sys/…:value").',
  },
  'sysctl/prompt-line': {
    severity: 'info',
    message: (command: string) => `A shell prompt line was skipped${command ? `: \`${command}\`` : ''}.`,
  },
  'sysctl/sysctl-said': {
    severity: 'warning',
    message: (text: string) => `sysctl reported: ${text}; that setting has no value here, so its kernel default is assumed.`,
  },
  'sysctl/duplicate-key': {
    severity: 'warning',
    message: (key: string) => `${key} is set more than once; the last value is used, as \`sysctl -p\` applies lines in order.`,
  },
  'sysctl/bad-value': {
    severity: 'warning',
    message: (key: string, value: string, expected: string) =>
      `${key} = ${JSON.stringify(value)}: expected ${expected}; the kernel default is assumed instead.`,
  },
});
