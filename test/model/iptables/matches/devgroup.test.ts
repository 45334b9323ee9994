import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('devgroup', () => {
  it('reads group[/mask] per direction, "default" as group 0', () => {
    const m = matchOf('-A FORWARD -m devgroup --src-group 1 ! --dst-group 0x2/0xff', 'devgroup');
    expect(m.src).toEqual({ value: 1, mask: 0xffffffff, negated: false });
    expect(m.dst).toEqual({ value: 2, mask: 0xff, negated: true });
    expect(printedMatch(m)).toBe('--src-group 0x1 ! --dst-group 0x2/0xff');
    expect(printedMatch(matchOf('-A OUTPUT -m devgroup --dst-group default', 'devgroup'))).toBe('--dst-group default');
  });

  it('reports a group name it cannot know', () => {
    expect(matchOf('-m devgroup --src-group dmz', 'devgroup').problems).toEqual(['iptables/bad-value: dmz']);
  });
});
