/**
 * kube-proxy's own expectations (../shared/conformance/kube-proxy): every packet case of its
 * unit tests, traced through the same ruleset, must end as kube-proxy expects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNodeSnapshot } from '../../src/model/node.js';
import { parseAddress } from '../../src/model/values/address.js';
import { IntervalSet } from '../../src/eval/interval-set.js';
import { nodeFacts } from '../../src/eval/node-facts.js';
import { trace } from '../../src/eval/pipeline.js';
import type { Origin, TraceResult } from '../../src/eval/types.js';
import { filesUnder, sharedAvailable, sharedDir } from '../support/paths.js';

interface Case {
  name: string;
  from: Origin;
  src: string;
  dst: string;
  proto: 'tcp' | 'udp' | 'sctp';
  dport: number;
  expect: { dnat: string[]; verdict: 'dnat' | 'none' | 'drop' | 'reject' | 'accept'; masquerade: boolean };
}

const dir = join(sharedDir, 'conformance', 'kube-proxy');
const suites = filesUnder(dir, (p) => p.endsWith('cases.json')).map((p) => p.slice(0, -'/cases.json'.length));

/** kube-proxy's vocabulary for an outcome, from our paths. */
function outcome(result: TraceResult) {
  const dnat = [...new Set(result.paths.map((p) => p.dnat?.to).filter((x): x is string => !!x))].sort();
  const alive = result.paths.filter((p) => p.disposition !== 'drop' && p.disposition !== 'reject');
  let verdict: Case['expect']['verdict'];
  if (alive.length === 0) verdict = result.paths.every((p) => p.disposition === 'reject') ? 'reject' : 'drop';
  else if (dnat.length > 0) verdict = 'dnat';
  else if (alive.some((p) => p.disposition === 'local' && p.steps.some((s) => s.effect === 'ACCEPT' && s.table === 'filter'))) verdict = 'accept';
  else verdict = 'none';
  return { dnat, verdict, masquerade: result.paths.some((p) => p.masqueradeMark) };
}

describe.skipIf(!sharedAvailable)('kube-proxy conformance', () => {
  it('has the suites', () => {
    expect(suites.length).toBeGreaterThan(10);
  });
  for (const suite of suites) {
    const data = JSON.parse(readFileSync(join(suite, 'cases.json'), 'utf8')) as { node: { localIPs: string[] }; cases: Case[] };
    const text = readFileSync(join(suite, 'iptables-save.txt'), 'utf8');
    describe(suite.split('/').pop()!, () => {
      for (const c of data.cases) {
        it(`${c.name} (${c.from} ${c.src} → ${c.dst}:${c.dport})`, () => {
          const family = c.dst.includes(':') ? 'ipv6' : 'ipv4';
          const node = buildNodeSnapshot('conformance', [{ name: join(suite, 'iptables-save.txt'), text }]);
          const nodeV = family === 'ipv6' && !node.ipv6 ? { ...node, ipv6: node.ipv4 && { ...node.ipv4, family: 'ipv6' as const } } : node;
          const localIps = data.node.localIPs.map((a) => parseAddress(a, family)).filter((a) => a !== null).map((a) => a.first);
          const facts = nodeFacts(nodeV, family, { localIps });
          const src = parseAddress(c.src, family)!.first;
          const dst = parseAddress(c.dst, family)!.first;
          const result = trace(facts, {
            origin: c.from,
            family,
            src: IntervalSet.of(src),
            dst: IntervalSet.of(dst),
            proto: c.proto,
            sport: IntervalSet.of(40000n),
            dport: IntervalSet.of(BigInt(c.dport)),
            inIface: null,
            state: 'NEW',
            mark: 0,
            assumeHistory: false,
          });
          const got = outcome(result);
          expect(got, JSON.stringify(result.paths.map((p) => ({ d: p.disposition, r: p.reason, steps: p.steps.map((s) => s.effect) })), null, 1)).toEqual({
            dnat: [...c.expect.dnat].sort(),
            verdict: c.expect.verdict,
            masquerade: c.expect.masquerade,
          });
        });
      }
    });
  }
});
