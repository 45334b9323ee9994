/** `-m icmp6` (alias `icmpv6`), libip6t_icmp6.c: shares its reading with `icmp.ts`. */
import { ICMPV6_NAMES } from '../../values/icmp.js';
import { icmpLikeModule } from './icmp.js';

export const icmp6Module = icmpLikeModule('icmp6', '--icmpv6-type', ICMPV6_NAMES, 'ipv6', ['icmpv6']);
