/**
 * The evaluator against the kernel, on every sample (samples/*): each sample's rules are loaded
 * into a node namespace wired with the sample node's addresses, and every Service address and
 * port the rules name is asked about from a pod, the host and outside. The kernel's outcome
 * (disposition, interface, destination after DNAT, source after SNAT) must be one of the paths
 * the evaluator predicts for the same rules and the same node (its `ip addr`, `ip route` and
 * sysctls, read from the namespace). docs/evaluator.md explains the comparison and gives the
 * counts; test/kernel/agreement/ holds the shared code.
 *
 * Skips, saying why, unless root with `ip netns` (docs/kernel-tests.md). Packets the evaluator
 * sends through IPVS are not compared (this kernel has no IPVS module): they are reported as
 * skipped. Disagreements that are evaluator bugs already reported (agreement/known-bugs.ts)
 * pass with an annotation; each has a minimal case below marked `it.fails`.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntervalSet } from '../../src/eval/interval-set.js';
import { trace } from '../../src/eval/pipeline.js';
import { nodeFacts } from '../../src/eval/node-facts.js';
import { buildNodeSnapshot } from '../../src/model/node.js';
import { parseAddress } from '../../src/model/values/address.js';
import { repoRoot } from '../support/paths.js';
import { buildTopology, kernelAvailable, type Topology } from './harness/index.js';
import { knownBugs } from './agreement/known-bugs.js';
import { captureNodeView, NodeView } from './agreement/node-view.js';
import { describePacket } from './agreement/outcome.js';
import { checkPacket, explainRecord, forEachLimited, tally } from './agreement/run.js';
import { prepareSampleTopology, sampleNames, sampleSetup, type SampleSetup } from './agreement/sample.js';
import type { AgreementPacket, AgreementRecord } from './agreement/types.js';

const kernel = kernelAvailable();
if (!kernel.ok) console.warn(`[kernel/eval-agreement] skipped: ${kernel.why}.`);

const samplesDir = join(repoRoot, 'samples');
/** Topologies probing at once; each runs its probes one at a time. */
const parallelTopologies = 4;
/**
 * A sample's packets are split over several topologies, up to this many each, so the biggest
 * sample is not the run's critical path. IPVS samples keep one: most of their packets are not
 * sent (IPVS would take them).
 */
const packetsPerTopology = 16;
const setups: SampleSetup[] = sampleNames(samplesDir).map((name) => sampleSetup(join(samplesDir, name), name, kernel.ok ? kernel.backends : ['nft']));

interface SampleRun {
  readonly records: Map<number, AgreementRecord>;
  /** Diagnostics iptlens gave reading the live namespace (ip addr, ip route, sysctl): none expected. */
  readonly viewProblems: Set<string>;
  errors: string[];
}

/** One topology's share of a sample: the indexes of its packets. */
interface WorkItem {
  readonly setup: SampleSetup;
  readonly packets: readonly number[];
}

function workItems(): WorkItem[] {
  const items: WorkItem[] = [];
  for (const setup of setups) {
    const indexes = setup.packets.map((_, k) => k);
    const ipvs = setup.sources.some((f) => /ipvsadm/.test(f.name));
    const size = ipvs ? indexes.length : packetsPerTopology;
    for (let k = 0; k < indexes.length; k += size) items.push({ setup, packets: indexes.slice(k, k + size) });
  }
  return items;
}

describe.skipIf(!kernel.ok)('the evaluator agrees with the kernel on every sample', () => {
  const runs = new Map<string, SampleRun>(setups.map((s) => [s.name, { records: new Map(), viewProblems: new Set(), errors: [] }]));

  beforeAll(async () => {
    await forEachLimited(workItems(), parallelTopologies, async ({ setup, packets }) => {
      const run = runs.get(setup.name)!;
      let topology: Topology | undefined;
      try {
        topology = await buildTopology({ area: 'agree', backend: setup.backend, ...setup.topology, rules: setup.rules });
        await prepareSampleTopology(topology, setup);
        const view = await captureNodeView(topology);
        const node = new NodeView(setup.name, setup.sources, view);
        const viewNames = new Set(view.map((v) => v.name));
        for (const d of node.snapshot.diagnostics) {
          if (d.severity === 'error' && d.at !== null && viewNames.has(d.at.source.name)) run.viewProblems.add(`${d.code}: ${d.message}`);
        }
        for (const k of packets) run.records.set(k, await checkPacket(topology, node, setup.packets[k]!));
      } catch (e) {
        run.errors.push(e instanceof Error ? e.message : String(e));
      } finally {
        await topology?.destroy();
      }
    });
  }, 20 * 60_000);

  afterAll(() => {
    const all = [...runs.values()].flatMap((r) => [...r.records.values()]);
    const t = tally(all);
    const compared = t.agree + t.knownBug + t.disagree;
    const byBug = new Map<string, number>();
    for (const r of all) if (r.knownBug) byBug.set(r.knownBug.split(':')[0]!, (byBug.get(r.knownBug.split(':')[0]!) ?? 0) + 1);
    const bugs = [...byBug].map(([id, n]) => `${id} ${n}`).join(', ');
    console.log(
      `agreement: samples ${t.agree + t.knownBug}/${compared} probes ` +
        `(${t.agree} agree, ${t.knownBug} known evaluator bugs${bugs ? ` [${bugs}]` : ''}, ${t.disagree} other disagreements; ` +
        `${t.notComparable} not compared: IPVS) over ${runs.size} samples`,
    );
    for (const s of setups) {
      const r = runs.get(s.name);
      if (!r) continue;
      const st = tally(r.records.values());
      console.log(`  ${s.name}: ${st.agree} agree, ${st.knownBug} known bugs, ${st.disagree} disagree, ${st.notComparable} IPVS${r.errors.length > 0 ? `; failed: ${r.errors.join('; ')}` : ''}`);
    }
  });

  for (const setup of setups) {
    describe(setup.name, () => {
      it('is built as the sample node, and iptlens reads the namespace without errors', () => {
        const run = runs.get(setup.name);
        expect(run?.errors, `${setup.name}: ${run?.errors.join('\n')}\nadaptations:\n${setup.adaptations.join('\n')}`).toEqual([]);
        expect([...(run?.viewProblems ?? [])]).toEqual([]);
        expect(setup.packets.length).toBeGreaterThan(0);
      });

      for (const [k, packet] of setup.packets.entries()) {
        it(describePacket(packet), async (ctx) => {
          const run = runs.get(setup.name);
          const record = run?.records.get(k);
          if (!record) throw new Error(`${setup.name}: not probed${run && run.errors.length > 0 ? `: ${run.errors.join('; ')}` : ''}`);
          if (record.verdict.kind === 'not-comparable') ctx.skip(record.verdict.why);
          if (record.knownBug) await ctx.annotate(`known evaluator bug ${record.knownBug}`, 'notice');
          expect(record.verdict.kind === 'agree' || record.knownBug !== undefined, explainRecord(record)).toBe(true);
        });
      }
    });
  }
});

/**
 * Minimal cases of the evaluator bugs the agreement found (agreement/known-bugs.ts). Each asserts
 * agreement. Those marked `it.fails` fail today; when a fix makes one pass, `it.fails` fails:
 * delete its entry in known-bugs.ts and make it a plain test, as the fixed ones below are.
 */
describe.skipIf(!kernel.ok)('evaluator bugs found by the agreement: minimal cases', () => {
  let topology: Topology;
  const view: { texts: Awaited<ReturnType<typeof captureNodeView>> } = { texts: [] };

  beforeAll(async () => {
    topology = await buildTopology({ area: 'agreebug', remotes: [{ name: 'far', addresses: ['198.51.100.7'] }] });
    view.texts = await captureNodeView(topology);
  });

  afterAll(async () => {
    await topology?.destroy();
  });

  /** Loads nat and filter rules (every table written, so nothing of the previous case stays) and compares. */
  async function agreement(nat: string, filter: string, packet: AgreementPacket): Promise<AgreementRecord> {
    const rules = [
      '*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT',
      '*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT',
      `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n${nat}COMMIT`,
      `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n${filter.includes(':OUTPUT') ? '' : ':OUTPUT ACCEPT [0:0]\n'}${filter}COMMIT`,
    ].join('\n');
    await topology.load({ iptables: `${rules}\n` });
    return checkPacket(topology, new NodeView('minimal', [{ name: 'minimal/iptables-save.txt', text: `${rules}\n` }], view.texts), packet);
  }

  it('fixed K1: a pod packet to the internet leaves by the uplink eth0 (a veth here, as on kind nodes): egress, not local-pod', async () => {
    const r = await agreement('', '', { origin: 'pod', family: 'ipv4', protocol: 'tcp', src: '10.244.1.5', sport: 41001, dst: '198.51.100.7', dport: 443 });
    expect(r.verdict.kind, explainRecord(r)).toBe('agree');
  });

  it('fixed K3: MASQUERADE of a local packet to a local address takes the namespace\'s first global address, not "address of lo"', async () => {
    const r = await agreement('-A POSTROUTING -j MASQUERADE\n', '', { origin: 'host', family: 'ipv4', protocol: 'udp', src: '10.244.1.1', sport: 41002, dst: '10.0.0.11', dport: 443 });
    expect(r.verdict.kind, explainRecord(r)).toBe('agree');
  });

  it.fails('K4: a REJECT whose ICMP error the node\'s OUTPUT drops is heard by nobody: a drop', async () => {
    const filter = ':OUTPUT DROP [0:0]\n-A INPUT -p tcp -j REJECT --reject-with icmp-port-unreachable\n';
    const r = await agreement('', filter, { origin: 'pod', family: 'ipv4', protocol: 'tcp', src: '10.244.1.5', sport: 41003, dst: '10.0.0.11', dport: 80 });
    expect(r.verdict.kind, explainRecord(r)).toBe('agree');
  });

  it('fixed K6: a local process\'s packet to 127.0.0.53 (local by the 127.0.0.0/8 local route) is delivered locally', async () => {
    const r = await agreement('', '', { origin: 'host', family: 'ipv4', protocol: 'udp', src: '127.0.0.1', sport: 41004, dst: '127.0.0.53', dport: 53 });
    expect(r.verdict.kind, explainRecord(r)).toBe('agree');
  });

  it.fails('K7: a local packet from 127.0.0.1 DNATed in nat OUTPUT to a pod is dropped (no route_localnet)', async () => {
    const nat = '-A OUTPUT -d 127.0.0.1/32 -p tcp -m tcp --dport 30080 -j DNAT --to-destination 10.244.1.5:8080\n';
    const r = await agreement(nat, '', { origin: 'host', family: 'ipv4', protocol: 'tcp', src: '127.0.0.1', sport: 41005, dst: '127.0.0.1', dport: 30080 });
    expect(r.verdict.kind, explainRecord(r)).toBe('agree');
  });

  it.fails('K8: filter OUTPUT -o sees the device of the route before nat OUTPUT\'s DNAT (lo), not the new one', async () => {
    const nat = '-A OUTPUT -d 10.0.0.11/32 -p udp -m udp --dport 80 -j DNAT --to-destination 10.244.1.5\n';
    const r = await agreement(nat, '-A OUTPUT -o cni0 -j DROP\n', { origin: 'host', family: 'ipv4', protocol: 'udp', src: '10.0.0.11', sport: 41006, dst: '10.0.0.11', dport: 80 });
    expect(r.verdict.kind, explainRecord(r)).toBe('agree');
  });

  it('every known bug has its minimal case here', () => {
    expect(knownBugs.map((b) => b.id)).toEqual(['K4', 'K7', 'K8']);
  });
});

/**
 * Bugs found on the way that need no kernel. K2: iptables-restore refuses a protocol it cannot
 * name, so the kernel never holds such a rule, but a dump from a node with another
 * /etc/protocols can: the model drops the unreadable `-p` match and the rule matches every
 * packet, where it should become a condition (STYLE rule 3). K5: without an ip addr dump,
 * `addrtype --src-type LOCAL` is decided anew at every rule, so one path can hold under "the
 * source is local" and "the source is not local" at once, and a drop that cannot happen is
 * reported.
 */
describe('known evaluator bugs K2 and K5: minimal cases (fixes pending)', () => {
  const one = (a: string) => IntervalSet.of(parseAddress(a)!.first);
  const podPacket = { origin: 'pod', family: 'ipv4', src: one('10.244.1.5'), dst: one('198.51.100.7'), proto: 'tcp', sport: IntervalSet.of(40000n), dport: IntervalSet.of(443n), inIface: 'cni0', state: 'NEW', mark: 0, assumeHistory: false } as const;
  const filter = (rules: string) => `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}COMMIT\n`;

  it.fails('K2: a rule with an unreadable -p value does not drop every packet', () => {
    const text = filter('-A FORWARD -p not-a-protocol -j DROP\n');
    const facts = nodeFacts(buildNodeSnapshot('k2', [{ name: 'iptables-save.txt', text }]), 'ipv4', { localIps: [parseAddress('10.0.0.11')!.first] });
    const result = trace(facts, podPacket);
    expect(result.paths.some((p) => p.disposition !== 'drop')).toBe(true);
  });

  it.fails('K5: no path holds under a condition and its negation', () => {
    const text = filter('-A FORWARD -m addrtype --src-type LOCAL -j ACCEPT\n-A FORWARD -m addrtype --src-type LOCAL -j DROP\n');
    const result = trace(nodeFacts(buildNodeSnapshot('k5', [{ name: 'iptables-save.txt', text }]), 'ipv4'), podPacket);
    for (const p of result.paths) {
      const said = new Set(p.conditions.map((c) => c.text));
      expect([...said].filter((t) => said.has(`not: ${t}`)), p.conditions.map((c) => c.text).join('; ')).toEqual([]);
    }
  });
});
