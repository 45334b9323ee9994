/**
 * Which proxy mode and which kube-proxy generation programmed a node, from the chains, sets and
 * tables each one creates:
 *
 * - iptables mode (pkg/proxy/iptables): per-Service-port chains KUBE-SVC-/KUBE-SEP-/KUBE-EXT-/
 *   KUBE-SVL-/KUBE-FW-/KUBE-XLB- in nat, KUBE-NODEPORTS in nat, KUBE-EXTERNAL-SERVICES in filter.
 *   1.24+ (`current`) adds KUBE-EXT-/KUBE-SVL- and filter KUBE-PROXY-FIREWALL, and moves the
 *   cluster-IP masquerade rule into KUBE-SVC-; before it (`pre-1.24`) KUBE-XLB- held the local
 *   endpoints, KUBE-FW- ended in KUBE-MARK-DROP and KUBE-SERVICES held the masquerade rules.
 * - IPVS mode (pkg/proxy/ipvs): nat KUBE-SERVICES matches `--match-set KUBE-CLUSTER-IP`, nat
 *   KUBE-LOAD-BALANCER / KUBE-NODE-PORT, filter KUBE-IPVS-FILTER, the KUBE-* ipsets, and virtual
 *   services in the IPVS table.
 * - nftables mode (pkg/proxy/nftables): a `table ip kube-proxy` / `table ip6 kube-proxy`.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import type { SourceRef } from '../../grammar/source.js';
import type { Chain, Rule, Ruleset } from '../model/iptables/types.js';
import { readChainName } from './chain-names.js';
import { jumpOf } from './rule-fields.js';
import type { Evidence, Generation, ProxyMode, ServiceInputs } from './types.js';

export interface ModeDecision {
  readonly mode: ProxyMode;
  readonly generation: Generation;
  readonly evidence: readonly Evidence[];
  readonly diagnostics: readonly Diagnostic[];
}

interface Sign {
  readonly what: string;
  readonly at: SourceRef;
}

/** The IPVS-mode sets of kube-proxy (pkg/proxy/ipvs/ipset.go), by their IPv4 names. */
const IPVS_SETS = ['KUBE-CLUSTER-IP', 'KUBE-LOAD-BALANCER', 'KUBE-NODE-PORT-TCP', 'KUBE-LOOP-BACK', 'KUBE-EXTERNAL-IP'];

function rulesets(inputs: ServiceInputs): Ruleset[] {
  return [inputs.ipv4, inputs.ipv6].filter((r): r is Ruleset => r !== null);
}

function chains(ruleset: Ruleset, table: 'nat' | 'filter'): readonly Chain[] {
  return ruleset.tables.find((t) => t.name === table)?.chains ?? [];
}

/** The offset of the first `table ip|ip6|inet kube-proxy {` line of an nft ruleset, and its family. */
function nftKubeProxyTable(text: string): { offset: number; family: string } | null {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const words = text.slice(start, end).trim().split(/\s+/);
    if (words[0] === 'table' && (words[1] === 'ip' || words[1] === 'ip6' || words[1] === 'inet') && words[2] === 'kube-proxy') {
      return { offset: start + text.slice(start, end).indexOf('table'), family: words[1] };
    }
    start = end + 1;
  }
  return null;
}

export function detectProxyMode(inputs: ServiceInputs): ModeDecision {
  const diagnostics: Diagnostic[] = [];
  const iptablesSigns: Sign[] = [];
  const ipvsSigns: Sign[] = [];
  let iptablesWeight = 0;
  let ipvsWeight = 0;

  for (const ruleset of rulesets(inputs)) {
    for (const chain of chains(ruleset, 'nat')) {
      const info = readChainName(chain.name);
      if (info) {
        iptablesWeight++;
        if (iptablesSigns.length < 3) iptablesSigns.push({ what: `nat chain ${chain.name}`, at: chain.at });
      } else if (chain.name === 'KUBE-LOAD-BALANCER' || chain.name === 'KUBE-NODE-PORT') {
        ipvsSigns.push({ what: `nat chain ${chain.name}`, at: chain.at });
      } else if (chain.name === 'KUBE-SERVICES') {
        for (const rule of chain.rules) {
          if (rule.matches.some((m) => m.kind === 'set' && m.name.replace(/^KUBE-6-/, 'KUBE-') === 'KUBE-CLUSTER-IP')) {
            ipvsSigns.push({ what: 'nat KUBE-SERVICES matches --match-set KUBE-CLUSTER-IP', at: rule.at });
            break;
          }
        }
      }
    }
    for (const chain of chains(ruleset, 'filter')) {
      if (chain.name === 'KUBE-IPVS-FILTER') ipvsSigns.push({ what: 'filter chain KUBE-IPVS-FILTER', at: chain.at });
      const filterRule = (r: Rule): boolean => r.comment?.endsWith(' has no endpoints') === true || r.comment?.endsWith(' has no local endpoints') === true;
      if (chain.name === 'KUBE-EXTERNAL-SERVICES' || (chain.name === 'KUBE-SERVICES' && chain.rules.some(filterRule))) {
        iptablesSigns.push({ what: `filter chain ${chain.name}`, at: chain.at });
        iptablesWeight += chain.rules.length;
      }
    }
  }
  for (const set of inputs.ipsets ?? []) {
    if (IPVS_SETS.includes(set.name.replace(/^KUBE-6-/, 'KUBE-'))) {
      if (ipvsSigns.length < 6) ipvsSigns.push({ what: `ipset ${set.name}`, at: set.at });
      ipvsWeight += Math.max(1, set.members.length);
    }
  }
  const virtualServices = inputs.ipvs?.services.filter((s) => s.protocol !== 'fwm') ?? [];
  if (virtualServices.length > 0) {
    ipvsSigns.push({ what: `${virtualServices.length} IPVS virtual services`, at: virtualServices[0]!.at });
    ipvsWeight += virtualServices.length;
  }

  const nft = (inputs.nftRulesets ?? []).map((source) => ({ source, table: nftKubeProxyTable(source.text) })).find((x) => x.table !== null);
  if (nft?.table) {
    const at: SourceRef = { source: nft.source, start: nft.table.offset, end: nft.table.offset + `table ${nft.table.family} kube-proxy`.length };
    diagnostics.push(diagnose('k8s/nftables-mode', at, nft.table.family));
    return { mode: 'nftables', generation: 'unknown', evidence: [{ fact: 'proxy-mode', what: `nftables: table ${nft.table.family} kube-proxy`, at }], diagnostics };
  }

  // IPVS-mode rules alone (without sets or a table) still say IPVS; a virtual server table alone
  // (keepalived, docker swarm) does not make a kube-proxy.
  const ipvsRuleSigns = ipvsSigns.filter((s) => s.what.startsWith('nat') || s.what.startsWith('filter') || s.what.startsWith('ipset'));
  const ipvsPresent = ipvsRuleSigns.length > 0 || (virtualServices.length > 0 && rulesets(inputs).length === 0);
  const iptablesPresent = iptablesSigns.length > 0;
  if (!ipvsPresent && !iptablesPresent) {
    if (rulesets(inputs).length === 0 && !inputs.ipsets && !inputs.ipvs) {
      diagnostics.push(diagnose('k8s/no-rules', null));
      return { mode: 'unknown', generation: 'unknown', evidence: [], diagnostics };
    }
    const first = rulesets(inputs)[0]?.tables[0]?.at ?? null;
    diagnostics.push(diagnose('k8s/no-kube-proxy', first));
    return { mode: 'none', generation: 'unknown', evidence: [], diagnostics };
  }
  let mode: 'iptables' | 'ipvs';
  if (ipvsPresent && iptablesPresent) {
    mode = ipvsWeight > iptablesWeight ? 'ipvs' : 'iptables';
    const a = iptablesSigns[0]!;
    const b = ipvsSigns[0]!;
    diagnostics.push(diagnose('k8s/mixed-modes', mode === 'ipvs' ? a.at : b.at, a.what, b.what, mode));
  } else mode = ipvsPresent ? 'ipvs' : 'iptables';
  const signs = mode === 'ipvs' ? ipvsSigns : iptablesSigns;
  const evidence: Evidence[] = signs.slice(0, 3).map((s) => ({ fact: 'proxy-mode', what: `${mode}: ${s.what}`, at: s.at }));
  if (mode === 'ipvs') return { mode, generation: 'ipvs', evidence, diagnostics };
  const generation = detectGeneration(inputs, evidence);
  return { mode, generation, evidence, diagnostics };
}

/** `current` or `pre-1.24` from the chains only one of them writes. */
function detectGeneration(inputs: ServiceInputs, evidence: Evidence[]): Generation {
  let current: Sign | null = null;
  let previous: Sign | null = null;
  for (const ruleset of rulesets(inputs)) {
    for (const chain of chains(ruleset, 'nat')) {
      const info = readChainName(chain.name);
      if (!info) {
        if (chain.name === 'KUBE-SERVICES' && !previous) {
          const masq = chain.rules.find((r) => jumpOf(r) === 'KUBE-MARK-MASQ' && r.comment?.endsWith(' cluster IP'));
          if (masq) previous = { what: 'cluster-IP masquerade rules in KUBE-SERVICES', at: masq.at };
        }
        continue;
      }
      if ((info.kind === 'ext' || info.kind === 'svl') && !current) current = { what: `chain ${chain.name}`, at: chain.at };
      if (info.kind === 'xlb' && !previous) previous = { what: `chain ${chain.name}`, at: chain.at };
      if (info.kind === 'fw' && !previous) {
        const drop = chain.rules.find((r) => jumpOf(r) === 'KUBE-MARK-DROP');
        if (drop) previous = { what: `${chain.name} ends in KUBE-MARK-DROP`, at: drop.at };
      }
      if (info.kind === 'svc' && !current) {
        const masq = chain.rules.find((r) => jumpOf(r) === 'KUBE-MARK-MASQ');
        const arrow = chain.rules.find((r) => r.comment?.includes(' -> '));
        if (masq) current = { what: `cluster-IP masquerade rule in ${chain.name}`, at: masq.at };
        else if (arrow) current = { what: `"… -> endpoint" comments in ${chain.name}`, at: arrow.at };
      }
    }
    for (const chain of chains(ruleset, 'filter')) {
      if (chain.name === 'KUBE-PROXY-FIREWALL' && !current) current = { what: 'filter chain KUBE-PROXY-FIREWALL', at: chain.at };
    }
  }
  const chosen = current ? { generation: 'current' as const, sign: current } : previous ? { generation: 'pre-1.24' as const, sign: previous } : null;
  if (!chosen) return 'unknown';
  evidence.push({ fact: 'generation', what: `${chosen.generation}: ${chosen.sign.what}`, at: chosen.sign.at });
  return chosen.generation;
}
