/**
 * The kernel test harness: what kernel test files import. docs/kernel-tests.md explains it.
 *
 *   const kernel = kernelAvailable();
 *   if (!kernel.ok) console.warn(`[kernel/area] skipped: ${kernel.why}`);
 *   describe.skipIf(!kernel.ok)('…', () => {
 *     let topo: Topology;
 *     beforeAll(async () => { topo = await buildTopology({ area: 'area', rules: { iptables } }); });
 *     afterAll(async () => { await topo?.destroy(); });
 *     it('…', async () => { const r = await probe(topo, { origin: 'pod', protocol: 'tcp', dst: '10.96.0.10', dport: 80 }); … });
 *   });
 */
export { kernelAvailable } from './available.js';
export { createNamespace, deleteNamespace, registeredNamespaces, withNamespace } from './netns.js';
export { buildTopology, defaultNodeSysctls } from './topology.js';
export { loadSnapshot, roundTrip, restoreTest, iptablesCommand } from './rules.js';
export { probe, defaultWaitMs, maxWaitMs } from './probe.js';
export { interpretEvidence } from './interpret.js';
export { parseConntrackLine, parseConntrackText } from './conntrack.js';
export type * from './types.js';
