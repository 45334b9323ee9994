/** The iproute model: interfaces and addresses, routes, rules, and the node's own addresses. */
export * from './types.js';
export { buildInterfaces } from './interfaces.js';
export { buildRoutes, type BuildRoutesOptions } from './routes.js';
export { buildIpRules, type BuildIpRulesOptions } from './rules.js';
export { localAddresses } from './local.js';
export { parseHostPrefix, parseScope, parseTable } from './values.js';
