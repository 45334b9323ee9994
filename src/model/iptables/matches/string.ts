/**
 * `-m string` (revision 1), libxt_string.c. The pattern is kept as bytes: iptables-save prints
 * it as `--string "…"` when every byte is printable ASCII, else as `--hex-string "|…|"`, so a
 * printable `--hex-string` reads back as a `--string`.
 */
import type { MatchModule } from './module.js';
import { negOpt, opt, quoted, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { parseDecimal } from '../../values/range.js';

const options = [
  valueDef(['--algo']),
  valueDef(['--from']),
  valueDef(['--to']),
  valueDef(['--string'], true),
  valueDef(['--hex-string'], true),
  flagDef(['--icase']),
];

/** XT_STRING_MAX_PATTERN_SIZE */
const MAX_PATTERN = 128;

function toHex(bytes: readonly number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
}

function parsePlain(text: string): string | null {
  const bytes = [...Buffer.from(text, 'utf8')];
  return bytes.length > 0 && bytes.length <= MAX_PATTERN ? toHex(bytes) : null;
}

/** parse_hex_string: `|hex pairs|` blocks (spaces allowed), `\x` literals, other bytes as is. */
export function parseHexString(text: string): string | null {
  const s = [...Buffer.from(text, 'utf8')];
  const out: number[] = [];
  let hex = false;
  let i = 0;
  const PIPE = 0x7c;
  const BACKSLASH = 0x5c;
  const SPACE = 0x20;
  const isHex = (c: number | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(String.fromCharCode(c));
  if (s.length === 0) return null;
  while (i < s.length) {
    if (out.length >= MAX_PATTERN) return null;
    const c = s[i]!;
    if (c === BACKSLASH) {
      if (hex || i + 1 >= s.length) return null;
      out.push(s[i + 1]!);
      i += 2;
      continue;
    }
    if (c === PIPE) {
      if (hex) hex = false;
      else {
        hex = true;
        while (s[i + 1] === SPACE) i++;
      }
      i++;
      continue;
    }
    if (hex) {
      if (i + 2 >= s.length || !isHex(s[i]) || !isHex(s[i + 1])) return null;
      out.push(parseInt(String.fromCharCode(s[i]!, s[i + 1]!), 16));
      i += s[i + 2] === SPACE ? 3 : 2;
      continue;
    }
    out.push(c);
    i++;
  }
  return out.length > 0 ? toHex(out) : null;
}

function bytesOf(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

export const stringModule: MatchModule<'string'> = {
  kind: 'string',
  name: 'string',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module string', options);
    const algo = r.value('--algo', (t) => (t === 'bm' || t === 'kmp' ? t : null), 'bm or kmp');
    if (!r.has('--algo') && !algo) ctx.report('iptables/missing-option', base.at, 'Module string', '--algo bm|kmp');
    let pattern = r.value('--string', parsePlain, `a pattern of 1 to ${MAX_PATTERN} bytes`);
    const hex = r.value('--hex-string', parseHexString, `a pattern of 1 to ${MAX_PATTERN} bytes with |hex| blocks`);
    if (pattern && hex) r.conflict(hex.option, '--string');
    else if (hex) pattern = hex;
    if (!r.has('--string') && !r.has('--hex-string')) ctx.report('iptables/missing-option', base.at, 'Module string', '--string or --hex-string');
    return {
      kind: 'string',
      ...base,
      algo: algo?.value ?? null,
      pattern: pattern?.value ?? null,
      negated: pattern?.negated ?? false,
      from: r.value('--from', (t) => parseDecimal(t, 65535), 'an offset (0-65535)')?.value ?? 0,
      to: r.value('--to', (t) => parseDecimal(t, 65535), 'an offset (0-65535)')?.value ?? 65535,
      icase: r.take('--icase') !== undefined,
      unread: r.finish(),
    };
  },
  // string_save: --string|--hex-string, --algo, --from (≠0), --to (≠65535), --icase.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.pattern !== null) {
      const bytes = bytesOf(m.pattern);
      const printable = bytes.every((b) => b >= 0x20 && b <= 0x7e);
      out.push(
        printable
          ? negOpt(m.negated, '--string', quoted(String.fromCharCode(...bytes)))
          : negOpt(m.negated, '--hex-string', quoted(`|${m.pattern}|`)),
      );
    }
    if (m.algo) out.push(opt('--algo', m.algo));
    if (m.from !== 0) out.push(opt('--from', m.from));
    if (m.to !== 65535) out.push(opt('--to', m.to));
    if (m.icase) out.push(opt('--icase'));
    return out;
  },
};
