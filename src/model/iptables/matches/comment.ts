/** `-m comment --comment TEXT` (iptables-extensions(8) "comment"): no effect on packets. */
import type { MatchSpec } from '../spec.js';

export const commentSpec: MatchSpec = {
  name: 'comment',
  options: [{ names: ['--comment'] }],
  build(base, ctx) {
    const texts: string[] = [];
    for (const option of base.options) {
      const value = option.values[0];
      if (!value) ctx.report('iptables/missing-value', option, option.name, 'a text');
      else texts.push(value.text);
    }
    return { kind: 'comment', ...base, comment: texts.join(' ') };
  },
};
