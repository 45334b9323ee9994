import { describe, expect, it } from 'vitest';
import { lineColumnOf, lineTextAt, toSourceRef, lineCount } from '../../grammar/source.js';
import type { IToken } from 'chevrotain';

const source = { name: 'f', text: 'ab\r\ncd\n\nlast' };

describe('positions', () => {
  it('maps offsets to 1-based lines and columns across CRLF and empty lines', () => {
    expect(lineColumnOf(source, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnOf(source, 4)).toEqual({ line: 2, column: 1 });
    expect(lineColumnOf(source, 5)).toEqual({ line: 2, column: 2 });
    expect(lineColumnOf(source, 8)).toEqual({ line: 4, column: 1 });
    expect(lineTextAt(source, 1)).toBe('ab');
    expect(lineTextAt(source, 9)).toBe('last');
    expect(lineCount(source)).toBe(4);
  });

  it('converts Chevrotain tokens: inclusive end becomes exclusive, base offset is added', () => {
    const token = { image: 'cd', startOffset: 4, endOffset: 5 } as IToken;
    expect(toSourceRef(source, token)).toMatchObject({ start: 4, end: 6 });
    expect(toSourceRef(source, token, 100)).toMatchObject({ start: 104, end: 106 });
  });

  it('maps recovered tokens (NaN offsets) to the fallback instead of a bogus position', () => {
    const inserted = { image: '', startOffset: NaN, endOffset: NaN } as IToken;
    const fallback = { source, start: 7, end: 7 };
    expect(toSourceRef(source, inserted, 0, fallback)).toBe(fallback);
    expect(toSourceRef(source, inserted, 3)).toMatchObject({ start: 3, end: 3 });
  });
});
