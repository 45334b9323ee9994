/** `iptables -L` listings: recognised, modelled as far as they go, and what they lose. */
export * from './types.js';
export { buildIptablesListing } from './build.js';
export { instead, listingLosses } from './losses.js';
