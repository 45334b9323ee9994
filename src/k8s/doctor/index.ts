/**
 * Every doctor check, in the order they run and are listed. One file per check under checks/;
 * test/k8s/doctor/index.test.ts fails when a file there is not listed here or has no docs page.
 */
import { check as lbLoopbackUnmasqueraded } from './checks/lb-loopback-unmasqueraded.js';
import { check as localPolicyNoEndpoint } from './checks/local-policy-no-endpoint.js';
import { check as lbVipRedirectedToService } from './checks/lb-vip-redirected-to-service.js';
import { check as healthProbeMartian } from './checks/health-probe-martian.js';
import { check as shadowedRule } from './checks/shadowed-rule.js';
import { check as missingChain } from './checks/missing-chain.js';
import { check as unreachableChain } from './checks/unreachable-chain.js';
import { check as jumpCycle } from './checks/jump-cycle.js';
import { check as unsupportedRevision } from './checks/unsupported-revision.js';
import { check as legacyAndNftTables } from './checks/legacy-and-nft-tables.js';
import { check as unusedIpset } from './checks/unused-ipset.js';
import { check as setMissing } from './checks/set-missing.js';
import { check as interfaceMissing } from './checks/interface-missing.js';
import { check as ipvsNoRealServer } from './checks/ipvs-no-real-server.js';
import { check as ipvsVipNotBound } from './checks/ipvs-vip-not-bound.js';
import { check as ipvsBoundWithoutService } from './checks/ipvs-bound-without-service.js';
import { check as ipvsConntrackDisabled } from './checks/ipvs-conntrack-disabled.js';
import { check as bridgeNfCallIptablesOff } from './checks/bridge-nf-call-iptables-off.js';
import { check as serviceNoEndpointsAnywhere } from './checks/service-no-endpoints-anywhere.js';
import { check as lbSourceRangesBlockPods } from './checks/lb-source-ranges-block-pods.js';
import type { DoctorCheck } from './types.js';

export const CHECKS: readonly DoctorCheck[] = [
  lbLoopbackUnmasqueraded,
  localPolicyNoEndpoint,
  lbVipRedirectedToService,
  healthProbeMartian,
  lbSourceRangesBlockPods,
  shadowedRule,
  missingChain,
  unreachableChain,
  jumpCycle,
  unsupportedRevision,
  legacyAndNftTables,
  unusedIpset,
  setMissing,
  interfaceMissing,
  ipvsNoRealServer,
  ipvsVipNotBound,
  ipvsBoundWithoutService,
  ipvsConntrackDisabled,
  bridgeNfCallIptablesOff,
  serviceNoEndpointsAnywhere,
];

export function checkById(id: string): DoctorCheck | undefined {
  return CHECKS.find((c) => c.meta.id === id);
}
