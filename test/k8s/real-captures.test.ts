/**
 * Real IPVS-mode captures (../shared/samples/real/tkng-kind, Apache-2.0): `ipvsadm -Ln` and
 * `ipset list` of single sets, pasted with their prompt lines, some with elided lines.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../grammar/ipset/parse.js';
import { parseIpvsadmText } from '../../grammar/ipvsadm/parse.js';
import { buildServiceCatalogue } from '../../src/k8s/catalogue.js';
import { buildIpsets } from '../../src/model/ipset/build.js';
import { buildIpvs } from '../../src/model/ipvs/build.js';
import { realDir, sharedAvailable } from '../support/paths.js';
import { byClusterIP } from './support.js';

if (!sharedAvailable) console.warn('[k8s/real-captures] ../shared is absent: the tkng-kind IPVS capture tests are skipped.');

function catalogueOf(files: string[]) {
  const dir = join(realDir, 'tkng-kind');
  const read = (f: string) => ({ name: join(dir, f), text: readFileSync(join(dir, f), 'utf8') });
  const ipvs = files.filter((f) => f.includes('ipvsadm')).map((f) => buildIpvs(parseIpvsadmText(read(f))).table)[0] ?? null;
  const ipsets = files.filter((f) => f.includes('ipset')).flatMap((f) => buildIpsets(parseIpsetText(read(f))).sets);
  return buildServiceCatalogue({ ipv4: null, ipv6: null, ipsets, ipvs, localAddresses: null });
}

describe.skipIf(!sharedAvailable)('tkng-kind IPVS captures', () => {
  it('ipvs-clusterip: one Service port per KUBE-CLUSTER-IP member, local endpoints from KUBE-LOOP-BACK', () => {
    const c = catalogueOf(['ipvs-clusterip__ipvsadm-ln.txt', 'ipvs-clusterip__ipset-KUBE-CLUSTER-IP.txt', 'ipvs-clusterip__ipset-KUBE-LOOP-BACK.txt']);
    expect(c.mode).toBe('ipvs');
    const clusterIPs = c.services.flatMap((s) => s.clusterIPs.map((ip) => `${ip}:${s.port}/${s.protocol}`)).sort();
    expect(clusterIPs).toEqual(
      ['10.96.0.10:53/udp', '10.96.0.1:443/tcp', '10.96.0.10:53/tcp', '10.96.148.225:80/tcp', '10.96.68.46:3030/tcp', '10.96.10.207:3030/tcp', '10.96.0.10:9153/tcp', '10.96.159.35:11211/tcp', '10.96.119.228:80/tcp'].sort(),
    );
    expect(byClusterIP(c, '10.96.119.228', 80).endpoints.map((e) => [e.address, e.local])).toEqual([
      ['10.244.1.6', true],
      ['10.244.2.4', false],
    ]);
  });

  it('ipvs-clusterip: NodePort 31730 (on 127.0.0.1 and two node addresses, no NodePort set given) matches two cluster IPs, so it stands alone', () => {
    const c = catalogueOf(['ipvs-clusterip__ipvsadm-ln.txt', 'ipvs-clusterip__ipset-KUBE-CLUSTER-IP.txt']);
    const np = c.services.find((s) => s.nodePort === 31730);
    expect(np?.key).toBe('nodeport:31730/tcp');
    expect(c.diagnostics.filter((d) => d.code === 'k8s/unassigned-ipvs-service').map((d) => d.message)).toEqual([expect.stringContaining('NodePort 31730/tcp')]);
  });

  it('loadbalancer: an LB IP in KUBE-LOAD-BALANCER whose cluster IP was elided from the paste', () => {
    const c = catalogueOf(['loadbalancer__ipvsadm-ln.txt', 'loadbalancer__ipset-KUBE-LOAD-BALANCER.txt']);
    expect(c.services.map((s) => [s.key, s.type, s.loadBalancerIPs, s.endpoints.length])).toEqual([['198.51.100.0:80/tcp', 'LoadBalancer', ['198.51.100.0'], 3]]);
  });

  it('nodeport: a NodePort from KUBE-NODE-PORT-TCP', () => {
    const c = catalogueOf(['nodeport__ipvsadm-ln.txt', 'nodeport__ipset-KUBE-NODE-PORT-TCP.txt']);
    expect(c.services.map((s) => [s.key, s.nodePort, s.endpoints.length])).toEqual([['nodeport:30064/tcp', 30064, 3]]);
  });
});
