/** `-j TCPMSS`, libxt_TCPMSS.c: set or clamp the MSS of TCP SYNs (needs `-p tcp`). */
import type { TargetModule } from './module.js';
import { opt } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';
import { parseDecimal } from '../../values/range.js';

const options = [valueDef(['--set-mss']), flagDef(['--clamp-mss-to-pmtu'])];

export const tcpmssTarget: TargetModule<'TCPMSS'> = {
  kind: 'TCPMSS',
  name: 'TCPMSS',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target TCPMSS', options);
    const set = r.value('--set-mss', (t) => parseDecimal(t, 0xffff), 'an MSS (0-65535)');
    let clamp = r.take('--clamp-mss-to-pmtu');
    if (set && clamp) {
      r.conflict(clamp, '--set-mss');
      clamp = undefined;
    }
    if (!set && !clamp && !r.has('--set-mss')) ctx.report('iptables/missing-option', base.at, 'Target TCPMSS', '--set-mss or --clamp-mss-to-pmtu');
    if (ctx.protocol?.number !== 6) ctx.report('iptables/missing-option', base.at, 'Target TCPMSS', '-p tcp');
    return { kind: 'TCPMSS', ...base, mss: set ? set.value : clamp ? 'pmtu' : null, unread: r.finish() };
  },
  // TCPMSS_save: --clamp-mss-to-pmtu | --set-mss N.
  print: (t) => (t.mss === 'pmtu' ? [opt('--clamp-mss-to-pmtu')] : t.mss === null ? [] : [opt('--set-mss', t.mss)]),
};
