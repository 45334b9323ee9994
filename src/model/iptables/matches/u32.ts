/**
 * `-m u32`, libxt_u32.c: a small program of tests on packet words. It is parsed into tests
 * (location steps and value ranges) and printed back the way u32_dump does (numbers in hex,
 * no spaces), so equal programs compare equal however they were spaced or written.
 */
import type { MatchModule } from './module.js';
import { negOpt, quoted } from './module.js';
import { OptionReader, valueDef } from './read.js';
import type { U32Step, U32Test } from './types.js';
import type { NumberRange } from '../../values/range.js';

const options = [valueDef(['--u32'], true)];

/** XT_U32_MAXSIZE: tests, location steps and values per test. */
const MAX = 10;

/** strtoul(…, 0) of the number at `text[i]`: decimal, 0x hex or 0-octal. */
function readNumber(text: string, i: number): { value: number; next: number } | null {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(text.slice(i));
  if (!m) return null;
  const t = m[1]!;
  const value = /^0[xX]/.test(t) ? parseInt(t.slice(2), 16) : t.length > 1 && t.startsWith('0') ? parseInt(t.slice(1), 8) : Number(t);
  if (value > 0xffffffff) return null;
  return { value, next: i + t.length };
}

export function parseU32(text: string): U32Test[] | null {
  const s = text.replace(/\s+/g, '');
  const tests: U32Test[] = [];
  let i = 0;
  while (true) {
    if (tests.length >= MAX) return null;
    const location: U32Step[] = [];
    let op: U32Step['op'] = null;
    while (true) {
      const n = readNumber(s, i);
      if (!n || location.length >= MAX) return null;
      location.push({ op, number: n.value });
      i = n.next;
      const rest = s.slice(i);
      if (rest.startsWith('<<')) op = '<<';
      else if (rest.startsWith('>>')) op = '>>';
      else if (rest.startsWith('&&') || rest.startsWith('=')) break;
      else if (rest.startsWith('&')) op = '&';
      else if (rest.startsWith('@')) op = '@';
      else return null;
      i += op.length;
    }
    if (s[i] !== '=') return null;
    i++;
    const values: NumberRange[] = [];
    while (true) {
      const from = readNumber(s, i);
      if (!from || values.length >= MAX) return null;
      i = from.next;
      let to = from.value;
      if (s[i] === ':') {
        const n = readNumber(s, i + 1);
        if (!n) return null;
        to = n.value;
        i = n.next;
      }
      values.push({ from: from.value, to });
      if (s[i] !== ',') break;
      i++;
    }
    tests.push({ location, values });
    if (i === s.length) return tests;
    if (!s.startsWith('&&', i)) return null;
    i += 2;
  }
}

const hex = (n: number): string => `0x${n.toString(16)}`;

export function formatU32(tests: readonly U32Test[]): string {
  return tests
    .map(
      (t) =>
        t.location.map((step) => `${step.op ?? ''}${hex(step.number)}`).join('') +
        '=' +
        t.values.map((v) => (v.from === v.to ? hex(v.from) : `${hex(v.from)}:${hex(v.to)}`)).join(','),
    )
    .join('&&');
}

export const u32Module: MatchModule<'u32'> = {
  kind: 'u32',
  name: 'u32',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module u32', options);
    if (!r.has('--u32')) ctx.report('iptables/missing-option', base.at, 'Module u32', '--u32');
    const read = r.value('--u32', parseU32, 'u32 tests: location=value[&&…] with & << >> @ and a:b ranges (at most 10 each)');
    return { kind: 'u32', ...base, tests: read?.value ?? [], negated: read?.negated ?? false, unread: r.finish() };
  },
  // u32_save: [!] --u32 "…" in u32_dump's hex form.
  print: (m) => (m.tests.length ? [negOpt(m.negated, '--u32', quoted(formatU32(m.tests)))] : []),
};
