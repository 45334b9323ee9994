/** `iptlens loopback`: the verdict, each way the connection can go, and what to do. */
import type { LoopbackResult } from '../../k8s/loopback/types.js';
import type { Style } from '../style.js';

function pct(p: number): string {
  return `${(p * 100).toFixed(p === 1 || p === 0 ? 0 : 1)}%`;
}

export function loopbackReportText(r: LoopbackResult, style: Style): string {
  const out: string[] = [];
  const bad = r.verdict !== 'works' && r.verdict !== 'short-circuit';
  const head = `${r.verdict.toUpperCase()}${r.verdict === 'works' ? '' : ` (p=${pct(r.probability)})`}`;
  out.push(style.bold(`loopback: ${r.client} on ${r.clientNode} → ${r.lb.ip}:${r.lb.port}/${r.lb.proto} via ${r.model.title}`));
  out.push((bad ? style.red : style.green)(style.bold(`verdict: ${head}`)));
  out.push(style.dim(`model: ${r.model.source}`));
  r.outcomes.forEach((o, i) => {
    out.push('');
    out.push(`${style.bold(`${i + 1}. ${o.verdict}`)} p=${pct(o.probability)} — ${o.effect}`);
    out.push(`   ${o.explanation}`);
    for (const h of o.hops) out.push(`   ${style.cyan(h.kind)}${h.node ? ` ${h.node}` : ''}: ${h.text}`);
  });
  if (r.healthChecks.length) {
    out.push('', style.bold('LB health probes from the VIP'));
    for (const h of r.healthChecks) out.push(`   ${h.verdict === 'works' ? style.green('ok') : style.red('FAIL')} ${h.hops[0]?.text ?? ''}${h.verdict === 'works' ? '' : ` — ${h.explanation}`}`);
  }
  if (r.remediations.length) {
    out.push('', style.bold('remediations'));
    r.remediations.forEach((m, i) => {
      out.push(`   ${i + 1}. ${m.title}: ${m.detail}${m.cost ? style.dim(` (cost: ${m.cost})`) : ''}`);
    });
  }
  for (const n of r.notes) out.push(style.dim(`note: ${n}`));
  return out.join('\n') + '\n';
}
