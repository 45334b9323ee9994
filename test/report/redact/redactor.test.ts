import { describe, expect, it } from 'vitest';
import { createRedactor, redactValue } from '../../../src/report/redact/redactor.js';
import { addressesIn, keyOf, mustChange } from './found.js';

const fixed = (names = false) => createRedactor({ names, key: 'fixed key for tests' });

function leaks(input: string, output: string): string[] {
  const sensitive = new Set(addressesIn(input).filter(mustChange).map(keyOf));
  return addressesIn(output)
    .filter((a) => sensitive.has(keyOf(a)))
    .map((a) => a.text);
}

describe('redacting text', () => {
  it.each([
    ['an iptables rule', '-A KUBE-SEP-X -p tcp -m comment --comment "shop/cart:http" -m tcp -j DNAT --to-destination 10.244.1.5:8080'],
    ['a route', '10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink'],
    ['an interface address with its prefix', '    inet 10.0.0.11/24 brd 10.0.0.255 scope global eth0'],
    ['a netmask prefix', '-A INPUT -s 192.168.1.0/255.255.255.0 -j ACCEPT'],
    ['IPv6 with port and prefix', 'DNAT to [fd00:10:244:1::3]:53, route fd00:10:244::/56, 2001:db8:1::7'],
    ['an IPv4-mapped IPv6 address', 'from ::ffff:198.51.100.7'],
    ['an ipset member', 'add KUBE-LOAD-BALANCER-LOCAL 10.0.0.100,tcp:80'],
    ['a cloud host name', 'node ip-10-0-0-11.ec2.internal is Ready'],
    ['a range', '-m iprange --src-range 10.0.0.5-10.0.0.9'],
  ])('replaces every address in %s', (_what, input) => {
    const out = fixed().text(input);
    expect(out).not.toBe(input);
    expect(leaks(input, out)).toEqual([]);
  });

  it('leaves what only looks like an address alone', () => {
    const r = fixed();
    for (const text of ['aa:bb:cc:dd:ee:ff', '12:34:56', 'nat:KUBE-SERVICES', 'iptables v1.8.9 (nf_tables)', 'p=0.500', 'std::vector', 'KUBE-SVC-TCOU7JCQXEZGVUNU', '0x4000/0x4000']) {
      expect(r.text(text)).toBe(text);
    }
  });

  it('keeps the special addresses a reader needs', () => {
    const text = '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -j DROP; 0.0.0.0/0; ::1/128; fe80::/64; 169.254.169.254; 224.0.0.0/4';
    expect(fixed().text(text)).toBe(text);
  });

  it('gives one address one pseudonym everywhere in a report, keeping subnets together', () => {
    const r = fixed();
    const out = r.text('10.244.1.5 10.244.1.7 10.244.2.5 10.244.1.5:8080 [10.244.1.5] 10.244.1.0/24 10.244.0.0/16');
    const [a, b, c, a2, a3, net24, net16] = out.split(' ');
    expect(a2).toBe(`${a}:8080`);
    expect(a3).toBe(`[${a}]`);
    const head = (x: string | undefined, n: number): string => (x ?? '').split('.').slice(0, n).join('.');
    expect(head(a, 3)).toBe(head(b, 3));
    expect(head(a, 3)).not.toBe(head(c, 3));
    expect(head(a, 2)).toBe(head(c, 2));
    expect(net24).toBe(`${head(a, 3)}.0/24`);
    expect(net16).toBe(`${head(a, 2)}.0.0/16`);
    expect(head(a, 1)).toBe('10');
  });

  it('uses a new random key per report unless one is given', () => {
    const text = '10.0.0.11 203.0.113.10';
    const random = [createRedactor({ names: false, key: null }).text(text), createRedactor({ names: false, key: null }).text(text)];
    expect(random[0]).not.toBe(random[1]);
    expect(fixed().text(text)).toBe(fixed().text(text));
  });

  it('replaces namespace/name in comments only when asked, keeping port names and the cluster namespaces', () => {
    const rule = '-A KUBE-SERVICES -d 10.96.45.12/32 -p tcp -m comment --comment "shop/cart:http cluster IP" -j KUBE-SVC-X';
    expect(fixed().text(rule)).toContain('shop/cart:http cluster IP');
    const r = fixed(true);
    expect(r.text(rule)).toContain('--comment "ns-1/svc-1:http cluster IP"');
    expect(r.text('-m comment --comment shop/catalog:http -j KUBE-SVC-Y')).toContain('--comment ns-1/svc-2:http');
    expect(r.text('-m comment --comment web/frontend:http')).toContain('--comment ns-2/svc-3:http');
    expect(r.comment('shop/cart:http -> 10.244.1.5:8080')).toMatch(/^ns-1\/svc-1:http -> 10\.\d+\.\d+\.\d+:8080$/);
    expect(r.comment('kube-system/kube-dns:dns cluster IP')).toBe('kube-system/kube-dns:dns cluster IP');
    expect(r.comment('default/kubernetes:https cluster IP')).toBe('default/kubernetes:https cluster IP');
    expect(r.comment('default/shop-api:https')).toBe('default/svc-4:https');
    // A file path outside a comment is not a Kubernetes name.
    expect(r.text('samples/iptables-current/iptables-save.txt:178')).toBe('samples/iptables-current/iptables-save.txt:178');
  });

  it('redacts every string of a document and leaves numbers and keys alone', () => {
    const r = fixed(true);
    const doc = { schema: 'iptlens.trace/v1', probe: { src: '10.244.1.5', mark: 16384 }, steps: [{ comment: 'shop/cart:http', effect: 'DNAT to 10.244.1.5:8080' }] };
    const out = redactValue(doc, r);
    expect(out.schema).toBe('iptlens.trace/v1');
    expect(out.probe.mark).toBe(16384);
    expect(out.probe.src).not.toBe('10.244.1.5');
    expect(out.steps[0]?.effect).toBe(`DNAT to ${out.probe.src}:8080`);
    expect(out.steps[0]?.comment).toBe('ns-1/svc-1:http');
    expect(doc.probe.src).toBe('10.244.1.5');
  });
});
