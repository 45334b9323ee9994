/**
 * A target catalogue entry: the rule builder's {@link TargetSpec} plus `print`, which writes a
 * typed target back as the options iptables-save prints (the target's `save` in libxt_*.c).
 */
import type { TargetSpec } from '../spec.js';
import type { PrintContext, PrintedOption } from '../matches/module.js';
import type { TargetOfKind, TypedTargetKind } from './types.js';

export interface TargetModule<K extends TypedTargetKind> extends TargetSpec {
  readonly kind: K;
  readonly print: (target: TargetOfKind<K>, ctx: PrintContext) => readonly PrintedOption[];
}
