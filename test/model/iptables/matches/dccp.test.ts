import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('dccp', () => {
  it('reads ports, packet types (in bit order) and an option', () => {
    const m = matchOf('-p dccp --sport 1 ! --dccp-types SYNC,REQUEST --dccp-option 3', 'dccp');
    expect(m.types).toEqual({ types: ['REQUEST', 'SYNC'], negated: true });
    expect(printedMatch(m)).toBe('--sport 1 ! --dccp-types REQUEST,SYNC --dccp-option 3');
  });

  it('reports an unknown packet type', () => {
    expect(matchOf('-p dccp --dccp-types HELLO', 'dccp').problems).toEqual(['iptables/bad-value: HELLO']);
  });
});
