/**
 * `-m hashlimit` (revision 3), libxt_hashlimit.c: a token bucket per group of addresses/ports.
 * Kept as the kernel's configuration (struct hashlimit_cfg3) and printed back the way
 * hashlimit_mt_save does, so defaults (burst 5, expire = the rate's unit) round-trip.
 */
import type { MatchModule } from './module.js';
import { opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';
import { formatRatePeriod, HASHLIMIT_SCALE, parseRatePeriod, RATE_UNIT_SECONDS } from '../../values/rate.js';
import { parseDecimal } from '../../values/range.js';
import type { HashlimitMatch } from './types.js';

const options = [
  valueDef(['--hashlimit-upto', '--hashlimit'], true),
  valueDef(['--hashlimit-above'], true),
  valueDef(['--hashlimit-srcmask']),
  valueDef(['--hashlimit-dstmask']),
  valueDef(['--hashlimit-burst']),
  valueDef(['--hashlimit-htable-size']),
  valueDef(['--hashlimit-htable-max']),
  valueDef(['--hashlimit-htable-gcinterval']),
  valueDef(['--hashlimit-htable-expire']),
  valueDef(['--hashlimit-mode']),
  valueDef(['--hashlimit-name']),
  flagDef(['--hashlimit-rate-match']),
  valueDef(['--hashlimit-rate-interval']),
];

const UINT32_MAX = 0xffffffffn;
/** XT_HASHLIMIT_BYTE_SHIFT */
const BYTE_SHIFT = 4n;
const DEFAULT_BURST = 5n;
const BURST_MAX = 1000000n;
const GC_INTERVAL = 1000;
/** Seconds an entry lives in byte mode: XT_HASHLIMIT_BYTE_EXPIRE, …_BURST. */
const BYTE_EXPIRE = 15;
const BYTE_EXPIRE_BURST = 60;

function costToBytes(cost: bigint): bigint {
  const r = cost ? UINT32_MAX / cost : UINT32_MAX;
  return (r - 1n) << BYTE_SHIFT;
}

function bytesToCost(bytes: bigint): bigint {
  const r = (bytes >> BYTE_SHIFT) & UINT32_MAX;
  return UINT32_MAX / (r + 1n);
}

function factor(c: string | undefined): bigint {
  return c === 'm' ? 1048576n : c === 'k' ? 1024n : 1n;
}

/** parse_bytes: `N[k|m]b/s` → cost; null when not a byte rate. */
function parseByteRate(text: string): bigint | null {
  const at = text.indexOf('b/s');
  if (at <= 0) return null;
  const digits = /^\d+/.exec(text);
  if (!digits) return null;
  const r = BigInt(digits[0]);
  if (r === 0n) return null;
  const cost = bytesToCost(r * factor(text[at - 1]));
  return cost === 0n ? null : cost;
}

type Rate = { readonly avg: bigint; readonly bytes: boolean; readonly unitSeconds: number };

function parseHashRate(text: string): Rate | null {
  const cost = parseByteRate(text);
  if (cost !== null) return { avg: cost, bytes: true, unitSeconds: BYTE_EXPIRE };
  const rate = parseRatePeriod(text, HASHLIMIT_SCALE, 'sec');
  return rate && { avg: rate.period, bytes: false, unitSeconds: RATE_UNIT_SECONDS[rate.unit] };
}

/** parse_burst: a number with an optional k/m suffix (bytes), at most 1000000 without one. */
function parseBurst(text: string): bigint | null {
  const m = /^(\d+)([a-z]*)$/.exec(text);
  if (!m || BigInt(m[1]!) < 1n) return null;
  const v = BigInt(m[1]!);
  if (m[2] === '' && v > BURST_MAX) return null;
  return v * factor(m[2]![0]);
}

const MODES = ['srcip', 'srcport', 'dstip', 'dstport'] as const;

function parseModes(text: string): HashlimitMatch['modes'] | null {
  const set = new Set<string>();
  for (const part of text.split(/[,|]/)) {
    if (!(MODES as readonly string[]).includes(part)) return null;
    set.add(part);
  }
  return MODES.filter((m) => set.has(m));
}

/** print_rate: the text and the unit in milliseconds ("quantum"). */
function rateText(avg: bigint): { text: string; quantum: number } {
  const text = formatRatePeriod(avg, HASHLIMIT_SCALE);
  const unit = text.slice(text.indexOf('/') + 1);
  const seconds = unit === 'day' ? 86400 : unit === 'hour' ? 3600 : unit === 'min' ? 60 : 1;
  return { text, quantum: seconds * 1000 };
}

/** print_bytes: the byte rate, the burst in bytes (when any) and the quantum. */
function byteTexts(avg: bigint, burst: bigint): { rate: string; burst: string | null; quantum: number } {
  const units: readonly [string, bigint][] = [['m', 1048576n], ['k', 1024n], ['', 1n]];
  let r = costToBytes(avg);
  let i = 0;
  for (; i < units.length - 1; i++) {
    const t = units[i]![1];
    if (r >= t && bytesToCost(r & ~(t - 1n)) === avg) break;
  }
  const rate = `${r / units[i]![1]}${units[i]![0]}b/s`;
  if (burst === 0n) return { rate, burst: null, quantum: BYTE_EXPIRE * 1000 };
  r *= burst;
  let j = 0;
  for (; j < units.length - 1; j++) if (r >= units[j]![1]) break;
  return { rate, burst: `${r / units[j]![1]}${units[j]![0]}b`, quantum: BYTE_EXPIRE_BURST * 1000 };
}

export const hashlimitModule: MatchModule<'hashlimit'> = {
  kind: 'hashlimit',
  name: 'hashlimit',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module hashlimit', options);
    const fullMask = ctx.family === 'ipv4' ? 32 : 128;
    const expected = 'a rate N[/sec|/min|/hour|/day] or N[k|m]b/s';
    const upto = r.value('--hashlimit-upto', parseHashRate, expected);
    let above = r.value('--hashlimit-above', parseHashRate, expected);
    if (upto && above) {
      r.conflict(above.option, '--hashlimit-upto');
      above = undefined;
    }
    if (!upto && !above && !r.has('--hashlimit-upto') && !r.has('--hashlimit-above')) {
      ctx.report('iptables/missing-option', base.at, 'Module hashlimit', '--hashlimit-upto or --hashlimit-above');
    }
    const name = r.value('--hashlimit-name', (t) => (t.length > 0 && t.length < 256 ? t : null), 'a name');
    if (!name && !r.has('--hashlimit-name')) ctx.report('iptables/missing-option', base.at, 'Module hashlimit', '--hashlimit-name');
    const rate = upto ?? above;
    // XT_HASHLIMIT_INVERT: --hashlimit-above, or a negated --hashlimit-upto.
    const isAbove = upto ? upto.negated : above ? !above.negated : false;
    const bytes = rate?.value.bytes ?? false;
    let avg = rate?.value.avg ?? 0n;
    const mult = rate?.value.unitSeconds ?? 1;
    const burstRead = r.value('--hashlimit-burst', parseBurst, 'a burst count (at most 1000000) or bytes with k/m');
    const expireRead = r.value('--hashlimit-htable-expire', (t) => parseDecimal(t), 'milliseconds');
    let expire = expireRead?.value ?? mult * 1000;
    let burst = burstRead?.value ?? DEFAULT_BURST;
    if (bytes) {
      // hashlimit_mt_check: a byte burst becomes a number of rate quanta, rounded up.
      let b = 0n;
      if (burstRead) {
        const unit = costToBytes(avg);
        b = unit > 0n ? burstRead.value / unit + (burstRead.value % unit ? 1n : 0n) : 0n;
        if (!expireRead) expire = BYTE_EXPIRE_BURST * 1000;
      }
      burst = b;
    }
    const rateMatch = r.take('--hashlimit-rate-match') !== undefined;
    const intervalRead = r.value('--hashlimit-rate-interval', (t) => { const n = parseDecimal(t); return n && n > 0 ? n : null; }, 'a number of seconds');
    let interval = intervalRead?.value ?? 0;
    if (rateMatch) {
      if (!bytes) avg /= BigInt(mult);
      if (interval === 0) interval = bytes ? 1 : mult;
    }
    const plen = (t: string): number | null => parseDecimal(t, fullMask);
    const modes = r.value('--hashlimit-mode', parseModes, 'a comma-separated list of srcip, srcport, dstip, dstport');
    return {
      kind: 'hashlimit',
      ...base,
      above: isAbove,
      bytes,
      avg,
      burst,
      modes: modes?.value ?? [],
      name: name?.value ?? '',
      htableSize: r.value('--hashlimit-htable-size', (t) => parseDecimal(t), 'a number of buckets')?.value ?? 0,
      htableMax: r.value('--hashlimit-htable-max', (t) => parseDecimal(t), 'a number of entries')?.value ?? 0,
      htableGcInterval: r.value('--hashlimit-htable-gcinterval', (t) => parseDecimal(t), 'milliseconds')?.value ?? GC_INTERVAL,
      htableExpire: expire,
      srcMask: r.value('--hashlimit-srcmask', plen, `a prefix length (0-${fullMask})`)?.value ?? fullMask,
      dstMask: r.value('--hashlimit-dstmask', plen, `a prefix length (0-${fullMask})`)?.value ?? fullMask,
      rateMatch,
      rateInterval: interval,
      unread: r.finish(),
    };
  },
  // hashlimit_mt_save (revision 3).
  print: (m, ctx) => {
    const fullMask = ctx.family === 'ipv4' ? 32 : 128;
    const out: PrintedOption[] = [];
    const name = m.above ? '--hashlimit-above' : '--hashlimit-upto';
    let quantum: number;
    if (m.bytes) {
      const t = byteTexts(m.avg, m.burst);
      out.push(opt(name, t.rate));
      if (t.burst) out.push(opt('--hashlimit-burst', t.burst));
      quantum = t.quantum;
    } else {
      const t = rateText(m.avg);
      out.push(opt(name, t.text), opt('--hashlimit-burst', m.burst.toString()));
      quantum = t.quantum;
    }
    if (m.modes.length) out.push(opt('--hashlimit-mode', m.modes.join(',')));
    out.push(opt('--hashlimit-name', m.name));
    if (m.htableSize) out.push(opt('--hashlimit-htable-size', m.htableSize));
    if (m.htableMax) out.push(opt('--hashlimit-htable-max', m.htableMax));
    if (m.htableGcInterval !== GC_INTERVAL) out.push(opt('--hashlimit-htable-gcinterval', m.htableGcInterval));
    if (m.htableExpire !== quantum) out.push(opt('--hashlimit-htable-expire', m.htableExpire));
    if (m.srcMask !== fullMask) out.push(opt('--hashlimit-srcmask', m.srcMask));
    if (m.dstMask !== fullMask) out.push(opt('--hashlimit-dstmask', m.dstMask));
    if (m.rateMatch) out.push(opt('--hashlimit-rate-match'));
    if (m.rateMatch && m.rateInterval !== 1) out.push(opt('--hashlimit-rate-interval', m.rateInterval));
    return out;
  },
};
