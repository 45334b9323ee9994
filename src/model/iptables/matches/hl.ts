/** `-m hl`, libip6t_hl.c: the IPv6 hop limit; read as `-m ttl` is (ttl.ts). */
import { ttlLikeModule } from './ttl.js';

export const hlModule = ttlLikeModule('hl');
