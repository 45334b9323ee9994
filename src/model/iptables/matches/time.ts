/**
 * `-m time`, libxt_time.c. Dates and daytimes are kept as the kernel's seconds; a negated day
 * list is stored inverted, as time_parse does (`info->weekdays_match ^= XT_TIME_ALL_WEEKDAYS`).
 */
import type { MatchModule } from './module.js';
import { opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, valueDef } from './read.js';

const options = [
  valueDef(['--datestart']),
  valueDef(['--datestop']),
  valueDef(['--timestart']),
  valueDef(['--timestop']),
  valueDef(['--monthdays'], true),
  valueDef(['--weekdays'], true),
  flagDef(['--localtz']),
  flagDef(['--utc']),
  flagDef(['--kerneltz']),
  flagDef(['--contiguous']),
];

/** time_init defaults: XT_TIME_MAX_DAYTIME, and INT_MAX as "no end date". */
const MAX_DAYTIME = 86399;
const NO_DATE_STOP = 2147483647;
const WEEK_DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** time_parse_date: YYYY[-MM[-DD[Thh[:mm[:ss]]]]] in UTC, 1970–2038. */
export function parseDate(text: string): number | null {
  const m = /^(\d+)(?:-(\d+)(?:-(\d+)(?:T(\d+)(?::(\d+)(?::(\d+))?)?)?)?)?$/.exec(text);
  if (!m) return null;
  const [year, month = 1, day = 1, hour = 0, minute = 0, second = 0] = m.slice(1).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (year! < 1970 || year! > 2038 || month > 12 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const seconds = Date.UTC(year!, month - 1, day, hour, minute, second) / 1000;
  return seconds >= 0 && seconds <= 0xffffffff ? seconds : null;
}

/** time_parse_minutes: hh:mm[:ss] → seconds since midnight. */
export function parseDaytime(text: string): number | null {
  const m = /^(\d+):(\d+)(?::(\d+))?$/.exec(text);
  if (!m) return null;
  const [h, mi, s = 0] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])];
  if (h > 23 || mi > 59 || s > 59) return null;
  return h * 3600 + mi * 60 + s;
}

function parseMonthdays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    if (!/^\d{1,2}$/.test(part) || Number(part) > 31) return null;
    days.add(Number(part));
  }
  return [...days].sort((a, b) => a - b);
}

/** time_parse_weekdays: 1–7, or names compared on their first two letters (Mo, Tue, Sunday…). */
function parseWeekdays(text: string): number[] | null {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    if (/^\d+$/.test(part)) {
      const n = Number(part);
      if (n < 1 || n > 7) return null;
      days.add(n);
      continue;
    }
    const i = WEEK_DAYS.findIndex((d) => d.slice(0, 2) === part.slice(0, 2));
    if (i < 0 || part.length < 2) return null;
    days.add(i + 1);
  }
  return [...days].sort((a, b) => a - b);
}

function invert(days: readonly number[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = from; d <= to; d++) if (!days.includes(d)) out.push(d);
  return out;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function daytimeText(seconds: number): string {
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

function dateText(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const ALL_MONTHDAYS = Array.from({ length: 31 }, (_, i) => i + 1);
const ALL_WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

export const timeModule: MatchModule<'time'> = {
  kind: 'time',
  name: 'time',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module time', options);
    const dateExpected = 'a date YYYY[-MM[-DD[Thh[:mm[:ss]]]]] between 1970 and 2038';
    const timeExpected = 'a time hh:mm[:ss]';
    const dateStart = r.value('--datestart', parseDate, dateExpected);
    const dateStop = r.value('--datestop', parseDate, dateExpected);
    const timeStart = r.value('--timestart', parseDaytime, timeExpected);
    const timeStop = r.value('--timestop', parseDaytime, timeExpected);
    const monthdays = r.value('--monthdays', parseMonthdays, 'comma-separated days of the month (1-31)');
    const weekdays = r.value('--weekdays', parseWeekdays, 'comma-separated weekdays (Mon…Sun or 1-7)');
    const localtz = r.take('--localtz');
    const kerneltz = r.take('--kerneltz');
    const utc = r.take('--utc');
    if (utc && (localtz || kerneltz)) r.conflict(utc, localtz ? '--localtz' : '--kerneltz');
    const start = timeStart?.value ?? 0;
    const stop = timeStop?.value ?? MAX_DAYTIME;
    const contiguousOption = r.take('--contiguous');
    // time_check: "--contiguous only makes sense when stoptime is smaller than starttime".
    if (contiguousOption && stop >= start) r.conflict(contiguousOption, 'a --timestop later than --timestart');
    const contiguous = contiguousOption !== undefined && stop < start;
    const month = monthdays ? (monthdays.negated ? invert(monthdays.value, 1, 31) : monthdays.value) : ALL_MONTHDAYS;
    const week = weekdays ? (weekdays.negated ? invert(weekdays.value, 1, 7) : weekdays.value) : ALL_WEEKDAYS;
    return {
      kind: 'time',
      ...base,
      timeStart: start,
      timeStop: stop,
      monthdays: month,
      weekdays: week,
      dateStart: dateStart?.value ?? 0,
      dateStop: dateStop?.value ?? NO_DATE_STOP,
      kerneltz: localtz !== undefined || kerneltz !== undefined,
      contiguous,
      unread: r.finish(),
    };
  },
  // time_save: times (both when either differs), --monthdays, --weekdays, --datestart (≠0),
  // --datestop (printed even at its INT_MAX default: time_print_date compares with LONG_MAX), --kerneltz, --contiguous.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.timeStart !== 0 || m.timeStop !== MAX_DAYTIME) out.push(opt('--timestart', daytimeText(m.timeStart)), opt('--timestop', daytimeText(m.timeStop)));
    if (m.monthdays.length !== 31) out.push(opt('--monthdays', m.monthdays.join(',')));
    if (m.weekdays.length !== 7) out.push(opt('--weekdays', m.weekdays.map((d) => WEEK_DAYS[d - 1]).join(',')));
    if (m.dateStart !== 0) out.push(opt('--datestart', dateText(m.dateStart)));
    out.push(opt('--datestop', dateText(m.dateStop)));
    if (m.kerneltz) out.push(opt('--kerneltz'));
    if (m.contiguous) out.push(opt('--contiguous'));
    return out;
  },
};
