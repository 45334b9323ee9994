/**
 * The hand-written scanner must yield exactly the tokens of the Chevrotain lexer defined by
 * tokens.ts (which stays the definition of the vocabulary): same types, offsets and errors.
 */
import { Lexer } from 'chevrotain';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scanLines } from '../../../grammar/iptables-save/scanner.js';
import { allTokens, Newline } from '../../../grammar/iptables-save/tokens.js';
import { filesUnder, realDir, repoRoot, sharedAvailable } from '../../support/paths.js';
import { join } from 'node:path';

const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset' });

function viaChevrotain(text: string) {
  const r = lexer.tokenize(text);
  return {
    tokens: r.tokens.filter((t) => t.tokenType !== Newline).map((t) => `${t.tokenType.name}@${t.startOffset}+${t.image.length}`),
    errors: r.errors.map((e) => `${e.offset}+${e.length}`),
  };
}

function viaScanner(text: string) {
  const tokens: string[] = [];
  const errors: string[] = [];
  scanLines(text, 0, text.length, (line) => {
    for (const t of line.tokens) tokens.push(`${t.tokenType.name}@${t.startOffset}+${t.image.length}`);
    for (const e of line.errors) errors.push(`${e.offset}+${e.length}`);
  });
  return { tokens, errors };
}

describe('iptables-save scanner agrees with the Chevrotain lexer', () => {
  it('on hand-picked tricky lines', () => {
    const cases = [
      '*nat\n:KUBE-SVC-X - [0:0]\n[1:2] -A X ! -s 1.2.3.4/32 -m comment --comment "a \\"b\\"" -j DNAT --to-destination 10.0.0.1:80\nCOMMIT\n',
      '-A INPUT -s ! 1.2.3.4 --dport :1024 -j LOG --log-prefix "x" #c\r\n',
      '--a -- - ! !x *n *n.x :x : [1:2]x [1:] COMMITX COMMIT "unterminated\n"ok"',
      'a\u0001\u0002b "\u0003" \u00e9t\u00e9 -A -Ab --1 --x.y_z-\f\v\t',
    ];
    for (const text of cases) expect(viaScanner(text)).toEqual(viaChevrotain(text));
  });

  it('on random text over the characters that matter', () => {
    const alphabet = fc.constantFrom(...' \t\r\n!"#*:-[]0123456789AIDXCOMTabcs\\\u0001.é/'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), (chars) => {
        const text = chars.join('');
        expect(viaScanner(text)).toEqual(viaChevrotain(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('on every sample of the repository', () => {
    const files = filesUnder(join(repoRoot, 'samples'), (p) => p.endsWith('.txt'));
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(viaScanner(text), file).toEqual(viaChevrotain(text));
    }
  });

  it.skipIf(!sharedAvailable)('on every real capture of the shared corpus', () => {
    const files = filesUnder(realDir, (p) => p.endsWith('.txt'));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(viaScanner(text), file).toEqual(viaChevrotain(text));
    }
  });
});
