/** The sysctl model: settings by canonical key and typed accessors that mirror the kernel's rules. */
export * from './types.js';
export { buildSysctls, canonicalKey } from './build.js';
export { acceptLocal, bridgeNfCallIptables, confKey, ipForward, routeLocalnet, rpFilter, vsConntrack } from './accessors.js';
