/**
 * The sending process: `ip netns exec NS node -e SCRIPT SPEC` — the same Node.js binary that runs
 * the tests, with its standard library only. TCP: one connect() (one SYN: the kernel's first SYN
 * retransmission comes after 1 s, longer than the wait). UDP: bind, connect, one datagram;
 * a connected UDP socket is told of ICMP errors for its peer (ECONNREFUSED, EHOSTUNREACH…).
 * The script prints one JSON SenderOutcome and exits.
 */
import { runCommand } from './command.js';
import type { Netns, Protocol, SenderOutcome } from './types.js';

export interface SenderSpec {
  readonly protocol: Protocol;
  readonly family: 4 | 6;
  readonly src?: string;
  readonly sport: number;
  readonly dst: string;
  readonly dport: number;
  readonly waitMs: number;
}

/*
 * Error codes and what they mean on Linux (tcp_v4_err/udp_err via icmp_err_convert[]): port
 * unreachable or a reset → ECONNREFUSED; host/net unreachable, admin-prohibited → EHOSTUNREACH,
 * ENETUNREACH, EACCES; a netfilter DROP in the sender's own OUTPUT path → EPERM.
 */
const script = String.raw`
const spec = JSON.parse(process.argv[1]);
let done = false;
function finish(o) {
  if (done) return;
  done = true;
  process.stdout.write(JSON.stringify(o));
  process.exit(0);
}
function classify(e) {
  const code = String(e && e.code || 'EUNKNOWN');
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') return { kind: 'refused', code };
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EACCES', 'EPROTO', 'ENOPROTOOPT', 'EHOSTDOWN', 'ENONET'].includes(code)) return { kind: 'unreachable', code };
  if (code === 'EPERM') return { kind: 'blocked-locally', code };
  if (code === 'ETIMEDOUT') return { kind: spec.protocol === 'tcp' ? 'timeout' : 'no-answer' };
  return { kind: 'failed', code, message: String(e && e.message) };
}
setTimeout(() => finish({ kind: spec.protocol === 'tcp' ? 'timeout' : 'no-answer' }), spec.waitMs);
if (spec.protocol === 'tcp') {
  const net = require('node:net');
  const options = { host: spec.dst, port: spec.dport, localPort: spec.sport, family: spec.family };
  if (spec.src) options.localAddress = spec.src;
  else options.localAddress = spec.family === 6 ? '::' : '0.0.0.0';
  const s = net.connect(options);
  s.on('connect', () => finish({ kind: 'connected', local: { ip: s.localAddress, port: s.localPort } }));
  s.on('error', (e) => finish(classify(e)));
} else {
  const dgram = require('node:dgram');
  const s = dgram.createSocket(spec.family === 6 ? 'udp6' : 'udp4');
  s.on('error', (e) => finish(classify(e)));
  s.on('message', () => {
    const a = s.address();
    finish({ kind: 'answered', local: { ip: a.address, port: a.port } });
  });
  s.bind({ address: spec.src, port: spec.sport, exclusive: true }, () => {
    s.connect(spec.dport, spec.dst, (err) => {
      if (err) return finish(classify(err));
      s.send(Buffer.from('iptlens probe'), (e) => { if (e) finish(classify(e)); });
    });
  });
}
`;

function isOutcome(v: unknown): v is SenderOutcome {
  if (v === null || typeof v !== 'object') return false;
  const kind = (v as { kind?: unknown }).kind;
  return ['connected', 'answered', 'refused', 'unreachable', 'blocked-locally', 'timeout', 'no-answer', 'failed'].includes(String(kind));
}

/** Sends from `ns`; a sender that crashes or prints garbage is reported as 'failed'. */
export async function runSender(ns: Netns, spec: SenderSpec): Promise<SenderOutcome> {
  const r = await runCommand(['ip', 'netns', 'exec', ns.name, process.execPath, '-e', script, JSON.stringify(spec)], {
    timeoutMs: spec.waitMs + 5_000,
    // The test runner's loader options must not slow down or break the bare sender.
    dropEnv: ['NODE_OPTIONS', 'VITEST', 'VITEST_WORKER_ID', 'VITEST_POOL_ID'],
  });
  try {
    const parsed: unknown = JSON.parse(r.stdout);
    if (isOutcome(parsed)) return parsed;
  } catch {
    // fall through: reported below with what the process printed
  }
  return { kind: 'failed', code: r.timedOut ? 'TIMEOUT' : `EXIT${String(r.code)}`, message: `${r.stdout}${r.stderr}`.trim() };
}
