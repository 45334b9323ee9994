/**
 * kube-proxy's chain hashes recomputed: against RFC 4648's base32 vectors, and against every
 * chain of the conformance dumps and the samples whose comment names its Service port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/index.js';
import {
  base32,
  endpointChainName,
  portProtoHash,
  readChainName,
  readServicePortName,
  serviceChainName,
  servicePortNameString,
} from '../../src/k8s/chain-names.js';
import { dnatDestinationOf, jumpOf, protocolOf } from '../../src/k8s/rule-fields.js';
import type { Ruleset } from '../../src/model/iptables/types.js';
import { filesUnder, repoRoot, sharedAvailable, sharedDir } from '../support/paths.js';

/** Every (name, protocol) → chain and (name, protocol, endpoint) → chain pair a dump's comments state. */
function statedHashes(ruleset: Ruleset): { services: [string, 'tcp' | 'udp' | 'sctp', string][]; endpoints: [string, 'tcp' | 'udp' | 'sctp', string, number, string][] } {
  const nat = ruleset.tables.find((t) => t.name === 'nat');
  const services: [string, 'tcp' | 'udp' | 'sctp', string][] = [];
  const endpoints: [string, 'tcp' | 'udp' | 'sctp', string, number, string][] = [];
  for (const rule of nat?.chainsByName.get('KUBE-SERVICES')?.rules ?? []) {
    const target = jumpOf(rule);
    const protocol = protocolOf(rule);
    if (!target || !protocol || !rule.comment?.endsWith(' cluster IP') || !/^KUBE-SV[CL]-/.test(target)) continue;
    services.push([rule.comment.slice(0, -' cluster IP'.length), protocol, target]);
  }
  for (const chain of nat?.chains ?? []) {
    if (!chain.name.startsWith('KUBE-SEP-')) continue;
    const dnat = chain.rules.find((r) => r.target?.kind === 'DNAT');
    const to = dnat && dnatDestinationOf(dnat);
    const protocol = dnat && protocolOf(dnat);
    if (!dnat || !to || to.port === null || !protocol || !dnat.comment) continue;
    endpoints.push([dnat.comment, protocol, to.address, to.port, chain.name]);
  }
  return { services, endpoints };
}

const dumps = [
  ...(sharedAvailable ? filesUnder(join(sharedDir, 'conformance', 'kube-proxy'), (p) => p.endsWith('iptables-save.txt')) : []),
  ...['iptables-current/iptables-save.txt', 'iptables-legacy-pre124/iptables-save.txt', 'ipv6/ip6tables-save.txt', 'calico/iptables-save.txt'].map((f) => join(repoRoot, 'samples', f)),
];

describe('base32', () => {
  it('encodes RFC 4648 §10 test vectors (without padding)', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [input, output] of vectors) expect(base32(new TextEncoder().encode(input))).toBe(output);
  });
});

describe('portProtoHash and endpointChainName', () => {
  it('give the chains of kube-proxy\'s own test (ns1/svc1:p80 tcp)', () => {
    expect(serviceChainName('svc', portProtoHash('ns1/svc1:p80', 'tcp'))).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(serviceChainName('svc', portProtoHash('ns1/svc1', 'tcp'))).toBe('KUBE-SVC-AQI2S6QIMU7PVVRP');
    expect(endpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1', 80)).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
  });

  it('depend on the protocol: the UDP and TCP ports of one name get different chains', () => {
    expect(portProtoHash('kube-system/kube-dns:dns', 'udp')).not.toBe(portProtoHash('kube-system/kube-dns:dns', 'tcp'));
  });

  let services = 0;
  let endpoints = 0;
  for (const path of dumps) {
    it(`recompute every commented chain of ${path.replace(repoRoot, '.').replace(sharedDir, '../shared')}`, () => {
      const ruleset = parseIptablesSave(readFileSync(path, 'utf8'), path);
      const stated = statedHashes(ruleset);
      for (const [name, protocol, chain] of stated.services) {
        const kind = chain.startsWith('KUBE-SVL-') ? 'svl' : 'svc';
        expect(serviceChainName(kind, portProtoHash(name, protocol)), `${name} ${protocol}`).toBe(chain);
        services++;
      }
      for (const [name, protocol, address, port, chain] of stated.endpoints) {
        expect(endpointChainName(name, protocol, address, port), `${name} ${protocol} ${address}:${port}`).toBe(chain);
        endpoints++;
      }
      // A dump whose Services all lack endpoints has no per-Service chains to check.
      const hasChains = ruleset.tables.some((t) => t.chains.some((c) => readChainName(c.name) !== null));
      expect(stated.services.length + stated.endpoints.length > 0).toBe(hasChains);
    });
  }
  it('checked IPv6 endpoint chains too ([ip]:port) and many chains overall', () => {
    expect(services).toBeGreaterThan(20);
    expect(endpoints).toBeGreaterThan(40);
  });
});

describe('reading chain and Service port names', () => {
  it('reads the kind and hash of per-Service-port chains and refuses others', () => {
    expect(readChainName('KUBE-EXT-XQW6G4JP7X6Y57U2')).toEqual({ kind: 'ext', hash: 'XQW6G4JP7X6Y57U2' });
    expect(readChainName('KUBE-XLB-XQW6G4JP7X6Y57U2')).toEqual({ kind: 'xlb', hash: 'XQW6G4JP7X6Y57U2' });
    expect(readChainName('KUBE-SEP-SXIVWICOYRO3J4NJ')).toEqual({ kind: 'sep', hash: 'SXIVWICOYRO3J4NJ' });
    expect(readChainName('KUBE-SERVICES')).toBeNull();
    expect(readChainName('KUBE-SVC-short')).toBeNull();
    expect(readChainName('KUBE-SVC-XQW6G4JP7X6Y57U1')).toBeNull(); // 1 is not a base32 digit
  });

  it('splits ns/name[:port] and refuses what kube-proxy never writes', () => {
    expect(readServicePortName('web/frontend:http')).toEqual({ namespace: 'web', name: 'frontend', portName: 'http' });
    expect(readServicePortName('ns1/svc1')).toEqual({ namespace: 'ns1', name: 'svc1', portName: '' });
    expect(readServicePortName('kubernetes service portals')).toBeNull();
    expect(readServicePortName('no-slash')).toBeNull();
    expect(readServicePortName('/x')).toBeNull();
    expect(servicePortNameString('ns1', 'svc1', '')).toBe('ns1/svc1');
    expect(servicePortNameString('ns1', 'svc1', 'p80')).toBe('ns1/svc1:p80');
  });
});
