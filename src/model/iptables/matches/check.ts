/** Checks that several specs share: the family a module exists in, the tables a target is valid in. */
import type { Span } from '../../../../grammar/source.js';
import type { Family } from '../../values/address.js';
import type { BuildContext } from '../spec.js';
import type { TableName } from '../types.js';

/** Reports a module or target used in the other family (ip6tables has no `icmp`, iptables no `rt`). */
export function checkFamily(what: string, families: readonly Family[] | undefined, ctx: BuildContext, at: Span): void {
  if (families && !families.includes(ctx.family)) ctx.report('iptables/wrong-family', at, what, families.join(' and '));
}

/**
 * Reports a match or target used outside the tables its kernel module registers for
 * (net/netfilter/x_tables.c xt_check_match/xt_check_target: "only valid in … table").
 * `what` is "Target DNAT" or "Module rpfilter".
 */
export function checkTable(what: string, tables: readonly TableName[] | undefined, ctx: BuildContext, at: Span): void {
  if (tables && !tables.includes(ctx.table)) ctx.report('iptables/wrong-table', at, what, tables.join(' or '), ctx.table);
}
