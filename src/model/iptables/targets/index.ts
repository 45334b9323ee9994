/**
 * The target catalogue: every `-j` extension iptlens gives a typed meaning to, one per kind. Jumps
 * to user chains are resolved by the rule builder, not here. The record's type makes the
 * compiler insist on an entry for every kind of the union in types.ts;
 * test/model/iptables/targets/index.test.ts checks that every target file is listed here.
 */
import type { TargetSpec } from '../spec.js';
import type { TargetModule } from './module.js';
import type { TypedTargetKind } from './types.js';
import { auditTarget } from './audit.js';
import { checksumTarget } from './checksum.js';
import { classifyTarget } from './classify.js';
import { connmarkTarget } from './connmark.js';
import { connsecmarkTarget } from './connsecmark.js';
import { ctTarget } from './ct.js';
import { dscpTarget } from './dscp.js';
import { hmarkTarget } from './hmark.js';
import { logTarget } from './log.js';
import { markTarget } from './mark.js';
import { masqueradeTarget } from './masquerade.js';
import { dnatTarget } from './nat.js';
import { netmapTarget } from './netmap.js';
import { nflogTarget } from './nflog.js';
import { nfqueueTarget } from './nfqueue.js';
import { notrackTarget } from './notrack.js';
import { redirectTarget } from './redirect.js';
import { rejectTarget } from './reject.js';
import { secmarkTarget } from './secmark.js';
import { setTarget } from './set.js';
import { snatTarget } from './snat.js';
import { tcpmssTarget } from './tcpmss.js';
import { teeTarget } from './tee.js';
import { tosTarget } from './tos.js';
import { tproxyTarget } from './tproxy.js';
import { traceTarget } from './trace.js';
import { ulogTarget } from './ulog.js';
import { acceptTarget, dropTarget, queueTarget, returnTarget } from './verdict.js';

export const TARGET_MODULES: { readonly [K in TypedTargetKind]: TargetModule<K> } = {
  ACCEPT: acceptTarget,
  DROP: dropTarget,
  RETURN: returnTarget,
  QUEUE: queueTarget,
  AUDIT: auditTarget,
  CHECKSUM: checksumTarget,
  CLASSIFY: classifyTarget,
  CONNMARK: connmarkTarget,
  CONNSECMARK: connsecmarkTarget,
  CT: ctTarget,
  DNAT: dnatTarget,
  DSCP: dscpTarget,
  HMARK: hmarkTarget,
  LOG: logTarget,
  MARK: markTarget,
  MASQUERADE: masqueradeTarget,
  NETMAP: netmapTarget,
  NFLOG: nflogTarget,
  NFQUEUE: nfqueueTarget,
  NOTRACK: notrackTarget,
  REDIRECT: redirectTarget,
  REJECT: rejectTarget,
  SECMARK: secmarkTarget,
  SET: setTarget,
  SNAT: snatTarget,
  TCPMSS: tcpmssTarget,
  TEE: teeTarget,
  TOS: tosTarget,
  TPROXY: tproxyTarget,
  TRACE: traceTarget,
  ULOG: ulogTarget,
};

export const TARGET_SPECS: readonly TargetSpec[] = Object.values(TARGET_MODULES);

const byName = new Map<string, TargetSpec>();
for (const spec of TARGET_SPECS) byName.set(spec.name, spec);

export function targetSpec(name: string): TargetSpec | undefined {
  return byName.get(name);
}

/** The module of a typed target's kind (for printing). */
export function targetModule<K extends TypedTargetKind>(kind: K): TargetModule<K> {
  return TARGET_MODULES[kind];
}
