/** `-j REJECT`, libipt_REJECT.c / libip6t_REJECT.c: drop and answer; the kernel allows INPUT, FORWARD, OUTPUT. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';

const options = [valueDef(['--reject-with'])];

/** reject_table_xlate names: canonical first, then the aliases iptables accepts. */
const IPV4: readonly (readonly string[])[] = [
  ['icmp-net-unreachable', 'net-unreach'],
  ['icmp-host-unreachable', 'host-unreach'],
  ['icmp-proto-unreachable', 'proto-unreach'],
  ['icmp-port-unreachable', 'port-unreach'],
  ['icmp-net-prohibited', 'net-prohib'],
  ['icmp-host-prohibited', 'host-prohib'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp-admin-prohibited', 'admin-prohib'],
];
const IPV6: readonly (readonly string[])[] = [
  ['icmp6-no-route', 'no-route'],
  ['icmp6-adm-prohibited', 'adm-prohibited'],
  ['icmp6-addr-unreachable', 'addr-unreach'],
  ['icmp6-port-unreachable', 'port-unreach'],
  ['tcp-reset', 'tcp-rst'],
  ['icmp6-policy-fail', 'policy-fail'],
  ['icmp6-reject-route', 'reject-route'],
];

export const rejectTarget: TargetModule<'REJECT'> = {
  kind: 'REJECT',
  name: 'REJECT',
  options,
  build(base, ctx) {
    const table = ctx.family === 'ipv4' ? IPV4 : IPV6;
    const r = new OptionReader(base.options, ctx, 'target REJECT', options);
    const read = r.value('--reject-with', (t) => table.find((names) => names.includes(t))?.[0] ?? null, table.map((n) => n[0]).join(', '));
    const withName = read?.value ?? (ctx.family === 'ipv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable');
    // reject_tg_check: "TCP_RESET invalid for non-tcp".
    if (withName === 'tcp-reset' && ctx.protocol?.number !== 6) ctx.report('iptables/missing-option', base.at, 'REJECT --reject-with tcp-reset', '-p tcp');
    return { kind: 'REJECT', ...base, with: withName, unread: r.finish() };
  },
  // REJECT_save: --reject-with NAME, the default included.
  print: (t) => [opt('--reject-with', t.with)],
};
