/**
 * What an `iptables -L` listing loses compared with iptables-save, and the command to run
 * instead. The wording is the catalogue's (`iptables-listing/loss-*`).
 */
import { diagnose } from '../../../grammar/diagnostics.js';
import type { MessageArgs, MessageCode } from '../../../grammar/messages/index.js';
import type { IptablesListing } from './types.js';

function say<C extends MessageCode>(code: C, ...args: MessageArgs<C>): string {
  return diagnose(code, null, ...args).message;
}

/** The command that prints the whole ruleset of the listing's family (both when unknown). */
export function instead(listing: IptablesListing): string {
  const save = listing.family === 'ipv6' ? 'ip6tables-save' : listing.family === 'ipv4' ? 'iptables-save' : 'iptables-save` and `ip6tables-save';
  // iptables-nft warns when legacy tables hold rules too: those need the legacy tool.
  return listing.legacyTablesPresent ? `${save}\` and \`${save.replace(/tables-save/g, 'tables-legacy-save')}` : save;
}

/** Words of the listing that show names were resolved (no -n). */
function resolvedExamples(listing: IptablesListing): string[] {
  const examples = new Set<string>();
  for (const chain of listing.chains) {
    for (const row of chain.rows) {
      for (const column of [row.source.text, row.destination.text]) {
        if (examples.size < 3 && !/^[0-9a-fA-F.:/]+$/.test(column)) examples.add(column);
      }
      const port = /\b[ds]pts?:([a-z][\w-]*)/.exec(row.details);
      if (port?.[1] && examples.size < 3) examples.add(`dpt:${port[1]}`);
    }
  }
  return [...examples];
}

/**
 * Each thing the listing cannot tell that iptables-save would, one sentence each, ending with
 * what to run instead.
 */
export function listingLosses(listing: IptablesListing): string[] {
  const losses: string[] = [say('iptables-listing/loss-matches'), say('iptables-listing/loss-targets'), say('iptables-listing/loss-negations')];
  if (!listing.flags.verbose) losses.push(say('iptables-listing/loss-interfaces'));
  if (listing.flags.numeric === false) {
    const examples = resolvedExamples(listing);
    losses.push(say('iptables-listing/loss-names', examples.length > 0 ? examples.map((e) => `\`${e}\``).join(', ') : '`anywhere`'));
  }
  if (listing.flags.verbose && listing.flags.exact !== true) losses.push(say('iptables-listing/loss-counters'));
  if (listing.chains.some((c) => c.rows.some((r) => r.comments.length > 0))) losses.push(say('iptables-listing/loss-comments'));
  losses.push(say('iptables-listing/loss-tables', listing.table ? `the ${listing.table} table` : 'one table'));
  const onlyChain = listing.listedChain ?? (listing.chains.length === 1 && listing.chains[0]!.policy === null ? listing.chains[0]!.name : null);
  if (onlyChain) losses.push(say('iptables-listing/loss-chains', `chain ${onlyChain}`));
  if (listing.family === 'ipv4') losses.push(say('iptables-listing/loss-family', 'IPv4', 'IPv6'));
  if (listing.family === 'ipv6') losses.push(say('iptables-listing/loss-family', 'IPv6', 'IPv4'));
  const blank = listing.chains.reduce((n, c) => n + c.rows.filter((r) => r.target === null).length, 0);
  if (blank > 0) losses.push(say('iptables-listing/loss-blank-targets', blank));
  losses.push(say('iptables-listing/run-instead', instead(listing)));
  return losses;
}
