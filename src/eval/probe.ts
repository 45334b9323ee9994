/**
 * Probes from words: `--src 10.244.1.5`, `--src 10.0.0.0/8`, `--src any`, `--dport 30000-32767`.
 * Returns every problem found instead of throwing.
 */
import { parseCidr, type Family } from '../model/values/address.js';
import { IntervalSet } from './interval-set.js';
import type { ConnState, L4Protocol, Origin, Probe } from './types.js';

export interface ProbeWords {
  readonly from: string;
  readonly src?: string;
  readonly dst: string;
  readonly proto?: string;
  readonly sport?: string;
  readonly dport?: string;
  readonly inIface?: string;
  readonly state?: string;
  readonly mark?: string;
  readonly assumeHistory?: boolean;
}

export type ProbeResult = { readonly ok: true; readonly probe: Probe } | { readonly ok: false; readonly problems: readonly string[] };

function addressSet(text: string, what: string, problems: string[], family: Family | null): { set: IntervalSet; family: Family } | null {
  if (text === 'any') return { set: IntervalSet.EMPTY, family: family ?? 'ipv4' };
  const parts = text.split(',');
  const sets: IntervalSet[] = [];
  let fam: Family | null = family;
  for (const part of parts) {
    const cidr = parseCidr(part.trim());
    if (!cidr) {
      problems.push(`${what} "${part}" is not an address or prefix (or "any")`);
      return null;
    }
    if (fam && cidr.family !== fam) {
      problems.push(`${what} ${part} is ${cidr.family} but the other address is ${fam}`);
      return null;
    }
    fam = cidr.family;
    sets.push(IntervalSet.of(cidr.first, cidr.last));
  }
  return { set: sets.reduce((a, b) => a.union(b), IntervalSet.EMPTY), family: fam ?? 'ipv4' };
}

function fullAddresses(family: Family): IntervalSet {
  return IntervalSet.of(0n, (1n << (family === 'ipv4' ? 32n : 128n)) - 1n);
}

function portSet(text: string | undefined, what: string, problems: string[], fallback: IntervalSet): IntervalSet {
  if (text === undefined || text === 'any') return fallback;
  const sets: IntervalSet[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d{1,5})(?:[-:](\d{1,5}))?$/.exec(part.trim());
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo > 65535 || hi > 65535 || lo > hi) {
      problems.push(`${what} "${part}" is not a port or range (80, 30000-32767, any)`);
      return fallback;
    }
    sets.push(IntervalSet.of(BigInt(lo), BigInt(hi)));
  }
  return sets.reduce((a, b) => a.union(b), IntervalSet.EMPTY);
}

const ORIGINS: readonly Origin[] = ['pod', 'host', 'external'];
const PROTOS: readonly L4Protocol[] = ['tcp', 'udp', 'sctp', 'icmp', 'icmpv6'];

export function probeFromWords(words: ProbeWords, defaultSrc: (family: Family) => IntervalSet | null): ProbeResult {
  const problems: string[] = [];
  const origin = words.from as Origin;
  if (!ORIGINS.includes(origin)) problems.push(`--from must be pod, host or external (got "${words.from}")`);
  const dst = addressSet(words.dst, '--dst', problems, null);
  const family = dst?.family ?? 'ipv4';
  let src: IntervalSet | null = null;
  if (words.src !== undefined) {
    const s = addressSet(words.src, '--src', problems, words.dst === 'any' ? null : family);
    if (s) src = words.src === 'any' ? fullAddresses(family) : s.set;
  } else {
    src = defaultSrc(family);
    if (!src) problems.push('--src is needed (for --from host it defaults to the node address on the route, which the snapshot does not give)');
  }
  let proto = (words.proto ?? 'tcp').toLowerCase() as L4Protocol;
  if ((proto as string) === 'icmp6') proto = 'icmpv6';
  if (!PROTOS.includes(proto)) problems.push(`-p must be one of ${PROTOS.join(', ')} (got "${words.proto}")`);
  const needsPorts = proto === 'tcp' || proto === 'udp' || proto === 'sctp';
  if (needsPorts && words.dport === undefined) problems.push('--dport is needed for tcp, udp and sctp');
  // One ephemeral source port unless given: a single packet stays a single packet.
  const sport = portSet(words.sport, '--sport', problems, needsPorts ? IntervalSet.of(40000n) : IntervalSet.of(0n));
  const dport = portSet(words.dport, '--dport', problems, IntervalSet.of(0n));
  const state = (words.state ?? 'NEW').toUpperCase() as ConnState;
  if (state !== 'NEW' && state !== 'ESTABLISHED') problems.push(`--state must be NEW or ESTABLISHED (got "${words.state}")`);
  let mark = 0;
  if (words.mark !== undefined) {
    const m = /^(0x[0-9a-f]{1,8}|\d{1,10})$/i.exec(words.mark);
    if (!m) problems.push(`--mark "${words.mark}" is not a number`);
    else mark = Number(words.mark) >>> 0;
  }
  if (problems.length > 0 || !dst || !src) return { ok: false, problems };
  return {
    ok: true,
    probe: {
      origin,
      family,
      src,
      dst: words.dst === 'any' ? fullAddresses(family) : dst.set,
      proto,
      sport,
      dport,
      inIface: words.inIface ?? null,
      state,
      mark,
      assumeHistory: words.assumeHistory === true,
    },
  };
}
