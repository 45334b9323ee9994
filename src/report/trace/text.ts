/** `iptlens trace`: each path as a readable tree of hooks, chains and rules, and one verdict line. */
import type { TracePath, TraceResult } from '../../eval/types.js';
import { summariseTrace } from '../../eval/summary.js';
import { addressSetText, portSetText } from '../../eval/view.js';
import { formatFileLine } from '../location.js';
import type { Style } from '../style.js';

function endpoint(ip: string, port: string): string {
  return port === 'any' || port === '0' ? ip : ip.includes(':') && !ip.includes('/') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** `egress eth0  10.244.1.5:40000 → 10.0.0.9:80 (no SNAT)  [p=1.0]` */
export function verdictLine(path: TracePath): string {
  const f = path.final;
  const tuple = `${endpoint(f.src, f.sport)} → ${endpoint(f.dst, f.dport)}`;
  const nat = path.snat ? `(SNAT ${path.snat.kind === 'masquerade' ? 'MASQUERADE' : ''} to ${path.snat.to})`.replace('  ', ' ') : '(no SNAT)';
  const p = `[p=${path.probability === 1 ? '1.0' : path.probability.toFixed(3)}]`;
  switch (path.disposition) {
    case 'egress':
      return `egress ${path.egress?.iface ?? '?'}  ${tuple} ${nat}  ${p}`;
    case 'local-pod':
      return `to pod via ${path.egress?.iface ?? '?'}  ${tuple} ${nat}  ${p}`;
    case 'local':
      return `delivered locally  ${tuple}  ${p}`;
    case 'drop':
      return `DROPPED: ${path.reason ?? 'dropped'}  ${p}`;
    case 'reject':
      return `REJECTED: ${path.reason ?? 'rejected'}  ${p}`;
    default: {
      const never: never = path.disposition;
      return never;
    }
  }
}

export function traceReportText(result: TraceResult, style: Style, verbose = true): string {
  const p = result.probe;
  const out: string[] = [];
  out.push(style.bold(`trace ${p.origin} ${endpoint(addressSetText(p.family, p.src), portSetText(p.sport))} → ${endpoint(addressSetText(p.family, p.dst), portSetText(p.dport))} ${p.proto} ${p.state}`));
  result.paths.forEach((path, i) => {
    out.push('');
    const colour = path.disposition === 'drop' || path.disposition === 'reject' ? style.red : style.green;
    out.push(`${style.bold(`path ${i + 1}`)}  ${colour(verdictLine(path))}`);
    if (path.packet.src !== addressSetText(p.family, p.src) || path.packet.sport !== portSetText(p.sport) || path.packet.dport !== portSetText(p.dport) || path.packet.dst !== addressSetText(p.family, p.dst)) {
      out.push(`  for packets ${endpoint(path.packet.src, path.packet.sport)} → ${endpoint(path.packet.dst, path.packet.dport)}`);
    }
    for (const c of path.conditions) out.push(style.yellow(`  if ${c.text}`));
    if (path.dnat) out.push(`  DNAT to ${path.dnat.to}`);
    if (path.masqueradeMark) out.push('  marked for masquerade (kube-proxy 0x4000 bit)');
    if (!verbose) return;
    let hook = '';
    for (const s of path.steps) {
      if (s.hook !== hook) {
        hook = s.hook;
        out.push(`  ${style.cyan(hook)}`);
      }
      const where = s.table && s.chain ? `${s.table}/${s.chain}${s.rule !== null ? `#${s.rule}` : ''}` : '';
      const loc = s.at ? style.dim(` ${formatFileLine(s.at)}`) : '';
      const comment = s.comment ? style.dim(` "${s.comment}"`) : '';
      out.push(`    ${where ? `${where}: ` : ''}${s.effect}${comment}${loc}`);
    }
  });
  const summary = summariseTrace(result);
  out.push('');
  out.push(style.bold(`summary: SNAT ${summary.snat}; DNAT ${summary.dnat.length ? summary.dnat.join(', ') : 'none'}; ${result.paths.length} path${result.paths.length === 1 ? '' : 's'}`));
  if (result.omitted.paths > 0) out.push(style.yellow(`omitted: ${result.omitted.paths} paths (total p=${result.omitted.probability.toFixed(3)}) beyond the path cap`));
  for (const a of result.assumptions) out.push(style.dim(`assumed: ${a}`));
  return out.join('\n') + '\n';
}
