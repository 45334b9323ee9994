import { describe, expect, it } from 'vitest';
import { podSources, Renaming } from '../../src/diff/identity.js';
import { parseAddress, parseCidr } from '../../src/model/values/address.js';

const ip = (t: string) => parseAddress(t)!.first;
const cidr = (t: string) => parseCidr(t)!;

describe('Renaming', () => {
  const r = new Renaming(
    [
      { family: 'ipv4', a: ip('10.0.0.11'), b: ip('10.0.0.12') },
      { family: 'ipv4', a: ip('10.244.1.1'), b: ip('10.244.2.1') },
    ],
    [{ family: 'ipv4', a: cidr('10.244.1.0/24'), b: cidr('10.244.2.0/24') }],
  );

  it('swaps the node addresses both ways and leaves other addresses alone', () => {
    expect(r.text('10.0.0.12').text).toBe('10.0.0.11');
    expect(r.text('10.0.0.11').text).toBe('10.0.0.12');
    expect(r.text('10.244.2.1').text).toBe('10.244.1.1');
    // An endpoint in a pod prefix is the same pod on every node.
    expect(r.text('10.244.2.7')).toEqual({ text: '10.244.2.7', sensitive: null });
    expect(r.text('10.244.2.7-10.244.2.7').text).toBe('10.244.2.7-10.244.2.7');
    expect(r.text('10.0.0.12-10.0.0.12').text).toBe('10.0.0.11-10.0.0.11');
    expect(r.text('KUBE-MARK-MASQ').text).toBe('KUBE-MARK-MASQ');
  });

  it('swaps a pod prefix written exactly, saying which addresses it may not mean the same', () => {
    const t = r.text('10.244.2.0/24');
    expect(t.text).toBe('10.244.1.0/24');
    // Both prefixes but the addresses swapped one for one.
    expect(t.sensitive?.set.has(ip('10.244.1.7'))).toBe(true);
    expect(t.sensitive?.set.has(ip('10.244.2.7'))).toBe(true);
    expect(t.sensitive?.set.has(ip('10.244.1.1'))).toBe(false);
    expect(t.sensitive?.set.has(ip('10.0.0.11'))).toBe(false);
  });

  it('keeps a prefix that holds both or neither of a swapped pair, and flags one that holds only one', () => {
    expect(r.text('10.0.0.0/24')).toEqual({ text: '10.0.0.0/24', sensitive: null });
    expect(r.text('192.168.0.0/16')).toEqual({ text: '192.168.0.0/16', sensitive: null });
    const half = r.text('10.0.0.8/30');
    expect(half.text).toBe('10.0.0.8/30');
    expect(half.sensitive?.set.has(ip('10.0.0.11'))).toBe(true);
    expect(half.sensitive?.set.has(ip('10.0.0.12'))).toBe(true);
  });

  it('is the identity when there is nothing to match', () => {
    expect(Renaming.NONE.isIdentity).toBe(true);
    expect(new Renaming([{ family: 'ipv4', a: ip('10.0.0.11'), b: ip('10.0.0.11') }], []).isIdentity).toBe(true);
  });
});

describe('podSources', () => {
  it('takes the same offset in both pod prefixes, avoiding endpoints and the bridge', () => {
    const a = { family: 'ipv4' as const, nodeIp: null, bridgeIp: ip('10.244.1.1'), podCidr: cidr('10.244.1.0/24') };
    const b = { family: 'ipv4' as const, nodeIp: null, bridgeIp: ip('10.244.2.1'), podCidr: cidr('10.244.2.0/24') };
    expect(podSources(a, b, new Set())).toEqual({ a: ip('10.244.1.254'), b: ip('10.244.2.254') });
    expect(podSources(a, b, new Set([ip('10.244.2.254')]))).toEqual({ a: ip('10.244.1.253'), b: ip('10.244.2.253') });
    expect(podSources(a, { ...b, podCidr: null }, new Set())).toEqual({ a: ip('10.244.1.254'), b: null });
  });
});
