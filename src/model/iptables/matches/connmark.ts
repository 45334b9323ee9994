/** `-m connmark`, libxt_connmark.c: the connection's mark; read as `-m mark` is (mark.ts). */
import { markLikeModule } from './mark.js';

export const connmarkModule = markLikeModule('connmark');
