/**
 * `-j DNAT` and `-j SNAT` (libxt_NAT.c). The kernel allows DNAT in nat PREROUTING/OUTPUT and SNAT
 * in nat POSTROUTING/INPUT (and chains reached only from them); the table is checked here, the
 * chains need the call graph.
 */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { flagDef, OptionReader, valueDef } from '../matches/read.js';
import { checkTable } from '../matches/check.js';
import { formatNatRange, parseNatRange, PORT_PROTOCOLS } from './nat-range.js';

export function natTarget<K extends 'DNAT' | 'SNAT'>(kind: K): TargetModule<K> {
  const toOption = kind === 'DNAT' ? '--to-destination' : '--to-source';
  const options = [
    valueDef([toOption]),
    flagDef(['--random']),
    ...(kind === 'SNAT' ? [flagDef(['--random-fully'])] : []),
    flagDef(['--persistent']),
  ];
  return {
    kind,
    name: kind,
    options,
    tables: ['nat'],
    build(base, ctx) {
      checkTable(`Target ${kind}`, ['nat'], ctx, base.at);
      const r = new OptionReader(base.options, ctx, `target ${kind}`, options);
      if (!r.has(toOption)) ctx.report('iptables/missing-option', base.at, `Target ${kind}`, toOption);
      const read = r.value(toOption, (t) => parseNatRange(t, ctx.family), `[address[-address]][:port[-port]]`);
      if (read?.value.ports && !PORT_PROTOCOLS.includes(ctx.protocol?.number ?? -1)) {
        ctx.report('iptables/missing-option', read.option, `${kind} with a port`, '-p tcp, udp, sctp or dccp');
      }
      const k: 'DNAT' | 'SNAT' = kind;
      return {
        kind: k,
        ...base,
        ranges: read ? [read.value] : [],
        random: r.take('--random') !== undefined,
        randomFully: kind === 'SNAT' && r.take('--random-fully') !== undefined,
        persistent: r.take('--persistent') !== undefined,
        unread: r.finish(),
      };
    },
    // DNAT_save / SNAT_save: --to-…, --random, (SNAT) --random-fully, --persistent.
    print: (t, ctx) => {
      const out: PrintedOption[] = t.ranges.map((range) => opt(toOption, formatNatRange(range, ctx.family)));
      if (t.random) out.push(opt('--random'));
      if (t.randomFully) out.push(opt('--random-fully'));
      if (t.persistent) out.push(opt('--persistent'));
      return out;
    },
  };
}

export const dnatTarget = natTarget('DNAT');
