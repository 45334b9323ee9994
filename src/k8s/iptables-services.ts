/**
 * Service ports from kube-proxy's iptables-mode rules, both generations, as
 * pkg/proxy/iptables/proxier.go syncProxyRules writes them:
 *
 * - nat KUBE-SERVICES: `"<name> cluster IP"` → KUBE-SVC- (or KUBE-SVL- with internalTrafficPolicy
 *   Local), `"<name> external IP"` → KUBE-EXT- (1.24+) or KUBE-SVC-/KUBE-XLB- (before),
 *   `"<name> loadbalancer IP"` → KUBE-EXT-, KUBE-FW- (source ranges; always before 1.24);
 *   before 1.24 also `! -s <cluster CIDR> … -j KUBE-MARK-MASQ` per cluster IP.
 * - nat KUBE-NODEPORTS: `--dport <nodePort>` → KUBE-EXT- (1.24+), KUBE-SVC-/KUBE-XLB- (before).
 * - KUBE-SVC-: the masquerade rule (1.24+), ClientIP affinity (`-m recent --rcheck --seconds`),
 *   then one jump per cluster-policy endpoint; KUBE-SVL- / KUBE-XLB- the same for local ones.
 * - KUBE-EXT-: `masquerade traffic for …` + jump to KUBE-SVC- (externalTrafficPolicy Cluster), or
 *   the pod / LOCAL short-circuits + jump to KUBE-SVL- (Local; no jump when no local endpoint).
 * - KUBE-FW-: `-s <range>` jumps (loadBalancerSourceRanges; `-s <LB IP>` when a range holds the
 *   node IP), then nothing (1.24+: KUBE-PROXY-FIREWALL drops) or KUBE-MARK-DROP (before).
 * - KUBE-SEP-: `-j DNAT --to-destination <endpoint>`.
 * - filter: `"<name> has no endpoints"` REJECT, `"<name> has no local endpoints"` DROP (KUBE-SERVICES
 *   for cluster IPs, KUBE-EXTERNAL-SERVICES for external IPs, LB IPs and NodePorts),
 *   `"<name> health check node port"` ACCEPT (KUBE-NODEPORTS), `"<name> traffic not accepted by
 *   KUBE-FW-…"` DROP (KUBE-PROXY-FIREWALL).
 *
 * Chains are tied to their Service port by their shared hash (chain-names.ts), so comment-less
 * rules (kube-proxy drops the endpoint comments above 1000 endpoints) still land in the right place.
 *
 * Size (~450 lines) and shape: one reader per ruleset whose inner functions share the drafts,
 * settings and diagnostics of the call (house rule 10); it follows syncProxyRules rule kind by
 * rule kind, and splitting nat from filter would split that one mapping across files.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import type { Chain, Rule, Ruleset, Table } from '../model/iptables/types.js';
import { portProtoHash, readChainName } from './chain-names.js';
import type { DraftTable, ServicePortDraft, SettingsDraft } from './draft.js';
import {
  affinitySecondsOf,
  destinationOf,
  destinationPortOf,
  dnatDestinationOf,
  inInterfaceOf,
  isUnconditional,
  jumpOf,
  matchesLocalDestination,
  matchesLocalSource,
  protocolOf,
  sourceOf,
} from './rule-fields.js';
import type { ServiceProtocol } from './types.js';

/** The text before `suffix` when the comment ends with it. */
function nameBefore(comment: string | null, suffix: string): string | null {
  return comment !== null && comment.endsWith(suffix) && comment.length > suffix.length ? comment.slice(0, -suffix.length) : null;
}

/** The text between `prefix` and `suffix`. */
function nameBetween(comment: string | null, prefix: string, suffix: string): string | null {
  if (comment === null || !comment.startsWith(prefix) || !comment.endsWith(suffix)) return null;
  const name = comment.slice(prefix.length, comment.length - suffix.length);
  return name.length > 0 ? name : null;
}

/** The Service port name a kube-proxy comment carries, whatever rule it is on. */
function commentName(comment: string | null): string | null {
  if (comment === null) return null;
  const arrow = comment.indexOf(' -> ');
  if (arrow > 0) return comment.slice(0, arrow);
  for (const suffix of [' cluster IP', ' external IP', ' loadbalancer IP', ' has no endpoints', ' has no local endpoints', ' health check node port']) {
    const n = nameBefore(comment, suffix);
    if (n) return n;
  }
  return (
    nameBetween(comment, 'masquerade traffic for ', ' external destinations') ??
    nameBetween(comment, 'pod traffic for ', ' external destinations') ??
    nameBetween(comment, 'masquerade LOCAL traffic for ', ' external destinations') ??
    nameBetween(comment, 'route LOCAL traffic for ', ' external destinations') ??
    nameBetween(comment, 'masquerade LOCAL traffic for ', ' LB IP') ??
    nameBetween(comment, 'route LOCAL traffic for ', ' LB IP to service chain') ??
    nameBetween(comment, 'other traffic to ', ' will be dropped by KUBE-PROXY-FIREWALL') ??
    (comment.startsWith('Balancing rule ') ? comment.slice(comment.indexOf(' for ') + 5) || null : null) ??
    (comment.includes(' traffic not accepted by ') ? comment.slice(0, comment.indexOf(' traffic not accepted by ')) : null) ??
    (!comment.includes(' ') && comment.includes('/') ? comment : null)
  );
}

interface EndpointChain {
  readonly address: string;
  readonly port: number | null;
  readonly rule: Rule;
  readonly protocol: ServiceProtocol | null;
  readonly name: string | null;
}

function chainOf(table: Table | undefined, name: string): Chain | undefined {
  return table?.chainsByName.get(name);
}

/** Reads one ruleset (IPv4 or IPv6) into the drafts; dual-stack Service ports meet by hash. */
export function readIptablesServices(ruleset: Ruleset, drafts: DraftTable, settings: SettingsDraft, diagnostics: Diagnostic[]): void {
  const nat = ruleset.tables.find((t) => t.name === 'nat');
  const filter = ruleset.tables.find((t) => t.name === 'filter');
  const family = ruleset.family;

  const endpointChains = new Map<string, EndpointChain>();
  for (const chain of nat?.chains ?? []) {
    if (readChainName(chain.name)?.kind !== 'sep') continue;
    const dnatRule = chain.rules.find((r) => r.target?.kind === 'DNAT');
    const destination = dnatRule ? dnatDestinationOf(dnatRule) : null;
    if (!dnatRule || !destination) {
      diagnostics.push(diagnose('k8s/sep-without-dnat', chain.at, chain.name));
      continue;
    }
    endpointChains.set(chain.name, { ...destination, rule: dnatRule, protocol: protocolOf(dnatRule), name: commentName(dnatRule.comment) });
  }

  /** The draft a per-Service-port chain belongs to; null (reported) when it is not declared. */
  const draftOfChain = (target: string, rule: Rule): ServicePortDraft | null => {
    const info = readChainName(target);
    if (!info || info.kind === 'sep') return null;
    if (!chainOf(nat, target)) {
      diagnostics.push(diagnose('k8s/missing-chain', rule.at, target));
      return null;
    }
    const d = drafts.forHash(info.hash);
    d.foundIn.add('iptables');
    d.chains[info.kind] = target;
    return d;
  };

  /** A jump to an undeclared per-Service chain (the model reads it as an unknown target, and says so). */
  const reportUndeclared = (rule: Rule): void => {
    const t = rule.target;
    if (t?.kind === 'unknown' && readChainName(t.name)) diagnostics.push(diagnose('k8s/missing-chain', rule.at, t.name));
  };

  const nameFrom = (d: ServicePortDraft, rule: Rule, chain: string): void => {
    d.setProtocol(protocolOf(rule));
    const name = commentName(rule.comment);
    if (name) d.setName(name, rule.at, diagnostics, chain);
  };

  /** The local traffic detector of a masquerade or short-circuit rule (pkg/proxy/util/iptables LocalTrafficDetector). */
  const readDetector = (rule: Rule, what: string): boolean => {
    const source = sourceOf(rule);
    if (source) {
      settings.addClusterCidr(source.cidr.text, rule.at, `${source.negated ? '! ' : ''}-s ${source.cidr.text} in ${what}`);
      return true;
    }
    const iface = inInterfaceOf(rule);
    if (iface) {
      settings.addPodInterface(iface.name, rule.at, `${iface.negated ? '! ' : ''}-i ${iface.name} in ${what}`);
      return true;
    }
    return false;
  };

  // nat KUBE-SERVICES: the Service IPs.
  for (const rule of chainOf(nat, 'KUBE-SERVICES')?.rules ?? []) {
    const target = jumpOf(rule);
    reportUndeclared(rule);
    if (!target) continue;
    if (target === 'KUBE-NODEPORTS') {
      const dst = destinationOf(rule);
      if (dst) settings.addNodePortAddress(dst.text, rule.at, `KUBE-SERVICES -d ${dst.text} -j KUBE-NODEPORTS`);
      else if (matchesLocalDestination(rule)) {
        settings.nodePortsOnAllAddresses = true;
        settings.note('node-port-addresses', 'every local address (-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS)', rule.at);
      }
      continue;
    }
    if (target === 'KUBE-MARK-MASQ') {
      // Before 1.24 the cluster-IP masquerade rule sat in KUBE-SERVICES.
      if (nameBefore(rule.comment, ' cluster IP') !== null && !readDetector(rule, 'KUBE-SERVICES')) {
        settings.setMasqueradeAll(rule.at, 'cluster IP rule jumps to KUBE-MARK-MASQ for every source');
      }
      continue;
    }
    const d = draftOfChain(target, rule);
    if (!d) continue;
    nameFrom(d, rule, target);
    const dst = destinationOf(rule);
    const dport = destinationPortOf(rule);
    if (!dst) continue;
    const shown = `${dst.text}:${dport ?? '?'} → ${target}`;
    const kind = readChainName(target)?.kind;
    let role: 'cluster' | 'external' | 'lb' | 'other';
    if (nameBefore(rule.comment, ' cluster IP') !== null) role = 'cluster';
    else if (nameBefore(rule.comment, ' external IP') !== null) role = 'external';
    else if (nameBefore(rule.comment, ' loadbalancer IP') !== null) role = 'lb';
    else if (kind === 'fw') role = 'lb';
    else if ((kind === 'svc' || kind === 'svl') && !d.clusterIPs.some((ip) => ip.includes(':') === (family === 'ipv6'))) role = 'cluster';
    else role = 'other';
    switch (role) {
      case 'cluster':
        d.addClusterIP(dst.text, rule.at, shown);
        d.setPort(dport);
        if (kind === 'svl') d.setInternalPolicy('Local', rule.at, `the cluster IP goes to ${target}, the local endpoints only`);
        else if (kind === 'svc') d.setInternalPolicy('Cluster', rule.at, `the cluster IP goes to ${target}, every endpoint`);
        break;
      case 'external':
        d.addExternalIP(dst.text, rule.at, shown);
        d.setPort(dport);
        break;
      case 'lb':
        d.addLoadBalancerIP(dst.text, rule.at, shown);
        d.setPort(dport);
        break;
      case 'other':
        d.addOtherExternalIP(dst.text, rule.at, shown);
        break;
    }
    if (kind === 'xlb') d.setExternalPolicy('Local', rule.at, `${dst.text} goes to ${target}, the local endpoints only`);
  }

  // nat KUBE-NODEPORTS: the NodePorts.
  for (const rule of chainOf(nat, 'KUBE-NODEPORTS')?.rules ?? []) {
    const target = jumpOf(rule);
    reportUndeclared(rule);
    const dport = destinationPortOf(rule);
    if (!target || dport === null || !readChainName(target)) continue;
    const d = draftOfChain(target, rule);
    if (!d) continue;
    nameFrom(d, rule, target);
    d.setNodePort(dport, rule.at, `--dport ${dport} → ${target}`);
    const kind = readChainName(target)?.kind;
    if (kind === 'xlb') d.setExternalPolicy('Local', rule.at, `NodePort ${dport} goes to ${target}, the local endpoints only`);
    else if (kind === 'svc') d.setExternalPolicy('Cluster', rule.at, `NodePort ${dport} goes to ${target}, every endpoint`);
  }

  // The per-Service-port chains.
  for (const chain of nat?.chains ?? []) {
    const info = readChainName(chain.name);
    if (!info || info.kind === 'sep') continue;
    const d = drafts.forHash(info.hash);
    d.foundIn.add('iptables');
    d.chains[info.kind] = chain.name;
    switch (info.kind) {
      case 'svc':
      case 'svl':
      case 'xlb':
        readEndpointChain(chain, info.kind, d);
        break;
      case 'ext':
        readExternalChain(chain, d);
        break;
      case 'fw':
        readFirewallChain(chain, d);
        break;
    }
  }

  function readEndpointChain(chain: Chain, kind: 'svc' | 'svl' | 'xlb', d: ServicePortDraft): void {
    const local = kind !== 'svc';
    if (local) d.localSetKnown = true;
    if (kind === 'xlb') d.setExternalPolicy('Local', chain.at, `${chain.name} exists (pre-1.24 local-endpoints chain)`);
    for (const rule of chain.rules) {
      const target = jumpOf(rule);
      nameFrom(d, rule, chain.name);
      reportUndeclared(rule);
      if (target === 'KUBE-MARK-MASQ') {
        // The one KUBE-MARK-MASQ jump of the internal traffic chain (KUBE-SVC-, or KUBE-SVL- with
        // internalTrafficPolicy Local) is the cluster-IP masquerade rule; KUBE-XLB-'s is for LOCAL sources.
        if (kind !== 'xlb') {
          const dst = destinationOf(rule);
          if (dst) d.addClusterIP(dst.text, rule.at, `${dst.text} in the masquerade rule of ${chain.name}`);
          d.setPort(destinationPortOf(rule));
          if (!readDetector(rule, chain.name)) settings.setMasqueradeAll(rule.at, `${chain.name} masquerades every source`);
        }
        continue;
      }
      if (target === 'KUBE-MARK-DROP' && nameBefore(rule.comment, ' has no local endpoints') !== null) {
        d.setExternalPolicy('Local', rule.at, `${chain.name} drops: no local endpoints`);
        continue;
      }
      if (!target) continue;
      const sep = endpointChains.get(target);
      if (readChainName(target)?.kind === 'sep') {
        if (!sep) continue;
        if (!d.chains.seps.includes(target)) d.chains.seps.push(target);
        const e = d.endpoint(sep.address, sep.port, sep.rule.at);
        e.chain = target;
        d.setProtocol(sep.protocol);
        if (sep.name) d.setName(sep.name, sep.rule.at, diagnostics, chain.name);
        if (local) e.inLocalSet = true;
        else e.inClusterSet = true;
        d.note('endpoint', `${sep.address}${sep.port !== null ? `:${sep.port}` : ''} via ${target} (from ${chain.name})`, rule.at);
        const seconds = affinitySecondsOf(rule);
        if (seconds !== null) d.setAffinity(seconds, rule.at, `-m recent --rcheck --seconds ${seconds} in ${chain.name}`);
        continue;
      }
      if (kind === 'xlb' && readChainName(target)?.kind === 'svc' && sourceOf(rule) && !sourceOf(rule)!.negated) {
        readDetector(rule, chain.name);
      }
    }
  }

  function readExternalChain(chain: Chain, d: ServicePortDraft): void {
    for (const rule of chain.rules) {
      const target = jumpOf(rule);
      nameFrom(d, rule, chain.name);
      if (!target) continue;
      const targetKind = readChainName(target)?.kind;
      if (target === 'KUBE-MARK-MASQ' && isUnconditional(rule)) {
        d.setExternalPolicy('Cluster', rule.at, `${chain.name} masquerades all external traffic`);
      } else if (target === 'KUBE-MARK-MASQ' && matchesLocalSource(rule)) {
        d.setExternalPolicy('Local', rule.at, `${chain.name} masquerades only LOCAL-source traffic`);
      } else if (targetKind === 'svl') {
        d.setExternalPolicy('Local', rule.at, `${chain.name} ends in ${target}, the local endpoints only`);
      } else if (targetKind === 'svc' && isUnconditional(rule)) {
        d.setExternalPolicy('Cluster', rule.at, `${chain.name} ends in ${target}, every endpoint`);
      } else if (targetKind === 'svc' && nameBetween(rule.comment, 'pod traffic for ', ' external destinations') !== null) {
        d.setExternalPolicy('Local', rule.at, `${chain.name} short-circuits pod traffic to ${target}`);
        readDetector(rule, chain.name);
      }
    }
    // Local policy without local endpoints: the short-circuits and no final jump (proxier.go: hasExternalEndpoints false).
    if (d.externalTrafficPolicy === 'Local' && !chain.rules.some((r) => readChainName(jumpOf(r) ?? '')?.kind === 'svl')) d.localSetKnown = true;
  }

  function readFirewallChain(chain: Chain, d: ServicePortDraft): void {
    for (const rule of chain.rules) {
      const target = jumpOf(rule);
      nameFrom(d, rule, chain.name);
      if (!target) continue;
      const targetKind = readChainName(target)?.kind;
      const source = sourceOf(rule);
      if (source && !source.negated && (targetKind === 'ext' || targetKind === 'svc' || targetKind === 'xlb')) {
        // proxier.go: `-s <LB IP>` is added when a source range holds the node IP (requests from
        // the node loop back with the VIP as source); it is not one of the Service's ranges.
        if (source.cidr.prefix === (family === 'ipv4' ? 32 : 128) && d.loadBalancerIPs.includes(source.cidr.text)) continue;
        d.addSourceRange(source.cidr.text, rule.at, `-s ${source.cidr.text} → ${target} in ${chain.name}`);
        if (targetKind === 'xlb') d.setExternalPolicy('Local', rule.at, `${chain.name} sends allowed sources to ${target}`);
        continue;
      }
      if (!source && isUnconditional(rule)) {
        if (targetKind === 'xlb') d.setExternalPolicy('Local', rule.at, `${chain.name} sends load-balancer traffic to ${target}`);
        else if (targetKind === 'svc') d.setExternalPolicy('Cluster', rule.at, `${chain.name} sends load-balancer traffic to ${target}`);
      }
    }
  }

  readFilter(filter);

  // Which endpoints are local: the local-policy chain lists every local endpoint in use.
  for (const d of drafts.all()) {
    if (!d.localSetKnown) continue;
    const localChain = d.chains.svl ?? d.chains.xlb;
    for (const e of d.endpoints.values()) {
      if (e.local !== 'unknown') continue;
      e.local = e.inLocalSet;
      const at = e.at;
      if (!at) continue;
      if (e.inLocalSet) d.note('local-endpoint', `${e.address} is in ${localChain ?? 'the local-endpoints chain'}`, at);
      else d.note('remote-endpoint', `${e.address} is not in ${localChain ?? 'any local-endpoints chain (there is none: no local endpoints)'}`, at);
    }
  }

  function readFilter(table: Table | undefined): void {
    for (const rule of chainOf(table, 'KUBE-SERVICES')?.rules ?? []) readNoEndpointRule(rule, 'internal');
    for (const rule of chainOf(table, 'KUBE-EXTERNAL-SERVICES')?.rules ?? []) readNoEndpointRule(rule, 'external');
    for (const rule of chainOf(table, 'KUBE-NODEPORTS')?.rules ?? []) {
      const name = nameBefore(rule.comment, ' health check node port');
      const dport = destinationPortOf(rule);
      const protocol = protocolOf(rule);
      if (!name || dport === null || rule.target?.kind !== 'ACCEPT') continue;
      // The health check is served over TCP whatever the Service's protocol: find the port by name.
      const d = draftByName(name, protocol, rule);
      d.setHealthCheckNodePort(dport, rule.at, `KUBE-NODEPORTS accepts health checks on ${dport}`);
      d.setExternalPolicy('Local', rule.at, 'a health-check NodePort exists only with externalTrafficPolicy Local');
    }
    for (const rule of chainOf(table, 'KUBE-PROXY-FIREWALL')?.rules ?? []) {
      const marker = ' traffic not accepted by ';
      const comment = rule.comment ?? '';
      const i = comment.indexOf(marker);
      const dst = destinationOf(rule);
      if (i <= 0 || !dst) continue;
      const fw = comment.slice(i + marker.length);
      const info = readChainName(fw);
      const d = info?.kind === 'fw' ? drafts.forHash(info.hash) : draftByName(comment.slice(0, i), protocolOf(rule), rule);
      d.foundIn.add('iptables');
      d.setProtocol(protocolOf(rule));
      d.setName(comment.slice(0, i), rule.at, diagnostics, fw);
      d.addLoadBalancerIP(dst.text, rule.at, `KUBE-PROXY-FIREWALL drops ${dst.text} traffic not allowed by ${fw}`);
      d.chains.fw ??= fw;
    }
  }

  /**
   * A Service port by the name in a filter rule's comment. Port names are unique within a Service,
   * so the name alone finds it; a new one is keyed by the hash of the name and protocol.
   */
  function draftByName(name: string, protocol: ServiceProtocol | null, rule: Rule): ServicePortDraft {
    const protocols: ServiceProtocol[] = ['tcp', 'udp', 'sctp'];
    const existing = protocols.map((p) => drafts.get(portProtoHash(name, p))).find((x) => x !== undefined);
    const d = existing ?? drafts.forName(name, protocol ?? 'tcp');
    d.foundIn.add('iptables');
    if (d.name === null) d.setName(name, rule.at, diagnostics);
    return d;
  }

  /**
   * A REJECT for a cluster IP without kube-proxy's comment (stripped by hand or a tool): the
   * Service port is known by its address only; kubectl objects can name it later.
   */
  function readUnnamedReject(rule: Rule, side: 'internal' | 'external', protocol: ServiceProtocol): void {
    const dst = destinationOf(rule);
    const dport = destinationPortOf(rule);
    if (side !== 'internal' || rule.target?.kind !== 'REJECT' || !dst || dport === null) return;
    const host = family === 'ipv6' ? `[${dst.text}]` : dst.text;
    const d = drafts.forAddressKey(`${host}:${dport}/${protocol}`);
    d.foundIn.add('iptables');
    d.setProtocol(protocol);
    d.addClusterIP(dst.text, rule.at, `${dst.text}:${dport} REJECT (no comment)`);
    d.setPort(dport);
    d.setNoEndpoints(rule.at, 'REJECT for the cluster IP: no endpoints');
  }

  function readNoEndpointRule(rule: Rule, side: 'internal' | 'external'): void {
    const none = nameBefore(rule.comment, ' has no endpoints');
    const noLocal = nameBefore(rule.comment, ' has no local endpoints');
    const name = none ?? noLocal;
    const protocol = protocolOf(rule);
    if (!protocol) return;
    if (!name) {
      readUnnamedReject(rule, side, protocol);
      return;
    }
    const d = drafts.forName(name, protocol);
    d.foundIn.add('iptables');
    if (d.name === null) d.setName(name, rule.at, diagnostics);
    const dst = destinationOf(rule);
    const dport = destinationPortOf(rule);
    const verdict = rule.target?.kind ?? 'no target';
    if (none) d.setNoEndpoints(rule.at, `${verdict} "${name} has no endpoints"`);
    if (side === 'internal' && dst) {
      if (!d.clusterIPs.some((ip) => ip.includes(':') === (family === 'ipv6'))) {
        d.addClusterIP(dst.text, rule.at, `${dst.text}:${dport ?? '?'} ${verdict}`);
        d.setPort(dport);
      } else d.addOtherExternalIP(dst.text, rule.at, `${dst.text}:${dport ?? '?'} ${verdict}`);
      if (noLocal) {
        d.setInternalPolicy('Local', rule.at, `the cluster IP is dropped: no local endpoints`);
        d.localSetKnown = true;
      }
      return;
    }
    if (dst) d.addOtherExternalIP(dst.text, rule.at, `${dst.text}:${dport ?? '?'} ${verdict}`);
    else if (dport !== null && matchesLocalDestination(rule)) d.setNodePort(dport, rule.at, `NodePort ${dport} ${verdict}`);
    if (noLocal) {
      d.setExternalPolicy('Local', rule.at, `external traffic is dropped: no local endpoints`);
      d.localSetKnown = true;
    }
  }
}
