/** Whatever the text, the line parsers of this area return, and every diagnostic points inside the text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpAddrText } from '../../../grammar/iproute/parse-addr.js';
import { parseIpRouteText } from '../../../grammar/iproute/parse-route.js';
import { parseIpRuleText } from '../../../grammar/iproute/parse-rule.js';
import { parseIptablesListingText } from '../../../grammar/iptables-listing/parse.js';
import { parseSysctlText } from '../../../grammar/sysctl/parse.js';
import type { Diagnostic } from '../../../grammar/diagnostics.js';

/** Fragments of the formats, so that random texts come close to real ones. */
const fragments = [
  '1:', ' lo:', ' <UP,LOWER_UP>', ' mtu', ' 1500', '\n', '    ', '\t', ' inet', ' inet6', ' 10.0.0.3/24', ' fe80::1/64', ' brd', ' scope',
  ' global', ' valid_lft', ' forever', ' link/ether', ' \\', ' default', ' via', ' dev', ' eth0', ' nexthop', ' weight', ' local', ' table',
  ' 500', ' from', ' all', ' not', ' lookup', ' fwmark', ' 0x1/0x1', ' [detached]', '$ ip r', '# x', ' = ', '=', ':', ' net.ipv4.ip_forward',
  '/proc/sys/a/b', 'sysctl: error', 'Chain X', ' (policy ACCEPT 0 packets, 0 bytes)', ' (2 references)', ' target', ' prot', ' opt', ' source',
  ' destination', ' --', ' -f', ' !lo', ' *', ' /* c */', '[{"ifname":"x"', '}]', ',', '"', '{', '\r', '\u0000', 'é', ' UP', ' DOWN',
];

const texts = fc.array(fc.constantFrom(...fragments), { maxLength: 40 }).map((parts) => parts.join(''));

function inside(text: string, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    if (!d.at) continue;
    expect(d.at.start).toBeGreaterThanOrEqual(0);
    expect(d.at.end).toBeGreaterThanOrEqual(d.at.start);
    expect(d.at.end).toBeLessThanOrEqual(text.length);
  }
}

describe('line parsers on arbitrary text', () => {
  it('never throw, and locate every diagnostic inside the text', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const source = { name: 'fuzz', text };
        inside(text, parseIpAddrText(source).diagnostics);
        inside(text, parseIpRouteText(source).diagnostics);
        inside(text, parseIpRuleText(source).diagnostics);
        inside(text, parseSysctlText(source).diagnostics);
        inside(text, parseIptablesListingText(source).diagnostics);
      }),
      { numRuns: 300 },
    );
  });

  it('report every non-blank line they cannot read', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('zz top', 'x = ', 'x {}', 'Chain', '1:', '  nexthop'), { minLength: 1, maxLength: 8 }), (lines) => {
        const text = lines.join('\n');
        const result = parseIpRuleText({ name: 'fuzz', text });
        // None of these is an `ip rule` line (nor the start of `ip -j` JSON): one error each.
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        expect(result.rules).toEqual([]);
        expect(errors).toHaveLength(lines.length);
      }),
      { numRuns: 100 },
    );
  });
});
