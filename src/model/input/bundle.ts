/**
 * A bundle: one node's files in a directory or a .tar/.tar.gz (what `iptlens collect` makes).
 * Every regular file is read; what each holds is recognised later from its content.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tar from 'tar';
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { SourceText } from '../../../grammar/source.js';

export interface BundleRead {
  /** A name for the node: the directory or archive name without its extension. */
  readonly name: string;
  readonly sources: readonly SourceText[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Files larger than this are not command output of one node; they are reported, not read. */
const MAX_FILE = 512 * 1024 * 1024;

export function isArchivePath(path: string): boolean {
  return /\.(tar|tar\.gz|tgz)$/i.test(path);
}

export function isBundlePath(path: string): boolean {
  if (isArchivePath(path)) return true;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function nodeName(path: string): string {
  const base = path.replace(/\/+$/, '').split('/').pop() ?? path;
  return base.replace(/\.(tar\.gz|tgz|tar)$/i, '');
}

export function readBundle(path: string): BundleRead {
  const sources: SourceText[] = [];
  const diagnostics: Diagnostic[] = [];
  try {
    if (isArchivePath(path)) {
      tar.t({
        file: path,
        sync: true,
        onReadEntry: (entry) => {
          if (entry.type !== 'File' && entry.type !== 'OldFile') {
            entry.resume();
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          entry.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= MAX_FILE) chunks.push(c);
          });
          entry.on('end', () => {
            const name = `${path}:${entry.path.replace(/^\.\//, '')}`;
            if (size > MAX_FILE) diagnostics.push(diagnose('input/unreadable', null, name, `it is larger than ${MAX_FILE / 1048576} MB`));
            else sources.push({ name, text: Buffer.concat(chunks).toString('utf8') });
          });
        },
      });
    } else {
      const walk = (dir: string): void => {
        for (const entry of readdirSync(dir).sort()) {
          const full = join(dir, entry);
          const st = statSync(full);
          if (st.isDirectory()) walk(full);
          else if (st.isFile()) {
            if (st.size > MAX_FILE) diagnostics.push(diagnose('input/unreadable', null, full, `it is larger than ${MAX_FILE / 1048576} MB`));
            else sources.push({ name: join(path, relative(path, full)), text: readFileSync(full, 'utf8') });
          }
        }
      };
      walk(path);
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    diagnostics.push(diagnose('input/unreadable', null, path, e.code === 'ENOENT' ? 'no such file' : e.code === 'TAR_BAD_ARCHIVE' || /tar|zlib|header/i.test(e.message) ? 'it is not a readable tar archive' : e.message));
  }
  if (sources.length === 0 && diagnostics.length === 0) diagnostics.push(diagnose('input/unreadable', null, path, 'the bundle holds no files'));
  return { name: nodeName(path), sources, diagnostics };
}
