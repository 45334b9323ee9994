/**
 * `-j HMARK`, libxt_HMARK.c: mark = hash(selected fields) % mod + offset. `--hmark-tuple` is a
 * shorthand that fills the prefixes and masks, as hmark_parse does; later options override it.
 */
import type { TargetModule } from './module.js';
import { opt, type PrintedOption } from '../matches/module.js';
import { OptionReader, valueDef } from '../matches/read.js';
import { formatHexPadded, parseUnsigned } from '../../values/range.js';
import type { HmarkTarget } from './types.js';

type Field = Exclude<keyof HmarkTarget, 'kind' | 'at' | 'options' | 'unread' | 'ct'>;

/** Option, field, maximum, and printf width (0: decimal). */
const FIELDS: readonly [string, Field, number, number][] = [
  ['--hmark-src-prefix', 'srcPrefix', 128, 0],
  ['--hmark-dst-prefix', 'dstPrefix', 128, 0],
  ['--hmark-sport-mask', 'sportMask', 0xffff, 4],
  ['--hmark-dport-mask', 'dportMask', 0xffff, 4],
  ['--hmark-spi-mask', 'spiMask', 0xffffffff, 8],
  ['--hmark-sport', 'sport', 0xffff, 4],
  ['--hmark-dport', 'dport', 0xffff, 4],
  ['--hmark-spi', 'spi', 0xffffffff, 8],
  ['--hmark-proto-mask', 'protoMask', 0xffff, 2],
  ['--hmark-rnd', 'rnd', 0xffffffff, 8],
  ['--hmark-mod', 'mod', 0xffffffff, 0],
  ['--hmark-offset', 'offset', 0xffffffff, 0],
];

const options = [valueDef(['--hmark-tuple']), ...FIELDS.map(([n]) => valueDef([n]))];

const TUPLE = ['ct', 'src', 'dst', 'sport', 'dport', 'proto', 'spi'] as const;

export const hmarkTarget: TargetModule<'HMARK'> = {
  kind: 'HMARK',
  name: 'HMARK',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'target HMARK', options);
    const full = ctx.family === 'ipv4' ? 32 : 128;
    const fields: Partial<Record<Field, number>> = {};
    let ct = false;
    r.take('--hmark-tuple');
    for (const [name] of FIELDS) r.take(name);
    for (const { def, option } of r.sequence) {
      const name = def.names[0]!;
      const text = r.text(option);
      if (name === '--hmark-tuple') {
        const parts = text.split(',').map((p) => TUPLE.find((t) => p.length > 0 && t.startsWith(p.toLowerCase())));
        if (parts.some((p) => p === undefined)) {
          r.bad(option, 'comma-separated src, dst, sport, dport, spi, proto, ct');
          continue;
        }
        for (const part of parts) {
          if (part === 'ct') ct = true;
          else if (part === 'src') fields.srcPrefix = full;
          else if (part === 'dst') fields.dstPrefix = full;
          else if (part === 'sport') fields.sportMask = 0xffff;
          else if (part === 'dport') fields.dportMask = 0xffff;
          else if (part === 'proto') fields.protoMask = 0xffff;
          else if (part === 'spi') fields.spiMask = 0xffffffff;
        }
        continue;
      }
      const field = FIELDS.find(([n]) => n === name)!;
      const max = field[1] === 'srcPrefix' || field[1] === 'dstPrefix' ? full : field[2];
      const value = parseUnsigned(text, max);
      if (value === null || (field[1] === 'mod' && value === 0)) r.bad(option, field[1] === 'mod' ? 'a modulus of at least 1' : `a number up to ${max}`);
      else fields[field[1]] = value;
    }
    if (fields.mod === undefined) ctx.report('iptables/missing-option', base.at, 'Target HMARK', '--hmark-mod');
    if (fields.rnd === undefined) ctx.report('iptables/missing-option', base.at, 'Target HMARK', '--hmark-rnd');
    return { kind: 'HMARK', ...base, ...fields, ct, unread: r.finish() };
  },
  // HMARK_ip4_save / HMARK_save: prefixes, masks, values, --hmark-rnd, --hmark-mod, --hmark-offset, --hmark-tuple ct.
  print: (t) => {
    const out: PrintedOption[] = [];
    for (const [name, field, , width] of FIELDS) {
      const value = t[field];
      if (value === undefined) continue;
      out.push(opt(name, width === 0 ? String(value) : formatHexPadded(value, width)));
    }
    if (t.ct) out.push(opt('--hmark-tuple', 'ct'));
    return out;
  },
};
