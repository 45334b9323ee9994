/**
 * The ipvsadm lexer runs with Chevrotain's first-character optimisation, which relies on the
 * hand-given start characters of `Word`; Chevrotain's `safeMode` lexer ignores all such hints.
 * Both must cut every text into the same tokens.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lexer, type ILexingResult } from 'chevrotain';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allTokens, ipvsadmLexer } from '../../../grammar/ipvsadm/tokens.js';

const safe = new Lexer(allTokens, { positionTracking: 'onlyOffset', safeMode: true });

function shape(result: ILexingResult) {
  return {
    tokens: result.tokens.map((t) => `${t.tokenType.name}@${t.startOffset}:${t.image}`),
    errors: result.errors.map((e) => `${e.offset}+${e.length}`),
  };
}

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const real = path.join(path.resolve(repoRoot, '../shared'), 'samples/real');
const present = existsSync(real);
if (!present) console.warn(`ipvsadm lexer tests on real captures skipped: ${real} is absent`);

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allFiles(full) : [full];
  });
}

describe('the optimised ipvsadm lexer', () => {
  it('cuts arbitrary text (ASCII, control characters, any UTF-16 unit) as the safe-mode lexer does', () => {
    const unit = fc.oneof(
      fc.constantFrom(' ', '\t', '\n', '\r', '(', ')', '[', ']', ',', '$', '#', '@', '-', '--', ':', '.', '…', '\u00a0', '\u2028', '\u3000', '\ufeff'),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('TCP', 'FWM', 'Masq', 'Local', 'LocalAddress:Port', 'persistent', 'pe', 'ops', '->', '(null)', '1234K', '-A', '--weight=1', 'IP Virtual Server version', '[fd00::1]:80'),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 80 }).map((a) => a.join('')), (text) => {
        expect(shape(ipvsadmLexer.tokenize(text))).toEqual(shape(safe.tokenize(text)));
      }),
      { numRuns: 2000 },
    );
  });

  it('starts a token at every UTF-16 code unit exactly where the safe-mode lexer does', () => {
    const differing: string[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const text = `${String.fromCharCode(code)}x`;
      if (JSON.stringify(shape(ipvsadmLexer.tokenize(text))) !== JSON.stringify(shape(safe.tokenize(text)))) differing.push(code.toString(16));
    }
    expect(differing).toEqual([]);
  });

  it.skipIf(!present)('cuts every real capture as the safe-mode lexer does', () => {
    for (const file of allFiles(real).filter((f) => f.endsWith('.txt'))) {
      const text = readFileSync(file, 'utf8');
      expect(shape(ipvsadmLexer.tokenize(text)), file).toEqual(shape(safe.tokenize(text)));
    }
  });
});
