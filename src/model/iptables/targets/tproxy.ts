/** `-j TPROXY` (revision 1, mangle PREROUTING), libxt_TPROXY.c: deliver to a local socket, optionally marking. */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { parseAddress } from '../../values/address.js';
import { formatAddressNtop } from '../../values/inet-ntop.js';
import { formatHex, parseMark } from '../../values/mark.js';
import { parseServicePort } from '../../values/services.js';

const options = [valueDef(['--on-port']), valueDef(['--on-ip']), valueDef(['--tproxy-mark'])];

export const tproxyTarget: TargetModule<'TPROXY'> = {
  kind: 'TPROXY',
  name: 'TPROXY',
  options,
  tables: ['mangle'],
  build(base, ctx) {
    checkTable('Target TPROXY', ['mangle'], ctx, base.at);
    const r = new OptionReader(base.options, ctx, 'target TPROXY', options);
    if (!r.has('--on-port')) ctx.report('iptables/missing-option', base.at, 'Target TPROXY', '--on-port');
    const port = r.value('--on-port', parseServicePort, 'a port');
    const ip = r.value('--on-ip', (t) => parseAddress(t, ctx.family)?.first ?? null, `an ${ctx.family} address`);
    const mark = r.value('--tproxy-mark', parseMark, 'value[/mask] (32-bit numbers)');
    return {
      kind: 'TPROXY',
      ...base,
      port: port?.value ?? 0,
      ip: ip?.value ?? 0n,
      // tproxy_tg_init: mark and mask 0 unless given; a bare value has mask 0xffffffff.
      mark: mark?.value ?? { value: 0, mask: 0 },
      unread: r.finish(),
    };
  },
  // tproxy_tg_save_v1: --on-port P --on-ip A --tproxy-mark 0xV/0xM, all three always.
  print: (t, ctx) => [
    opt('--on-port', t.port),
    opt('--on-ip', formatAddressNtop(ctx.family, t.ip)),
    opt('--tproxy-mark', `${formatHex(t.mark.value)}/${formatHex(t.mark.mask)}`),
  ],
};
