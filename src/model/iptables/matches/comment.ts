/** `-m comment --comment TEXT` (iptables-extensions(8) "comment"): no effect on packets. */
import type { MatchModule } from './module.js';
import { opt, saveString } from './module.js';
import { OptionReader, valueDef } from './read.js';

const options = [valueDef(['--comment'])];

export const commentModule: MatchModule<'comment'> = {
  kind: 'comment',
  name: 'comment',
  options,
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module comment', options);
    const option = r.take('--comment');
    if (!r.has('--comment')) ctx.report('iptables/missing-option', base.at, 'Module comment', '--comment');
    const comment = option ? r.text(option) : '';
    return { kind: 'comment', ...base, comment, unread: r.finish() };
  },
  // libxt_comment.c comment_save: xtables_save_string.
  print: (m) => [opt('--comment', saveString(m.comment))],
};
