import { describe, expect, it } from 'vitest';
import { citedText, findings, iptablesNodeWithoutEndpoint, samples } from '../support.js';

const ID = 'service-no-endpoints-anywhere';

describe(ID, () => {
  it('a Service without endpoints, from one node (endpoints are cluster-wide)', () => {
    const found = findings(samples('iptables-current'), ID);
    expect(found.map((f) => [f.node, f.services])).toEqual([['iptables-current', ['shop/legacy:http']]]);
    expect(citedText(found[0]!)[0]).toContain('"shop/legacy:http has no endpoints"');
  });

  it('across nodes: one finding for all of them', () => {
    const found = findings(samples('ipvs-local', 'ipvs-local-node-b'), ID);
    expect(found.map((f) => [f.node, f.services, f.evidence.length])).toEqual([[null, ['10.96.160.2:8080/tcp'], 2]]);
  });

  it('a Local Service with an endpoint on none of the nodes given, stating the assumption', () => {
    const found = findings([iptablesNodeWithoutEndpoint('current', 'node-b', 12), iptablesNodeWithoutEndpoint('current', 'node-d', 14)], ID);
    expect(found.map((f) => [f.messageId, f.services])).toEqual([['localNowhere', ['web/frontend:http']]]);
    expect(found[0]!.explanation).toContain('Assumed: these are the nodes that receive');
    // One node alone is local-policy-no-endpoint's business.
    expect(findings([iptablesNodeWithoutEndpoint('current')], ID)).toEqual([]);
    // With a node that runs an endpoint, the Service is served somewhere.
    expect(findings([...samples('ipvs-local', 'ipvs-local-node-b')], ID).filter((f) => f.messageId === 'localNowhere')).toEqual([]);
  });
});
