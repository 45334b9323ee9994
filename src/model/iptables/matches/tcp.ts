/**
 * `-m tcp` (implicit with `-p tcp`), libxt_tcp.c. `--syn` is `--tcp-flags FIN,SYN,RST,ACK SYN`
 * and is stored as such: the kernel keeps only the flag masks, and iptables-save prints them.
 */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { printPort, readPort } from './ports.js';
import { flagDef, OptionReader, valueDef, type OptionDef } from './read.js';
import type { TcpFlag, TcpMatch } from './types.js';
import { parseUnsigned } from '../../values/range.js';

const options: readonly OptionDef[] = [
  valueDef(['--sport', '--source-port'], true),
  valueDef(['--dport', '--destination-port'], true),
  { names: ['--tcp-flags'], arity: 2, negatable: true },
  flagDef(['--syn'], true),
  valueDef(['--tcp-option'], true),
];

const FLAG_BITS: readonly [TcpFlag, number][] = [['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20]];

/** Comma-separated flag names (case-insensitive), ALL and NONE included; a bit mask or null. */
export function parseTcpFlags(text: string): number | null {
  let bits = 0;
  for (const part of text.split(',')) {
    const name = part.toUpperCase();
    if (name === 'ALL') bits |= 0x3f;
    else if (name === 'NONE') continue;
    else {
      const flag = FLAG_BITS.find(([n]) => n === name);
      if (!flag) return null;
      bits |= flag[1];
    }
  }
  return bits;
}

export function tcpFlagList(bits: number): TcpFlag[] {
  return FLAG_BITS.filter(([, b]) => (bits & b) !== 0).map(([n]) => n);
}

function flagText(flags: readonly TcpFlag[]): string {
  return flags.length === 0 ? 'NONE' : flags.join(',');
}

const SYN_MASK = 0x01 | 0x02 | 0x04 | 0x10;

export const tcpModule: MatchModule<'tcp'> = {
  kind: 'tcp',
  name: 'tcp',
  options,
  implicitFor: ['tcp'],
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module tcp', options);
    const sport = readPort(r, '--sport');
    const dport = readPort(r, '--dport');
    let flags: TcpMatch['flags'];
    const flagsOption = r.take('--tcp-flags');
    const syn = r.take('--syn');
    if (flagsOption) {
      const mask = parseTcpFlags(r.text(flagsOption, 0));
      const comp = parseTcpFlags(r.text(flagsOption, 1));
      if (mask === null) r.bad(flagsOption, 'comma-separated TCP flags (FIN,SYN,RST,PSH,ACK,URG,ALL,NONE)', 0);
      else if (comp === null) r.bad(flagsOption, 'comma-separated TCP flags (FIN,SYN,RST,PSH,ACK,URG,ALL,NONE)', 1);
      else if (mask !== 0 || flagsOption.negated) {
        flags = { mask: tcpFlagList(mask), comp: tcpFlagList(comp & mask), negated: flagsOption.negated };
      }
    }
    if (syn) {
      if (flagsOption) r.conflict(syn, '--tcp-flags');
      else flags = { mask: tcpFlagList(SYN_MASK), comp: ['SYN'], negated: syn.negated };
    }
    const optionRead = r.value('--tcp-option', (t) => parseUnsigned(t, 255), 'a TCP option number (0-255)');
    const option = optionRead ? { number: optionRead.value, negated: optionRead.negated } : undefined;
    return {
      kind: 'tcp',
      ...base,
      ...(sport && { sport }),
      ...(dport && { dport }),
      ...(flags && { flags }),
      ...(option && { option }),
      unread: r.finish(),
    };
  },
  // tcp_save: --sport, --dport, --tcp-option, --tcp-flags.
  print: (m) => [
    ...printPort('--sport', m.sport),
    ...printPort('--dport', m.dport),
    ...(m.option ? [negOpt(m.option.negated, '--tcp-option', m.option.number)] : []),
    ...(m.flags ? [negOpt(m.flags.negated, '--tcp-flags', flagText(m.flags.mask), flagText(m.flags.comp))] : []),
  ],
};
