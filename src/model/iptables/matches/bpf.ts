/** `-m bpf` (revision 1), libxt_bpf.c: a classic BPF program (`--bytecode`) or a pinned eBPF object. */
import type { MatchModule } from './module.js';
import { opt, quoted } from './module.js';
import { OptionReader, valueDef } from './read.js';
import type { BpfInstruction } from './types.js';

const options = [valueDef(['--bytecode']), valueDef(['--object-pinned'])];

/** XT_BPF_MAX_NUM_INSTR */
const MAX_INSTRUCTIONS = 64;

/** bpf_parse_string: `N,code jt jf k,…` with exactly N instructions. */
export function parseBytecode(text: string): BpfInstruction[] | null {
  const parts = text.split(',');
  const count = /^\s*(\d+)\s*$/.exec(parts[0] ?? '');
  if (!count) return null;
  const n = Number(count[1]);
  if (n === 0 || n > MAX_INSTRUCTIONS || parts.length - 1 !== n) return null;
  const program: BpfInstruction[] = [];
  for (const part of parts.slice(1)) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(part);
    if (!m) return null;
    const [code, jt, jf, k] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
    if (code > 0xffff || jt > 0xff || jf > 0xff || k > 0xffffffff) return null;
    program.push({ code, jt, jf, k });
  }
  return program;
}

export const bpfModule: MatchModule<'bpf'> = {
  kind: 'bpf',
  name: 'bpf',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module bpf', options);
    const bytecode = r.value('--bytecode', parseBytecode, `"N,code jt jf k,…" with N (1-${MAX_INSTRUCTIONS}) instructions`);
    let pinned = r.value('--object-pinned', (t) => (t.length > 0 ? t : null), 'a path');
    if (bytecode && pinned) {
      r.conflict(pinned.option, '--bytecode');
      pinned = undefined;
    }
    if (!r.has('--bytecode') && !r.has('--object-pinned')) ctx.report('iptables/missing-option', base.at, 'Module bpf', '--bytecode or --object-pinned');
    return {
      kind: 'bpf',
      ...base,
      ...(bytecode && { bytecode: bytecode.value }),
      ...(pinned && { objectPinned: pinned.value }),
      unread: r.finish(),
    };
  },
  // bpf_save_v1: --bytecode "N,c t f k,…" | --object-pinned PATH.
  print: (m) => {
    if (m.bytecode) {
      const text = [String(m.bytecode.length), ...m.bytecode.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k}`)].join(',');
      return [opt('--bytecode', quoted(text))];
    }
    return m.objectPinned !== undefined ? [opt('--object-pinned', m.objectPinned)] : [];
  },
};
