/** `-m ttl` (IPv4, libipt_ttl.c) and `-m hl` (IPv6, libip6t_hl.c): compare the TTL / hop limit. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { OptionReader, valueDef } from './read.js';
import { checkFamily } from './check.js';
import { parseUnsigned } from '../../values/range.js';
import type { TtlMatch } from './types.js';

export function ttlLikeModule<K extends 'ttl' | 'hl'>(kind: K): MatchModule<K> {
  const family = kind === 'ttl' ? 'ipv4' : 'ipv6';
  // Only the -eq form takes "!" (it then means "not equal").
  const options = [valueDef([`--${kind}-eq`], true), valueDef([`--${kind}-lt`]), valueDef([`--${kind}-gt`])];
  return {
    kind,
    name: kind,
    options,
    families: [family],
    build(base, ctx) {
      checkFamily(`Module ${kind}`, [family], ctx, base.at);
      const r = new OptionReader(base.options, ctx, `module ${kind}`, options);
      let op: TtlMatch['op'] = null;
      let value = 0;
      let negated = false;
      for (const o of ['eq', 'lt', 'gt'] as const) {
        const read = r.value(`--${kind}-${o}`, (t) => parseUnsigned(t, 255), 'a value between 0 and 255');
        if (!read) continue;
        if (op) r.conflict(read.option, `--${kind}-${op}`);
        else {
          op = o;
          value = read.value;
          negated = read.negated;
        }
      }
      if (!op && base.options.length === 0) ctx.report('iptables/missing-option', base.at, `Module ${kind}`, `--${kind}-eq, --${kind}-lt or --${kind}-gt`);
      const k: 'ttl' | 'hl' = kind;
      return { kind: k, ...base, op, value, negated, unread: r.finish() };
    },
    // ttl_save / hl_save: [!] --ttl-eq N | --ttl-lt N | --ttl-gt N.
    print: (m) => (m.op ? [negOpt(m.negated, `--${kind}-${m.op}`, m.value)] : []),
  };
}

export const ttlModule = ttlLikeModule('ttl');
