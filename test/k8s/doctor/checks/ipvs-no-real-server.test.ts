import { describe, expect, it } from 'vitest';
import { findings, nodeOf, samples } from '../support.js';

const ID = 'ipvs-no-real-server';

const IPVS = (body: string) => `IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n${body}`;

describe(ID, () => {
  it('reports all-weight-0 virtual services; an empty one is a Service without endpoints', () => {
    const node = nodeOf('n', {
      'ipvsadm-Ln.txt': IPVS('TCP  10.96.1.1:80 rr\nTCP  10.96.1.2:80 rr\n  -> 10.244.1.2:80                Masq    0      3          0\nTCP  10.96.1.3:80 rr\n  -> 10.244.1.3:80                Masq    1      0          0\n'),
    });
    const found = findings([node], ID);
    expect(found.map((f) => [f.severity, f.title])).toEqual([
      ['warning', '10.96.1.2:80/tcp: IPVS TCP 10.96.1.2:80 has only real servers of weight 0'],
      ['info', '10.96.1.1:80/tcp has no endpoints: IPVS TCP 10.96.1.1:80 refuses connections'],
    ]);
  });

  it('names the Service without endpoints and the Local Service without a local endpoint (info), one NodePort as one', () => {
    expect(findings(samples('ipvs-local'), ID).map((f) => [f.severity, f.messageId, f.services])).toEqual([['info', 'noEndpoints', ['10.96.160.2:8080/tcp']]]);
    const bound = findings(samples('ipvs-bound-lb'), ID);
    expect(bound.map((f) => f.messageId)).toEqual(['localNone', 'localNone', 'localNone', 'localNone']);
    const nodePort = bound.find((f) => f.services[0] === 'nodeport:31080/tcp')!;
    // 127.0.0.1, docker0, cni0 (network and bridge address) and eth0: one virtual service per node address.
    expect(nodePort.evidence).toHaveLength(5);
  });

  it('a fwmark or unnamed virtual service without real servers is a warning of its own', () => {
    const found = findings([nodeOf('n', { 'ipvsadm-Ln.txt': IPVS('FWM  4711 rr\n') })], ID);
    expect(found.map((f) => [f.severity, f.messageId, f.title])).toEqual([['warning', 'empty', 'FWM 4711: IPVS FWM 4711 has no real server']]);
  });

  it('only the Service without endpoints in the Cluster sample', () => {
    expect(findings(samples('ipvs-cluster'), ID).map((f) => f.messageId)).toEqual(['noEndpoints']);
  });
});
