import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('helper', () => {
  it('reads the helper name with negation', () => {
    expect(matchOf('-m helper ! --helper ftp-2121', 'helper')).toMatchObject({ helper: 'ftp-2121', negated: true });
    expect(printedMatch(matchOf('-m helper --helper ftp', 'helper'))).toBe('--helper ftp');
  });

  it('reports a missing --helper', () => {
    expect(matchOf('-m helper', 'helper').problems).toEqual(['iptables/missing-option: -m helper']);
  });
});
