import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../support/paths.js';
import { TARGET_MODULES, TARGET_SPECS, targetSpec } from '../../../../src/model/iptables/targets/index.js';

/** Files of targets/ that are not a target: shared reading, types, catalogue plumbing. */
const NOT_TARGETS = new Set(['index.ts', 'types.ts', 'module.ts', 'xmark.ts', 'nat-range.ts']);

describe('the target catalogue', () => {
  it('lists every target file of src/model/iptables/targets', async () => {
    const dir = join(repoRoot, 'src/model/iptables/targets');
    const listed = new Set<unknown>(Object.values(TARGET_MODULES));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !NOT_TARGETS.has(f))) {
      const modules = Object.values(await import(join(dir, file))).filter((v) => typeof v === 'object' && v !== null && 'build' in v && 'print' in v);
      expect(modules.length, `${file} exports a target`).toBeGreaterThan(0);
      for (const m of modules) expect(listed.has(m), `${file}'s target is in TARGET_MODULES`).toBe(true);
    }
  });

  it('has the targets the issue asks for', () => {
    const required = 'ACCEPT DROP REJECT RETURN QUEUE NFQUEUE MARK CONNMARK DNAT SNAT MASQUERADE REDIRECT NETMAP NOTRACK CT TRACE LOG NFLOG ULOG TPROXY CHECKSUM TCPMSS CLASSIFY DSCP TOS SET AUDIT SECMARK CONNSECMARK HMARK TEE'.split(' ');
    for (const name of required) expect(targetSpec(name)?.name, name).toBe(name);
    expect(new Set(TARGET_SPECS.map((s) => s.name)).size).toBe(TARGET_SPECS.length);
  });
});
