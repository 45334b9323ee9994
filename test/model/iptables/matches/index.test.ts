import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../../support/paths.js';
import { MATCH_MODULES, MATCH_SPECS, matchSpec } from '../../../../src/model/iptables/matches/index.js';

/** Files of matches/ that are not a module: shared reading, types, catalogue plumbing. */
const NOT_MODULES = new Set(['index.ts', 'types.ts', 'module.ts', 'read.ts', 'check.ts', 'ports.ts', 'ctstate.ts', 'spi.ts']);

describe('the match catalogue', () => {
  it('lists every module file of src/model/iptables/matches', async () => {
    const dir = join(repoRoot, 'src/model/iptables/matches');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !NOT_MODULES.has(f));
    const listed = new Set<unknown>(Object.values(MATCH_MODULES));
    for (const file of files) {
      const exported = Object.values(await import(join(dir, file)));
      const modules = exported.filter((v) => typeof v === 'object' && v !== null && 'build' in v && 'print' in v);
      expect(modules.length, `${file} exports a module`).toBeGreaterThan(0);
      for (const m of modules) expect(listed.has(m), `${file}'s module is in MATCH_MODULES`).toBe(true);
    }
  });

  it('has the modules the issue asks for, each under its -m name and aliases', () => {
    const required = 'comment tcp udp sctp icmp icmp6 multiport mark connmark conntrack state addrtype set statistic physdev limit recent hashlimit owner socket rpfilter iprange mac pkttype length ttl hl tos dscp policy ipvs string u32 bpf cgroup rt frag ah esp devgroup realm helper time connlimit nfacct'.split(' ');
    for (const name of required) expect(matchSpec(name)?.name, name).toBe(name);
    expect(matchSpec('icmpv6')).toBe(matchSpec('icmp6'));
    expect(new Set(MATCH_SPECS.map((s) => s.name)).size).toBe(MATCH_SPECS.length);
  });

  it('spells each option canonically first (the name iptables-save prints)', () => {
    for (const spec of MATCH_SPECS) {
      if (spec.options === 'any') continue;
      for (const o of spec.options) expect(o.names[0], `${spec.name}`).toMatch(/^--[a-z0-9-]+$/);
    }
    const tcp = matchSpec('tcp')!;
    expect(tcp.options !== 'any' && tcp.options.map((o) => o.names[0])).toEqual(['--sport', '--dport', '--tcp-flags', '--syn', '--tcp-option']);
  });
});
