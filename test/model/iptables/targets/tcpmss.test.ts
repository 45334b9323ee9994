import { describe, expect, it } from 'vitest';
import { printedTarget, targetOf } from '../rule-of.js';

describe('TCPMSS', () => {
  it('reads a fixed MSS or clamping to the path MTU', () => {
    expect(targetOf('-p tcp -j TCPMSS --clamp-mss-to-pmtu', 'TCPMSS').mss).toBe('pmtu');
    expect(printedTarget(targetOf('-p tcp -j TCPMSS --set-mss 1400', 'TCPMSS'))).toBe('--set-mss 1400');
  });

  it('reports both options and a rule without -p tcp', () => {
    expect(targetOf('-p tcp -j TCPMSS --set-mss 1 --clamp-mss-to-pmtu', 'TCPMSS').problems).toEqual(['iptables/conflicting-options: --clamp-mss-to-pmtu']);
    expect(targetOf('-j TCPMSS --set-mss 1', 'TCPMSS').problems).toEqual(['iptables/missing-option: -j TCPMSS --set-mss 1']);
  });
});
