/** `-j TEE --gateway ADDRESS [--oif IFACE]`, libxt_TEE.c: send a copy of the packet. */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { parseAddress } from '../../values/address.js';
import { formatAddressNtop } from '../../values/inet-ntop.js';

const options = [valueDef(['--gateway']), valueDef(['--oif'])];

export const teeTarget: TargetModule<'TEE'> = {
  kind: 'TEE',
  name: 'TEE',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target TEE', options);
    if (!r.has('--gateway')) ctx.report('iptables/missing-option', base.at, 'Target TEE', '--gateway');
    const gateway = r.value('--gateway', (t) => parseAddress(t, ctx.family), `an ${ctx.family} address`);
    const oif = r.value('--oif', (t) => (t.length > 0 && t.length < 16 ? t : null), 'an interface name');
    return { kind: 'TEE', ...base, gateway: gateway?.value ?? null, ...(oif && { oif: oif.value }), unread: r.finish() };
  },
  // tee_tg_save: --gateway A [--oif I].
  print: (t) => {
    const out: PrintedOption[] = [];
    if (t.gateway) out.push(opt('--gateway', formatAddressNtop(t.gateway.family, t.gateway.first)));
    if (t.oif !== undefined) out.push(opt('--oif', t.oif));
    return out;
  },
};
