/**
 * The value parsers the catalogue added to src/model/values (tested here, beside their only user):
 * inet_ntop text, number ranges, rates, ICMP names, MAC addresses, TOS/DSCP names, services.
 */
import fc from 'fast-check';
import { IPv6 } from 'ip-num';
import { describe, expect, it } from 'vitest';
import { formatCidrNtop, formatCidrWithLength, formatIPv6Ntop } from '../../../src/model/values/inet-ntop.js';
import { parseCidr } from '../../../src/model/values/address.js';
import { formatNumberRange, parseNumberRange, parseUnsigned } from '../../../src/model/values/range.js';
import { formatRatePeriod, HASHLIMIT_SCALE, LIMIT_SCALE, parseRatePeriod } from '../../../src/model/values/rate.js';
import { ICMP_NAMES, ICMPV6_NAMES, parseIcmpType } from '../../../src/model/values/icmp.js';
import { parseMac } from '../../../src/model/values/mac.js';
import { parseDscpClass, TOS_NAMES } from '../../../src/model/values/tos.js';
import { parseServicePort, parseServicePortRange } from '../../../src/model/values/services.js';

describe('inet_ntop text', () => {
  it('compresses the longest run of zero groups (leftmost on a tie), never a single one', () => {
    const ntop = (s: string) => formatIPv6Ntop(IPv6.fromString(s).getValue());
    expect(ntop('0:0:0:0:0:0:0:0')).toBe('::');
    expect(ntop('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(ntop('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(ntop('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(ntop('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7');
    expect(ntop('fe80:0:0:0:0:0:0:0')).toBe('fe80::');
    expect(ntop('::ffff:1.2.3.4')).toBe('::ffff:1.2.3.4');
  });

  it('reads back to the same address (ip-num), for any address', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        expect(IPv6.fromString(formatIPv6Ntop(v)).getValue()).toBe(v);
      }),
    );
  });

  it('writes prefixes as match operands (host without length) and as -s/-d (length always)', () => {
    expect(formatCidrNtop(parseCidr('10.1.2.3/8')!)).toBe('10.0.0.0/8');
    expect(formatCidrNtop(parseCidr('10.1.2.3')!)).toBe('10.1.2.3');
    expect(formatCidrWithLength(parseCidr('2001:db8::1')!)).toBe('2001:db8::1/128');
  });
});

describe('number ranges', () => {
  it('reads decimal, hex and octal, and open ends', () => {
    expect(parseUnsigned('0x1f')).toBe(31);
    expect(parseUnsigned('017')).toBe(15);
    expect(parseUnsigned('4294967296')).toBeNull();
    expect(parseNumberRange(':10', 100)).toEqual({ from: 0, to: 10 });
    expect(parseNumberRange('5:', 100)).toEqual({ from: 5, to: 100 });
    expect(parseNumberRange('9:5', 100)).toBeNull();
    expect(formatNumberRange({ from: 3, to: 3 })).toBe('3');
  });
});

describe('rates', () => {
  it('keeps the kernel period and prints it in the largest exact unit (print_rate)', () => {
    expect(parseRatePeriod('60/minute', LIMIT_SCALE, 'sec')).toEqual({ period: 10000n, unit: 'min' });
    expect(formatRatePeriod(10000n, LIMIT_SCALE)).toBe('1/sec');
    expect(formatRatePeriod((LIMIT_SCALE * 3600n) / 3n, LIMIT_SCALE)).toBe('3/hour');
    expect(formatRatePeriod(parseRatePeriod('45/m', LIMIT_SCALE, 'sec')!.period, LIMIT_SCALE)).toBe('45/min');
    expect(formatRatePeriod(parseRatePeriod('1000/s', HASHLIMIT_SCALE, 'sec')!.period, HASHLIMIT_SCALE)).toBe('1000/sec');
  });

  it('rejects zero, unknown units and rates too fast to represent', () => {
    expect(parseRatePeriod('0/s', LIMIT_SCALE, 'sec')).toBeNull();
    expect(parseRatePeriod('5/week', LIMIT_SCALE, 'sec')).toBeNull();
    expect(parseRatePeriod('20000/s', LIMIT_SCALE, 'sec')).toBeNull();
  });
});

describe('ICMP names', () => {
  it('reads names, unambiguous prefixes, numbers and type/code', () => {
    expect(parseIcmpType('echo-request', ICMP_NAMES)).toEqual({ type: 8, codeMin: 0, codeMax: 255 });
    expect(parseIcmpType('port-unr', ICMP_NAMES)).toEqual({ type: 3, codeMin: 3, codeMax: 3 });
    expect(parseIcmpType('3/4', ICMP_NAMES)).toEqual({ type: 3, codeMin: 4, codeMax: 4 });
    expect(parseIcmpType('neighbor-solicitation', ICMPV6_NAMES)).toEqual({ type: 135, codeMin: 0, codeMax: 255 });
    expect(parseIcmpType('echo', ICMP_NAMES)).toBeNull();
    expect(parseIcmpType('256', ICMP_NAMES)).toBeNull();
  });
});

describe('MAC, TOS, DSCP and services', () => {
  it('reads what iptables reads', () => {
    expect(parseMac('0:a:B:c:d:e')).toBe('00:0a:0b:0c:0d:0e');
    expect(parseMac('00:11:22:33:44')).toBeNull();
    expect(TOS_NAMES['minimize-delay']).toBe(0x10);
    expect(parseDscpClass('af41')).toBe(0x22);
    expect(parseServicePort('ssh')).toBe(22);
    expect(parseServicePort('auth')).toBe(113);
    expect(parseServicePort('toString')).toBeNull();
    expect(parseServicePortRange('http:https')).toEqual({ from: 80, to: 443 });
    expect(parseServicePortRange('1000-2000', '-')).toEqual({ from: 1000, to: 2000 });
  });
});
