/**
 * Fingerprints of the inputs a report was made from, so whoever reads it can check that they
 * are looking at the same files (the footer of every markdown/html report).
 *
 * What is hashed is the text iptlens read, encoded as UTF-8: for a plain UTF-8 file that is the
 * file's bytes, so `sha256sum FILE` prints the same digest. A member of an archive bundle is
 * named `archive.tar.gz:member` (src/model/input/bundle.ts) and hashed on its own.
 */
import { createHash } from 'node:crypto';
import type { SourceText } from '../../grammar/source.js';

export interface InputDigest {
  /** The input's display name: a path, `-` for stdin, or `archive.tar.gz:member`. */
  readonly file: string;
  /** Hex sha256 of the text as UTF-8. */
  readonly sha256: string;
  /** Length of that UTF-8 encoding. */
  readonly bytes: number;
}

export function digestOf(source: SourceText): InputDigest {
  const data = Buffer.from(source.text, 'utf8');
  return { file: source.name, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}

/**
 * One digest per distinct source, in the order given. A pasted session is one source with
 * several sections; it is listed once.
 */
export function inputDigests(sources: Iterable<SourceText>): InputDigest[] {
  const seen = new Set<SourceText>();
  const out: InputDigest[] = [];
  for (const source of sources) {
    if (seen.has(source)) continue;
    seen.add(source);
    out.push(digestOf(source));
  }
  return out;
}
