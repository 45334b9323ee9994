import { describe, expect, it } from 'vitest';
import { matchOf, printed, printedMatch } from '../rule-of.js';

describe('string', () => {
  it('keeps the pattern as bytes; a printable --hex-string prints back as --string', () => {
    const hex = matchOf('-m string --algo bm --hex-string "|41 42|"', 'string');
    const text = matchOf('-m string --algo bm --string AB', 'string');
    expect(hex.pattern).toBe('4142');
    expect(text.pattern).toBe('4142');
    expect(printedMatch(hex)).toBe('--string AB --algo bm');
  });

  it('prints non-printable bytes as --hex-string, always quoted, with the defaults left out', () => {
    expect(printed('-m string --algo kmp --from 10 --to 100 ! --hex-string "|00 01|abc" --icase')).toBe(
      '-A INPUT -m string ! --hex-string "|0001616263|" --algo kmp --from 10 --to 100 --icase',
    );
    expect(printed('-m string --algo bm --string "a\\"b" --from 0 --to 65535')).toBe('-A INPUT -m string --string "a\\"b" --algo bm');
  });

  it('reports a missing algorithm and an odd hex block', () => {
    expect(matchOf('-m string --string x', 'string').problems).toEqual(['iptables/missing-option: -m string --string x']);
    expect(matchOf('-m string --algo bm --hex-string "|0|"', 'string').problems).toEqual(['iptables/bad-value: "|0|"']);
  });
});
