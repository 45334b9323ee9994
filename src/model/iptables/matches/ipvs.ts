/**
 * `-m ipvs`, libxt_ipvs.c: properties of the IPVS connection a packet belongs to. Every `--v*`
 * option implies `--ipvs`, and iptables-save prints `--ipvs` only when it stands alone.
 */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { parseProtocol } from '../protocol.js';
import { parseCidr } from '../../values/address.js';
import { formatCidrNtop } from '../../values/inet-ntop.js';
import { parseServicePort } from '../../values/services.js';

const options = [
  flagDef(['--ipvs'], true),
  valueDef(['--vproto'], true),
  valueDef(['--vaddr'], true),
  valueDef(['--vport'], true),
  valueDef(['--vdir']),
  valueDef(['--vmethod'], true),
  valueDef(['--vportctl'], true),
];

export const ipvsModule: MatchModule<'ipvs'> = {
  kind: 'ipvs',
  name: 'ipvs',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module ipvs', options);
    const ipvs = r.flag('--ipvs');
    const vproto = r.value('--vproto', parseProtocol, 'a protocol name or number');
    const vaddr = r.value('--vaddr', (t) => parseCidr(t, ctx.family), `an ${ctx.family} address[/mask]`);
    const vport = r.value('--vport', parseServicePort, 'a port');
    const vdir = r.value('--vdir', (t) => (t === 'ORIGINAL' || t === 'REPLY' ? t : null), 'ORIGINAL or REPLY');
    const vmethod = r.value('--vmethod', (t) => (t === 'GATE' || t === 'IPIP' || t === 'MASQ' ? t : null), 'GATE, IPIP or MASQ');
    const vportctl = r.value('--vportctl', parseServicePort, 'a port');
    const others = vproto || vaddr || vport || vdir || vmethod || vportctl;
    // XT_IPVS_IPVS_PROPERTY is implied by any other option; only a negated one changes anything.
    const keepIpvs = ipvs && (!others || ipvs.negated);
    return {
      kind: 'ipvs',
      ...base,
      ...(keepIpvs && { ipvs }),
      ...(vproto && { vproto: { protocol: vproto.value.number ?? 0, negated: vproto.negated } }),
      ...(vaddr && { vaddr: { cidr: vaddr.value, negated: vaddr.negated } }),
      ...(vport && { vport: { port: vport.value, negated: vport.negated } }),
      ...(vdir && { vdir: vdir.value }),
      ...(vmethod && { vmethod: { method: vmethod.value, negated: vmethod.negated } }),
      ...(vportctl && { vportctl: { port: vportctl.value, negated: vportctl.negated } }),
      unread: r.finish(),
    };
  },
  // ipvs_mt_save: --ipvs (alone), --vproto N, --vaddr, --vport, --vdir, --vmethod, --vportctl.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.ipvs) out.push(negOpt(m.ipvs.negated, '--ipvs'));
    if (m.vproto) out.push(negOpt(m.vproto.negated, '--vproto', m.vproto.protocol));
    if (m.vaddr) out.push(negOpt(m.vaddr.negated, '--vaddr', formatCidrNtop(m.vaddr.cidr)));
    if (m.vport) out.push(negOpt(m.vport.negated, '--vport', m.vport.port));
    if (m.vdir) out.push(opt('--vdir', m.vdir));
    if (m.vmethod) out.push(negOpt(m.vmethod.negated, '--vmethod', m.vmethod.method));
    if (m.vportctl) out.push(negOpt(m.vportctl.negated, '--vportctl', m.vportctl.port));
    return out;
  },
};
