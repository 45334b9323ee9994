/** `-m cgroup` (revision 2), libxt_cgroup.c: the socket's cgroup2 path or net_cls class id. */
import type { MatchModule } from './module.js';
import { negOpt, type PrintedOption } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { parseUnsigned } from '../../values/range.js';

const options = [valueDef(['--path'], true), valueDef(['--cgroup'], true)];

export const cgroupModule: MatchModule<'cgroup'> = {
  kind: 'cgroup',
  name: 'cgroup',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module cgroup', options);
    const path = r.value('--path', (t) => (t.length > 0 && t.length < 4096 ? t : null), 'a cgroup2 path');
    let classid = r.value('--cgroup', (t) => parseUnsigned(t), 'a net_cls class id');
    if (path && classid) {
      r.conflict(classid.option, '--path');
      classid = undefined;
    }
    if (!r.has('--path') && !r.has('--cgroup')) ctx.report('iptables/missing-option', base.at, 'Module cgroup', '--path or --cgroup');
    return {
      kind: 'cgroup',
      ...base,
      ...(path && { path: { path: path.value, negated: path.negated } }),
      ...(classid && { classid: { value: classid.value, negated: classid.negated } }),
      unread: r.finish(),
    };
  },
  // cgroup_save_v2: [!] --path P, [!] --cgroup N (decimal).
  print: (m) => {
    const out: PrintedOption[] = [];
    if (m.path) out.push(negOpt(m.path.negated, '--path', m.path.path));
    if (m.classid) out.push(negOpt(m.classid.negated, '--cgroup', m.classid.value));
    return out;
  },
};
