/**
 * From the ipvsadm syntax tree to the IPVS table: listing lines and restore commands are applied
 * in source order to one table (`ipvsadm -Ln` output describes it, `ipvsadm -Sn` output rebuilds
 * it), and what cannot be read or applied is reported where it was written.
 */
import type { Diagnostic } from '../../../grammar/diagnostics.js';
import type { IpvsadmSyntax } from '../../../grammar/ipvsadm/syntax.js';
import { newListingState, readBanner, readServerLine, readServiceLine, readTimeoutLine, startListing } from './listing.js';
import { applyCommandLine } from './restore.js';
import { IpvsTableBuilder } from './table.js';
import type { IpvsBuildResult } from './types.js';
import type { ReadContext } from './values.js';

export { findVirtualService, realServerKey, serviceKey, summarizeVirtualService } from './lookup.js';

/** Builds the table; `diagnostics` holds the grammar's and the model's, in source order. */
export function buildIpvs(syntax: IpvsadmSyntax): IpvsBuildResult {
  const own: Diagnostic[] = [];
  const cx: ReadContext = { source: syntax.source, diagnostics: own };
  const table = new IpvsTableBuilder();
  const listing = newListingState();
  for (const line of syntax.lines) {
    switch (line.kind) {
      case 'prompt':
      case 'comment':
      case 'elision':
        break;
      case 'banner':
        readBanner(cx, table, listing, line);
        break;
      case 'timeouts':
        readTimeoutLine(cx, table, line);
        break;
      case 'service-title':
        listing.serviceColumns = line.columns;
        startListing(listing);
        break;
      case 'server-title':
        listing.serverColumns = line.columns;
        break;
      case 'service':
        readServiceLine(cx, table, listing, line);
        break;
      case 'server':
        readServerLine(cx, table, listing, line);
        break;
      case 'command':
        // A command ends any listing: real server lines after it belong to no service line.
        listing.current = null;
        applyCommandLine(cx, table, line);
        break;
    }
  }
  // Grammar and model diagnostics, in source order (a stable sort keeps each line's own order).
  const diagnostics = [...syntax.diagnostics, ...own].sort((a, b) => (a.at?.start ?? -1) - (b.at?.start ?? -1));
  return { table: table.build(), diagnostics };
}
