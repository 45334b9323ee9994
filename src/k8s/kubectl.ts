/**
 * `kubectl get svc,endpointslices,nodes -A -o json` (a `List` with `items`; also one object, a
 * `ServiceList`-like list, or several documents pasted one after another) → typed Service,
 * EndpointSlice and Node summaries that point back at their JSON. The JSON itself is read by the
 * one JSON grammar (grammar/json); this module reads the Kubernetes API shapes out of its tree.
 *
 * Defaults are the API server's (k8s.io/api core/v1, discovery/v1): a port without protocol is
 * TCP, a namespace-less object is in `default`, an endpoint without conditions is ready and
 * serving, ClientIP affinity times out after 10800 s. Legacy Endpoints objects are flattened
 * into the EndpointSlice shape (addresses ready, notReadyAddresses not).
 *
 * Size (~440 lines): one reader per API kind (Service, EndpointSlice, Endpoints, Node) over one
 * field reader that reports every wrongly typed field; they belong together as the one place
 * that knows the API's shapes and defaults.
 */
import { diagnose, type Diagnostic } from '../../grammar/diagnostics.js';
import { parseJsonText } from '../../grammar/json/parse.js';
import { member, type JsonObject, type JsonValue } from '../../grammar/json/syntax.js';
import type { SourceRef, SourceText, Span } from '../../grammar/source.js';
import { parseAddress, parseCidr } from '../model/values/address.js';
import type { KubeEndpoint, KubeEndpointSlice, KubeNode, KubeService, KubeServicePort, KubectlObjects, ServiceProtocol } from './types.js';

/** kube-proxy's default `--iptables-min-sync`-independent affinity timeout (core/v1 DefaultClientIPServiceAffinitySeconds). */
const DEFAULT_AFFINITY_SECONDS = 10800;

function describeValue(v: JsonValue | undefined): string {
  if (!v) return 'missing';
  switch (v.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return JSON.stringify(v.value.length > 30 ? `${v.value.slice(0, 30)}…` : v.value);
    case 'number':
      return v.text;
    case 'boolean':
      return String(v.value);
    case 'null':
      return 'null';
    default: {
      const never: never = v;
      return never;
    }
  }
}

/** Reads typed fields out of JSON objects, reporting each field of the wrong type once. */
class FieldReader {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly source: SourceText) {}

  ref(span: Span): SourceRef {
    return { source: this.source, start: span.start, end: span.end };
  }

  private bad(path: string, expected: string, v: JsonValue): void {
    this.diagnostics.push(diagnose('k8s/kubectl-bad-field', this.ref(v), path, expected, describeValue(v)));
  }

  /** A member that must be an object; undefined (and reported) otherwise. `null` counts as absent. */
  object(o: JsonObject | undefined, key: string, path: string): JsonObject | undefined {
    const v = o ? member(o, key) : undefined;
    if (!v || v.kind === 'null') return undefined;
    if (v.kind !== 'object') {
      this.bad(path, 'an object', v);
      return undefined;
    }
    return v;
  }

  array(o: JsonObject | undefined, key: string, path: string): readonly JsonValue[] {
    const v = o ? member(o, key) : undefined;
    if (!v || v.kind === 'null') return [];
    if (v.kind !== 'array') {
      this.bad(path, 'an array', v);
      return [];
    }
    return v.items;
  }

  string(o: JsonObject | undefined, key: string, path: string): { value: string; at: SourceRef } | undefined {
    const v = o ? member(o, key) : undefined;
    if (!v || v.kind === 'null') return undefined;
    if (v.kind !== 'string') {
      this.bad(path, 'a string', v);
      return undefined;
    }
    return { value: v.value, at: this.ref(v) };
  }

  /** A whole number in [min, max]. */
  integer(o: JsonObject | undefined, key: string, path: string, min: number, max: number): { value: number; at: SourceRef } | undefined {
    const v = o ? member(o, key) : undefined;
    if (!v || v.kind === 'null') return undefined;
    if (v.kind !== 'number' || !Number.isInteger(v.value) || v.value < min || v.value > max) {
      this.bad(path, `a whole number from ${min} to ${max}`, v);
      return undefined;
    }
    return { value: v.value, at: this.ref(v) };
  }

  boolean(o: JsonObject | undefined, key: string, path: string): boolean | undefined {
    const v = o ? member(o, key) : undefined;
    if (!v || v.kind === 'null') return undefined;
    if (v.kind !== 'boolean') {
      this.bad(path, 'true or false', v);
      return undefined;
    }
    return v.value;
  }

  /** Items of an array member that are strings (others reported). */
  strings(o: JsonObject | undefined, key: string, path: string): { value: string; at: SourceRef }[] {
    const out: { value: string; at: SourceRef }[] = [];
    this.array(o, key, path).forEach((item, i) => {
      if (item.kind === 'string') out.push({ value: item.value, at: this.ref(item) });
      else this.bad(`${path}[${i}]`, 'a string', item);
    });
    return out;
  }

  /** Items of an array member that are objects (others reported). */
  objects(o: JsonObject | undefined, key: string, path: string): JsonObject[] {
    const out: JsonObject[] = [];
    this.array(o, key, path).forEach((item, i) => {
      if (item.kind === 'object') out.push(item);
      else if (item.kind !== 'null') this.bad(`${path}[${i}]`, 'an object', item);
    });
    return out;
  }

  /** An IP address field; reported when it is not one. */
  address(value: { value: string; at: SourceRef }, path: string): string | null {
    const a = parseAddress(value.value);
    if (a) return a.text;
    this.diagnostics.push(diagnose('k8s/kubectl-bad-field', value.at, path, 'an IP address', JSON.stringify(value.value)));
    return null;
  }

  protocol(o: JsonObject, path: string): ServiceProtocol | null {
    const p = this.string(o, 'protocol', `${path}.protocol`);
    if (!p) return 'tcp';
    const lower = p.value.toLowerCase();
    if (lower === 'tcp' || lower === 'udp' || lower === 'sctp') return lower;
    this.diagnostics.push(diagnose('k8s/kubectl-bad-field', p.at, `${path}.protocol`, 'TCP, UDP or SCTP', JSON.stringify(p.value)));
    return null;
  }
}

interface Collected {
  services: KubeService[];
  endpointSlices: KubeEndpointSlice[];
  nodes: KubeNode[];
  ignoredKinds: Set<string>;
}

/**
 * Reads kubectl JSON text (or the section `range` of it, in a pasted session). Never throws: bad
 * JSON and bad fields become located diagnostics.
 */
export function readKubectlJson(source: SourceText, range: { start?: number; end?: number } = {}): KubectlObjects {
  const syntax = parseJsonText(source, range);
  const reader = new FieldReader(source);
  const collected: Collected = { services: [], endpointSlices: [], nodes: [], ignoredKinds: new Set() };
  for (const value of syntax.values) {
    // kubectl prints "kind": "List" after "items": a truncated list has items but no kind.
    if (value.kind !== 'object' || (!member(value, 'kind') && member(value, 'items')?.kind !== 'array')) {
      reader.diagnostics.push(diagnose('k8s/kubectl-not-a-list', reader.ref(value), describeValue(value)));
      continue;
    }
    readObject(reader, value, 'the input', collected);
  }
  return {
    services: collected.services,
    endpointSlices: collected.endpointSlices,
    nodes: collected.nodes,
    diagnostics: [...syntax.diagnostics, ...reader.diagnostics].sort((a, b) => (a.at?.start ?? -1) - (b.at?.start ?? -1)),
  };
}

function readObject(reader: FieldReader, o: JsonObject, where: string, out: Collected): void {
  const kind = reader.string(o, 'kind', `${where}.kind`) ?? (member(o, 'items')?.kind === 'array' ? { value: 'List', at: reader.ref(o) } : undefined);
  if (!kind) {
    reader.diagnostics.push(diagnose('k8s/kubectl-missing-field', reader.ref(o), 'Kubernetes object', 'kind'));
    return;
  }
  switch (kind.value) {
    case 'Service':
      pushIf(out.services, readService(reader, o));
      return;
    case 'EndpointSlice':
      pushIf(out.endpointSlices, readEndpointSlice(reader, o));
      return;
    case 'Endpoints':
      out.endpointSlices.push(...readEndpoints(reader, o));
      return;
    case 'Node':
      pushIf(out.nodes, readNode(reader, o));
      return;
    default:
      if (kind.value === 'List' || kind.value.endsWith('List')) {
        const items = reader.array(o, 'items', 'items');
        items.forEach((item, i) => {
          if (item.kind === 'object') readObject(reader, item, `items[${i}]`, out);
          else reader.diagnostics.push(diagnose('k8s/kubectl-bad-field', reader.ref(item), `items[${i}]`, 'an object', describeValue(item)));
        });
        return;
      }
      if (!out.ignoredKinds.has(kind.value)) {
        out.ignoredKinds.add(kind.value);
        reader.diagnostics.push(diagnose('k8s/kubectl-ignored-kind', kind.at, kind.value));
      }
  }
}

function pushIf<T>(list: T[], item: T | null): void {
  if (item) list.push(item);
}

function readMetadata(reader: FieldReader, o: JsonObject, kind: string): { name: string; namespace: string; metadata: JsonObject; nameAt: SourceRef } | null {
  const metadata = reader.object(o, 'metadata', 'metadata');
  const name = reader.string(metadata, 'name', 'metadata.name');
  if (!metadata || !name) {
    reader.diagnostics.push(diagnose('k8s/kubectl-missing-field', reader.ref(o), kind, 'metadata.name'));
    return null;
  }
  const namespace = reader.string(metadata, 'namespace', 'metadata.namespace')?.value ?? 'default';
  return { name: name.value, namespace, metadata, nameAt: name.at };
}

function readService(reader: FieldReader, o: JsonObject): KubeService | null {
  const meta = readMetadata(reader, o, 'Service');
  if (!meta) return null;
  const fieldsAt = new Map<string, SourceRef>([['metadata.name', meta.nameAt]]);
  const spec = reader.object(o, 'spec', 'spec');
  const status = reader.object(o, 'status', 'status');
  const type = reader.string(spec, 'type', 'spec.type');
  if (type) fieldsAt.set('spec.type', type.at);

  let clusterIPs = reader.strings(spec, 'clusterIPs', 'spec.clusterIPs');
  if (clusterIPs.length === 0) {
    const single = reader.string(spec, 'clusterIP', 'spec.clusterIP');
    clusterIPs = single ? [single] : [];
  }
  if (clusterIPs[0]) fieldsAt.set('spec.clusterIPs', clusterIPs[0].at);
  const ips = clusterIPs
    .map((c) => (c.value === 'None' || c.value === '' ? c.value : reader.address(c, 'spec.clusterIPs[]')))
    .filter((c): c is string => c !== null);

  const externalIPs = reader.strings(spec, 'externalIPs', 'spec.externalIPs');
  if (externalIPs[0]) fieldsAt.set('spec.externalIPs', externalIPs[0].at);
  const ingress = reader.objects(reader.object(status, 'loadBalancer', 'status.loadBalancer'), 'ingress', 'status.loadBalancer.ingress');
  const loadBalancerIPs: string[] = [];
  for (const entry of ingress) {
    const ip = reader.string(entry, 'ip', 'status.loadBalancer.ingress[].ip');
    if (!ip) continue;
    if (!fieldsAt.has('status.loadBalancer.ingress')) fieldsAt.set('status.loadBalancer.ingress', ip.at);
    const text = reader.address(ip, 'status.loadBalancer.ingress[].ip');
    if (text) loadBalancerIPs.push(text);
  }

  const ports: KubeServicePort[] = [];
  reader.objects(spec, 'ports', 'spec.ports').forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const port = reader.integer(p, 'port', `${path}.port`, 1, 65535);
    const protocol = reader.protocol(p, path);
    if (!port || !protocol) {
      if (!port && !member(p, 'port')) reader.diagnostics.push(diagnose('k8s/kubectl-missing-field', reader.ref(p), 'Service port', 'port'));
      return;
    }
    const target = member(p, 'targetPort');
    ports.push({
      name: reader.string(p, 'name', `${path}.name`)?.value ?? '',
      protocol,
      port: port.value,
      nodePort: reader.integer(p, 'nodePort', `${path}.nodePort`, 0, 65535)?.value || null,
      targetPort: target?.kind === 'number' ? target.value : target?.kind === 'string' ? target.value : null,
      at: reader.ref(p),
    });
  });

  const policy = (key: 'externalTrafficPolicy' | 'internalTrafficPolicy'): 'Cluster' | 'Local' | null => {
    const v = reader.string(spec, key, `spec.${key}`);
    if (!v) return null;
    fieldsAt.set(`spec.${key}`, v.at);
    // core/v1 accepted "Global" as an alias of Cluster for externalTrafficPolicy in early releases.
    if (v.value === 'Cluster' || v.value === 'Global') return 'Cluster';
    if (v.value === 'Local') return 'Local';
    reader.diagnostics.push(diagnose('k8s/kubectl-bad-field', v.at, `spec.${key}`, 'Cluster or Local', JSON.stringify(v.value)));
    return null;
  };
  const externalTrafficPolicy = policy('externalTrafficPolicy');
  const internalTrafficPolicy = policy('internalTrafficPolicy');

  let sessionAffinityTimeout: number | null = null;
  const affinity = reader.string(spec, 'sessionAffinity', 'spec.sessionAffinity');
  if (affinity) fieldsAt.set('spec.sessionAffinity', affinity.at);
  if (affinity?.value === 'ClientIP') {
    const config = reader.object(reader.object(spec, 'sessionAffinityConfig', 'spec.sessionAffinityConfig'), 'clientIP', 'spec.sessionAffinityConfig.clientIP');
    sessionAffinityTimeout = reader.integer(config, 'timeoutSeconds', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds', 1, 86400)?.value ?? DEFAULT_AFFINITY_SECONDS;
  }

  const ranges = reader.strings(spec, 'loadBalancerSourceRanges', 'spec.loadBalancerSourceRanges');
  if (ranges[0]) fieldsAt.set('spec.loadBalancerSourceRanges', ranges[0].at);
  const loadBalancerSourceRanges: string[] = [];
  for (const r of ranges) {
    // The API server accepts spaces around the CIDR (it trims them: service validation).
    const cidr = parseCidr(r.value.trim());
    if (cidr) loadBalancerSourceRanges.push(cidr.text);
    else reader.diagnostics.push(diagnose('k8s/kubectl-bad-field', r.at, 'spec.loadBalancerSourceRanges[]', 'a CIDR', JSON.stringify(r.value)));
  }
  const health = reader.integer(spec, 'healthCheckNodePort', 'spec.healthCheckNodePort', 0, 65535);
  if (health) fieldsAt.set('spec.healthCheckNodePort', health.at);

  return {
    namespace: meta.namespace,
    name: meta.name,
    type: type?.value ?? 'ClusterIP',
    clusterIPs: ips,
    externalIPs: externalIPs.map((e) => reader.address(e, 'spec.externalIPs[]')).filter((e): e is string => e !== null),
    loadBalancerIPs,
    ports,
    externalTrafficPolicy,
    internalTrafficPolicy,
    sessionAffinityTimeout,
    loadBalancerSourceRanges,
    healthCheckNodePort: health && health.value > 0 ? health.value : null,
    at: reader.ref(o),
    fieldsAt,
  };
}

function readSlicePorts(reader: FieldReader, o: JsonObject | undefined, path: string): KubeEndpointSlice['ports'] {
  const out: { name: string; port: number; protocol: ServiceProtocol }[] = [];
  reader.objects(o, 'ports', path).forEach((p, i) => {
    const port = reader.integer(p, 'port', `${path}[${i}].port`, 1, 65535);
    const protocol = reader.protocol(p, `${path}[${i}]`);
    if (port && protocol) out.push({ name: reader.string(p, 'name', `${path}[${i}].name`)?.value ?? '', port: port.value, protocol });
  });
  return out;
}

function readEndpointSlice(reader: FieldReader, o: JsonObject): KubeEndpointSlice | null {
  const meta = readMetadata(reader, o, 'EndpointSlice');
  if (!meta) return null;
  const labels = reader.object(meta.metadata, 'labels', 'metadata.labels');
  const serviceName = reader.string(labels, 'kubernetes.io/service-name', 'metadata.labels["kubernetes.io/service-name"]');
  if (!serviceName) {
    reader.diagnostics.push(diagnose('k8s/kubectl-missing-field', reader.ref(o), 'EndpointSlice', 'the kubernetes.io/service-name label'));
    return null;
  }
  const addressType = reader.string(o, 'addressType', 'addressType');
  // FQDN slices hold names, which kube-proxy ignores (pkg/proxy/endpointslicecache.go).
  if (addressType?.value === 'FQDN') return null;
  const endpoints: KubeEndpoint[] = [];
  reader.objects(o, 'endpoints', 'endpoints').forEach((e, i) => {
    const path = `endpoints[${i}]`;
    const conditions = reader.object(e, 'conditions', `${path}.conditions`);
    const ready = reader.boolean(conditions, 'ready', `${path}.conditions.ready`) ?? true;
    endpoints.push({
      addresses: reader
        .strings(e, 'addresses', `${path}.addresses`)
        .map((a) => reader.address(a, `${path}.addresses[]`))
        .filter((a): a is string => a !== null),
      ready,
      serving: reader.boolean(conditions, 'serving', `${path}.conditions.serving`) ?? ready,
      terminating: reader.boolean(conditions, 'terminating', `${path}.conditions.terminating`) ?? false,
      nodeName: reader.string(e, 'nodeName', `${path}.nodeName`)?.value ?? null,
      at: reader.ref(e),
    });
  });
  return {
    namespace: meta.namespace,
    name: meta.name,
    serviceName: serviceName.value,
    ports: readSlicePorts(reader, o, 'ports'),
    endpoints,
    at: reader.ref(o),
  };
}

/** core/v1 Endpoints: each subset is a slice of its own (ports apply to all addresses of the subset). */
function readEndpoints(reader: FieldReader, o: JsonObject): KubeEndpointSlice[] {
  const meta = readMetadata(reader, o, 'Endpoints');
  if (!meta) return [];
  return reader.objects(o, 'subsets', 'subsets').map((subset, i) => {
    const endpoints: KubeEndpoint[] = [];
    for (const [key, ready] of [
      ['addresses', true],
      ['notReadyAddresses', false],
    ] as const) {
      reader.objects(subset, key, `subsets[${i}].${key}`).forEach((a) => {
        const ip = reader.string(a, 'ip', `subsets[${i}].${key}[].ip`);
        const text = ip ? reader.address(ip, `subsets[${i}].${key}[].ip`) : null;
        if (!text) return;
        endpoints.push({
          addresses: [text],
          ready,
          serving: ready,
          terminating: false,
          nodeName: reader.string(a, 'nodeName', `subsets[${i}].${key}[].nodeName`)?.value ?? null,
          at: reader.ref(a),
        });
      });
    }
    return {
      namespace: meta.namespace,
      name: meta.name,
      serviceName: meta.name,
      ports: readSlicePorts(reader, subset, `subsets[${i}].ports`),
      endpoints,
      at: reader.ref(subset),
    };
  });
}

function readNode(reader: FieldReader, o: JsonObject): KubeNode | null {
  const meta = readMetadata(reader, o, 'Node');
  if (!meta) return null;
  const addresses: string[] = [];
  for (const a of reader.objects(reader.object(o, 'status', 'status'), 'addresses', 'status.addresses')) {
    const type = reader.string(a, 'type', 'status.addresses[].type')?.value;
    const address = reader.string(a, 'address', 'status.addresses[].address');
    // Hostname and DNS entries are names, not addresses.
    if (!address || (type !== 'InternalIP' && type !== 'ExternalIP')) continue;
    const text = reader.address(address, 'status.addresses[].address');
    if (text) addresses.push(text);
  }
  const spec = reader.object(o, 'spec', 'spec');
  let cidrs = reader.strings(spec, 'podCIDRs', 'spec.podCIDRs');
  if (cidrs.length === 0) {
    const single = reader.string(spec, 'podCIDR', 'spec.podCIDR');
    cidrs = single ? [single] : [];
  }
  const podCidrs: string[] = [];
  for (const c of cidrs) {
    const cidr = parseCidr(c.value);
    if (cidr) podCidrs.push(cidr.text);
    else reader.diagnostics.push(diagnose('k8s/kubectl-bad-field', c.at, 'spec.podCIDRs[]', 'a CIDR', JSON.stringify(c.value)));
  }
  return { name: meta.name, addresses, podCidrs, at: reader.ref(o) };
}
