/**
 * `-m policy`, libxt_policy.c: the IPsec policy a packet was (or will be) processed by. Element
 * options are positional: each `--next` starts a new element (at most 4, XT_POLICY_MAX_ELEM).
 */
import type { MatchModule } from './module.js';
import { negOpt, opt, type PrintedOption } from './module.js';
import { flagDef, OptionReader, type OptionDef } from './read.js';
import { parseCidr } from '../../values/address.js';
import { formatCidrNtop } from '../../values/inet-ntop.js';
import { parseUnsigned } from '../../values/range.js';
import type { PolicyElement, PolicyMatch } from './types.js';

const ELEMENT_OPTIONS = ['--reqid', '--spi', '--proto', '--mode', '--tunnel-src', '--tunnel-dst'] as const;

const options: readonly OptionDef[] = [
  { names: ['--dir'], arity: 1, negatable: false },
  { names: ['--pol'], arity: 1, negatable: false },
  flagDef(['--strict']),
  ...ELEMENT_OPTIONS.map((n): OptionDef => ({ names: [n], arity: 1, negatable: true, repeatable: true })),
  { names: ['--next'], arity: 0, negatable: false, repeatable: true },
];

const MAX_ELEMENTS = 4;

export const policyModule: MatchModule<'policy'> = {
  kind: 'policy',
  name: 'policy',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module policy', options);
    const dir = r.value('--dir', (t) => (t === 'in' || t === 'out' ? t : null), 'in or out');
    const pol = r.value('--pol', (t) => (t === 'none' || t === 'ipsec' ? t : null), 'none or ipsec');
    if (!r.has('--dir') && !dir) ctx.report('iptables/missing-option', base.at, 'Module policy', '--dir in|out');
    const strict = r.take('--strict') !== undefined;
    for (const name of [...ELEMENT_OPTIONS, '--next']) r.all(name);
    const elements: Record<string, unknown>[] = [{}];
    for (const { def, option } of r.sequence) {
      const name = def.names[0]!;
      if (name === '--next') {
        if (elements.length >= MAX_ELEMENTS) r.bad(option, `at most ${MAX_ELEMENTS} policy elements`);
        else elements.push({});
        continue;
      }
      if (!(ELEMENT_OPTIONS as readonly string[]).includes(name)) continue;
      const element = elements[elements.length - 1]!;
      const key = name === '--tunnel-src' ? 'tunnelSrc' : name === '--tunnel-dst' ? 'tunnelDst' : name.slice(2);
      if (element[key] !== undefined) {
        r.conflict(option, `another ${name} in the same element (use --next)`);
        continue;
      }
      const text = r.text(option);
      let value: Record<string, unknown> | null = null;
      if (name === '--reqid' || name === '--spi') {
        const n = parseUnsigned(text);
        value = n === null ? null : { value: n };
      } else if (name === '--proto') {
        const p = text.toLowerCase();
        value = p === 'ah' || p === 'esp' || p === 'ipcomp' ? { protocol: p } : p === '51' ? { protocol: 'ah' } : p === '50' ? { protocol: 'esp' } : p === '108' ? { protocol: 'ipcomp' } : null;
      } else if (name === '--mode') {
        value = text === 'tunnel' || text === 'transport' ? { mode: text } : null;
      } else {
        const cidr = parseCidr(text, ctx.family);
        value = cidr ? { cidr } : null;
      }
      if (!value) {
        r.bad(option, name === '--proto' ? 'ah, esp or ipcomp' : name === '--mode' ? 'tunnel or transport' : name.startsWith('--tunnel') ? `an ${ctx.family} address[/mask]` : 'a number');
        continue;
      }
      element[key] = { ...value, negated: option.negated };
    }
    const filled = elements.filter((e, i) => i === 0 || Object.keys(e).length > 0) as PolicyElement[];
    const list = filled.length === 1 && Object.keys(filled[0]!).length === 0 ? [] : filled;
    if (strict === false && list.length > 1) ctx.report('iptables/missing-option', base.at, 'Module policy --next', '--strict');
    return {
      kind: 'policy',
      ...base,
      dir: (dir?.value ?? null) as PolicyMatch['dir'],
      pol: (pol?.value ?? null) as PolicyMatch['pol'],
      strict,
      elements: list,
      unread: r.finish(),
    };
  },
  // policy4_save: --dir, --pol, --strict, then each element (reqid, spi, proto, mode, tunnel-dst, tunnel-src) with --next between.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.dir) out.push(opt('--dir', m.dir));
    if (m.pol) out.push(opt('--pol', m.pol));
    if (m.strict) out.push(opt('--strict'));
    m.elements.forEach((e, i) => {
      if (i > 0) out.push(opt('--next'));
      if (e.reqid) out.push(negOpt(e.reqid.negated, '--reqid', e.reqid.value));
      if (e.spi) out.push(negOpt(e.spi.negated, '--spi', `0x${e.spi.value.toString(16)}`));
      if (e.proto) out.push(negOpt(e.proto.negated, '--proto', e.proto.protocol));
      if (e.mode) out.push(negOpt(e.mode.negated, '--mode', e.mode.mode));
      if (e.tunnelDst) out.push(negOpt(e.tunnelDst.negated, '--tunnel-dst', formatCidrNtop(e.tunnelDst.cidr)));
      if (e.tunnelSrc) out.push(negOpt(e.tunnelSrc.negated, '--tunnel-src', formatCidrNtop(e.tunnelSrc.cidr)));
    });
    return out;
  },
};
