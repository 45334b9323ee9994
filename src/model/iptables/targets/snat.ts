/** `-j SNAT`, libxt_NAT.c: read as DNAT is (nat.ts), with `--to-source` and `--random-fully`. */
import { natTarget } from './nat.js';

export const snatTarget = natTarget('SNAT');
