import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('time', () => {
  it('reads times, days and dates as the kernel keeps them (UTC seconds, day lists)', () => {
    const m = matchOf('-m time --timestart 8:00 --timestop 17:00:30 --weekdays Mo,Tue,7 --monthdays 22,1 --datestart 2007-12-24 --kerneltz', 'time');
    expect(m).toMatchObject({ timeStart: 8 * 3600, timeStop: 17 * 3600 + 30, weekdays: [1, 2, 7], monthdays: [1, 22], dateStart: 1198454400, dateStop: 2147483647, kerneltz: true });
    expect(printedMatch(m)).toBe('--timestart 08:00:00 --timestop 17:00:30 --monthdays 1,22 --weekdays Mon,Tue,Sun --datestart 2007-12-24T00:00:00 --datestop 2038-01-19T03:14:07 --kerneltz');
  });

  it('stores a negated day list inverted, as time_parse does', () => {
    const m = matchOf('-m time ! --weekdays Sat', 'time');
    expect(m.weekdays).toEqual([1, 2, 3, 4, 5, 7]);
    expect(printedMatch(m)).toBe('--weekdays Mon,Tue,Wed,Thu,Fri,Sun --datestop 2038-01-19T03:14:07');
  });

  it('reports --contiguous on a range that does not cross midnight, and a bad date', () => {
    expect(matchOf('-m time --timestart 01:00 --timestop 02:00 --contiguous', 'time').problems).toEqual(['iptables/conflicting-options: --contiguous']);
    expect(matchOf('-m time --datestart 2040-01-01', 'time').problems).toEqual(['iptables/bad-value: 2040-01-01']);
  });

  it('does not know the --days option of iptables 1.2 (modern iptables does not either)', () => {
    expect(matchOf('-m time --timestart 06:59 --days Mon', 'time').problems).toEqual(['iptables/unknown-option: --days Mon']);
  });
});
