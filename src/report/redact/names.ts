/**
 * Pseudonyms for Kubernetes names in rule comments. kube-proxy writes `namespace/service:port`
 * into its comments (pkg/proxy/iptables/proxier.go: `svcPortNameString`, e.g.
 * "shop/cart:http cluster IP"); those names can tell a stranger whose cluster it is.
 *
 * `shop/cart:http` → `ns-1/svc-1:http`: namespaces and Services are numbered in order of first
 * appearance, port names are kept (they say which protocol: dns, http, metrics). The cluster's
 * own namespaces are kept (kube-system and everything in it, kube-public, kube-node-lease, and
 * the `default` namespace's name with its `kubernetes` Service), since they are the same in
 * every cluster and help the reader.
 */

/** A namespace or Service name: an RFC 1123 label, as Kubernetes validates them. */
const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';

/** `ns/name`, not part of a longer path or word; the port name after `:` is left as it is. */
const NAMESPACED = new RegExp(`(?<![\\w./-])(${LABEL})/(${LABEL})(?![\\w/.-])`, 'g');

const KEPT_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

export interface NamePseudonyms {
  /** Replaces every `namespace/name` in a comment. */
  comment(text: string): string;
}

export function namePseudonyms(): NamePseudonyms {
  const namespaces = new Map<string, string>();
  const services = new Map<string, string>();
  const namespace = (ns: string): string => {
    if (KEPT_NAMESPACES.has(ns) || ns === 'default') return ns;
    let p = namespaces.get(ns);
    if (!p) {
      p = `ns-${namespaces.size + 1}`;
      namespaces.set(ns, p);
    }
    return p;
  };
  const service = (ns: string, name: string): string => {
    if (KEPT_NAMESPACES.has(ns) || (ns === 'default' && name === 'kubernetes')) return name;
    const id = `${ns}/${name}`;
    let p = services.get(id);
    if (!p) {
      p = `svc-${services.size + 1}`;
      services.set(id, p);
    }
    return p;
  };
  return {
    comment: (text) => text.replace(NAMESPACED, (_m, ns: string, name: string) => `${namespace(ns)}/${service(ns, name)}`),
  };
}
