/**
 * Reading inputs from the file system and stdin into source texts. The only module of the
 * model stage that does I/O; it never opens a network connection.
 */
import { readFileSync, statSync } from 'node:fs';
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { SourceText } from '../../../grammar/source.js';

export interface ReadResult {
  readonly sources: readonly SourceText[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD, which detection counts as binary). */
function decode(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/** Reads files (and `-` for stdin). Directories and archives are bundles: see bundle.ts. */
export function readTextInput(path: string, stdin: () => Buffer = () => readFileSync(0)): SourceText | Diagnostic {
  try {
    if (path === '-') return { name: '-', text: decode(stdin()) };
    const st = statSync(path);
    if (st.isDirectory()) return diagnose('input/unreadable', null, path, 'it is a directory');
    return { name: path, text: decode(readFileSync(path)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code ?? String(error);
    return diagnose('input/unreadable', null, path, reason);
  }
}
