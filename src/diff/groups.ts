/**
 * Filing changes under their Kubernetes Service: a rule belongs to a Service when it is in one of
 * the Service's chains (KUBE-SVC/SVL/EXT/FW/XLB/SEP-), jumps to one, or is a rule the catalogue
 * read a fact of the Service from (its evidence); a set member, virtual service or NodePort by
 * the Service address and port it names. Everything else is filed under its table/chain, set, or
 * kind of fact.
 */
import type { SourceRef } from '../../grammar/source.js';
import type { Rule, TableName } from '../model/iptables/types.js';
import { parseAddress, type Family } from '../model/values/address.js';
import type { ServiceCatalogue, ServicePort } from '../k8s/types.js';
import type { ChangeGroup, Side } from './types.js';

type ServiceGroup = Extract<ChangeGroup, { kind: 'service' }>;

/** `ns/name:port/proto`, or `?` and the key when no rule or object names the Service. */
export function serviceLabel(s: ServicePort): string {
  if (s.namespace === null || s.name === null) return `? ${s.key.includes('/') ? s.key : `${s.key}/${s.protocol}`}`;
  return `${s.namespace}/${s.name}${s.portName ? `:${s.portName}` : ''}/${s.protocol}`;
}

export function serviceGroup(s: ServicePort): ServiceGroup {
  return { kind: 'service', key: s.key, label: serviceLabel(s) };
}

/** Places by source text and offset (no strings built: a 10k-Service catalogue holds ~100k). */
class PlaceMap<T> {
  private readonly bySource = new Map<SourceRef['source'], Map<number, T>>();
  set(at: SourceRef, value: T): void {
    let m = this.bySource.get(at.source);
    if (!m) this.bySource.set(at.source, (m = new Map()));
    m.set(at.start, value);
  }
  get(at: SourceRef): T | undefined {
    return this.bySource.get(at.source)?.get(at.start);
  }
}

/** One node's Services by chain, evidence, address, NodePort and comment name, each map built on first use. */
class SideIndex {
  private chains?: Map<string, ServiceGroup>;
  private evidence?: PlaceMap<ServiceGroup>;
  private addresses?: Map<string, ServiceGroup>;
  private nodePorts?: Map<string, ServiceGroup>;
  private comments?: Map<string, ServiceGroup>;

  constructor(private readonly catalogue: ServiceCatalogue) {}

  private build(fill: (s: ServicePort, g: ServiceGroup, into: Map<string, ServiceGroup>) => void): Map<string, ServiceGroup> {
    const into = new Map<string, ServiceGroup>();
    for (const s of this.catalogue.services) fill(s, serviceGroup(s), into);
    return into;
  }

  get byChain(): Map<string, ServiceGroup> {
    return (this.chains ??= this.build((s, g, into) => {
      const c = s.chains;
      for (const name of [c.svc, c.svl, c.ext, c.fw, c.xlb, ...c.seps]) if (name) into.set(name, g);
    }));
  }

  get byEvidence(): PlaceMap<ServiceGroup> {
    if (!this.evidence) {
      const into = new PlaceMap<ServiceGroup>();
      for (const s of this.catalogue.services) {
        const g = serviceGroup(s);
        for (const e of s.evidence) into.set(e.at, g);
        for (const e of s.endpoints) if (e.at) into.set(e.at, g);
      }
      this.evidence = into;
    }
    return this.evidence;
  }

  /** `family|address|proto|port` (`*` for any) → Service. */
  get byAddress(): Map<string, ServiceGroup> {
    return (this.addresses ??= this.build((s, g, into) => {
      for (const ip of [...s.clusterIPs, ...s.externalIPs, ...s.loadBalancerIPs, ...s.otherExternalIPs]) {
        const a = parseAddress(ip);
        if (!a) continue;
        into.set(`${a.family}|${a.first}|${s.protocol}|${s.port ?? '*'}`, g);
        if (!into.has(`${a.family}|${a.first}|*|*`)) into.set(`${a.family}|${a.first}|*|*`, g);
      }
    }));
  }

  get byNodePort(): Map<string, ServiceGroup> {
    return (this.nodePorts ??= this.build((s, g, into) => {
      if (s.nodePort !== null) into.set(`${s.protocol}|${s.nodePort}`, g);
      if (s.healthCheckNodePort !== null) into.set(`tcp|${s.healthCheckNodePort}`, g);
    }));
  }

  /** `ns/name:port|proto` as kube-proxy's rule comments name a Service port. */
  get byComment(): Map<string, ServiceGroup> {
    return (this.comments ??= this.build((s, g, into) => {
      if (s.namespace === null || s.name === null) return;
      const name = `${s.namespace}/${s.name}${s.portName ? `:${s.portName}` : ''}`;
      into.set(`${name}|${s.protocol}`, g);
      if (!into.has(`${name}|*`)) into.set(`${name}|*`, g);
    }));
  }
}

export class ServiceGroups {
  private readonly a: SideIndex;
  private readonly b: SideIndex;

  constructor(a: ServiceCatalogue, b: ServiceCatalogue) {
    this.a = new SideIndex(a);
    this.b = new SideIndex(b);
  }

  private side(side: Side): SideIndex {
    return side === 'a' ? this.a : this.b;
  }

  /** Either node's catalogue may know the Service: the node's own first. */
  private either<T>(side: Side, look: (i: SideIndex) => T | undefined): T | undefined {
    return look(this.side(side)) ?? look(this.side(side === 'a' ? 'b' : 'a'));
  }

  chain(side: Side, name: string): ServiceGroup | null {
    return this.either(side, (i) => i.byChain.get(name)) ?? null;
  }

  rule(side: Side, family: Family, table: TableName, chain: string, rule: Rule | null): ChangeGroup {
    const own = this.chain(side, chain);
    if (own) return own;
    if (rule) {
      const t = rule.target;
      if (t && (t.kind === 'jump' || t.kind === 'goto')) {
        const target = this.chain(side, t.chain);
        if (target) return target;
      }
      // kube-proxy's own comment names the Service port; the catalogue's evidence covers the rest.
      const byComment = rule.comment ? this.comment(side, rule) : null;
      if (byComment) return byComment;
      const byEvidence = this.side(side).byEvidence.get(rule.at);
      if (byEvidence) return byEvidence;
    }
    return { kind: 'chain', family, table, chain };
  }

  /**
   * kube-proxy's comments start with the Service port's name (`web/frontend:http cluster IP`,
   * pkg/proxy/iptables/proxier.go svcPortNameString).
   */
  private comment(side: Side, rule: Rule): ServiceGroup | null {
    const m = /^([a-z0-9][-a-z0-9.]*)\/([a-z0-9][-a-z0-9.]*)(?::([-a-z0-9]+))?(?:\s|$)/.exec(rule.comment ?? '');
    if (!m) return null;
    const name = `${m[1]}/${m[2]}${m[3] ? `:${m[3]}` : ''}`;
    const p = rule.matches.find((x) => x.kind === 'protocol' && !x.negated);
    const proto = p && p.kind === 'protocol' ? p.protocol.name : null;
    return (proto ? this.either(side, (i) => i.byComment.get(`${name}|${proto}`)) : undefined) ?? this.either(side, (i) => i.byComment.get(`${name}|*`)) ?? null;
  }

  /** The Service an address (and port) belongs to: a cluster, external or load-balancer IP. */
  address(side: Side, family: Family, address: bigint, proto: string | null, port: number | null): ServiceGroup | null {
    const keys = [`${family}|${address}|${proto ?? '*'}|${port ?? '*'}`, `${family}|${address}|*|*`];
    for (const k of keys) {
      const g = this.either(side, (i) => i.byAddress.get(k));
      if (g) return g;
    }
    return null;
  }

  nodePort(side: Side, proto: string | null, port: number): ServiceGroup | null {
    for (const p of proto ? [proto] : ['tcp', 'udp', 'sctp']) {
      const g = this.either(side, (i) => i.byNodePort.get(`${p}|${port}`));
      if (g) return g;
    }
    return null;
  }
}
