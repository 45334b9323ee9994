/** `-m devgroup`, libxt_devgroup.c: the device group of the in/out interface, value[/mask]. */
import type { MatchModule } from './module.js';
import { negOpt, type PrintedOption } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { formatMark, parseMark } from '../../values/mark.js';
import type { Masked, Negatable } from './types.js';

const options = [valueDef(['--src-group'], true), valueDef(['--dst-group'], true)];

/** /etc/iproute2/group always names group 0 "default". */
function parseGroup(text: string): Masked | null {
  if (text === 'default') return { value: 0, mask: 0xffffffff };
  return parseMark(text);
}

function groupText(group: Masked): string {
  return group.value === 0 && group.mask === 0xffffffff ? 'default' : formatMark(group);
}

export const devgroupModule: MatchModule<'devgroup'> = {
  kind: 'devgroup',
  name: 'devgroup',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module devgroup', options);
    const src = r.value('--src-group', parseGroup, 'a group number[/mask]');
    const dst = r.value('--dst-group', parseGroup, 'a group number[/mask]');
    const field = (v: typeof src): Negatable<Masked> | undefined => v && { ...v.value, negated: v.negated };
    const srcField = field(src);
    const dstField = field(dst);
    return { kind: 'devgroup', ...base, ...(srcField && { src: srcField }), ...(dstField && { dst: dstField }), unread: r.finish() };
  },
  // devgroup_save: --src-group, --dst-group as 0xV[/0xM] (mask omitted when all ones), or the
  // group's name from /etc/iproute2/group — only "default" (0) is the same on every node.
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.src) out.push(negOpt(m.src.negated, '--src-group', groupText(m.src)));
    if (m.dst) out.push(negOpt(m.dst.negated, '--dst-group', groupText(m.dst)));
    return out;
  },
};
