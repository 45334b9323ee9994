import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { digestOf, inputDigests } from '../../src/report/inputs.js';
import './fixtures.js';

describe('input digests', () => {
  it('hash a UTF-8 file to what sha256sum prints for it', () => {
    const file = 'samples/iptables-current/iptables-save.txt';
    const bytes = readFileSync(file);
    const d = digestOf({ name: file, text: bytes.toString('utf8') });
    expect(d).toEqual({ file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
  });

  it('count UTF-8 bytes, not characters', () => {
    expect(digestOf({ name: 'x', text: '→' }).bytes).toBe(3);
    expect(digestOf({ name: 'x', text: '' }).sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('list a source once however many sections it had, in order, keeping archive member names', () => {
    const a = { name: 'node-a.tar.gz:node-a/iptables-save.txt', text: '*nat\nCOMMIT\n' };
    const b = { name: 'session.txt', text: '$ iptables-save\n…' };
    expect(inputDigests([a, b, a, b]).map((d) => d.file)).toEqual(['node-a.tar.gz:node-a/iptables-save.txt', 'session.txt']);
  });
});
