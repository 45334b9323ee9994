import { describe, expect, it } from 'vitest';
import { matchOf, printedMatch } from '../rule-of.js';

describe('ah', () => {
  it('reads the SPI range (IPv4) and also length and reserved field (IPv6)', () => {
    expect(printedMatch(matchOf('-p ah -m ah ! --ahspi 5:7', 'ah'))).toBe('! --ahspi 5:7');
    const v6 = matchOf('-m ah --ahspi 5 --ahlen 10 --ahres', 'ah', { family: 'ipv6' });
    expect(v6).toMatchObject({ spi: { range: { from: 5, to: 5 } }, len: { value: 10 }, res: true });
  });

  it('drops the full range, which iptables-save does not print, and reports IPv6-only options in IPv4', () => {
    expect(printedMatch(matchOf('-m ah --ahspi 0:4294967295', 'ah'))).toBe('');
    expect(matchOf('-m ah --ahres', 'ah').problems).toEqual(['iptables/wrong-family: --ahres']);
  });
});
