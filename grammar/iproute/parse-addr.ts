/**
 * Non-throwing entry point for `ip addr` / `ip link` output in any of its forms: plain, `-d`,
 * `-o`, `-br` and `-j`. Lines are parsed one at a time; a line that does not parse gives one
 * located error and the next line is read as if nothing happened. The lines of one interface
 * (plain form) or the records that name it (`-o`) are gathered into one {@link InterfaceSyntax}.
 */
import { diagnose, type Diagnostic } from '../diagnostics.js';
import type { SourceRef, SourceText } from '../source.js';
import { IpAddrParser, type AddrLine, type AddrSegment, type AddressClause } from './addr-parser.js';
import { parseIpAddrJson } from './addr-json.js';
import { errorSite, failedRule } from './line-parser.js';
import { lexLines, type ParseRange } from './lines.js';
import { isPromptLine, jsonStart, promptLine } from './preamble.js';
import type {
  AttributeSyntax,
  DetailSyntax,
  InterfaceSyntax,
  IpAddrSyntax,
  IpOutputVariant,
  LinkLayerSyntax,
  WordSyntax,
} from './syntax.js';
import { iprouteLexer, Newline } from './tokens.js';

let parser: IpAddrParser | undefined;

/** What each rule expects, for "expected … but found …". */
const expectations: Record<string, string> = {
  line: 'an interface line ("2: eth0: <…> mtu …"), an indented address or link line, or a brief line ("eth0  UP  10.0.0.3/24")',
  indexed: 'an interface line "N: name: <FLAGS> mtu …" or an `ip -o addr` line "N: name inet …"',
  headerAttributes: 'interface attributes (mtu, qdisc, state, …)',
  brief: 'an `ip -br` line "name STATE address…"',
  continuation: 'an address, link or detail line',
  segment: 'an address (inet/inet6), link/…, valid_lft, altname or detail line',
  tail: 'a "\\" separated part',
  address: 'an address after inet/inet6, then brd/scope/peer/flags',
  lifetime: '"valid_lft … preferred_lft …"',
  linkLayer: 'a link-layer address',
  altname: 'an alternative name',
  detail: 'detail words',
};

interface AddressDraft {
  family: 'inet' | 'inet6' | null;
  local: WordSyntax;
  peer: WordSyntax | null;
  attributes: readonly AttributeSyntax[];
  flags: readonly WordSyntax[];
  label: WordSyntax | null;
  validLifetime: WordSyntax | null;
  preferredLifetime: WordSyntax | null;
  at: SourceRef;
}

interface InterfaceDraft {
  index: WordSyntax | null;
  name: WordSyntax;
  link: WordSyntax | null;
  flags: readonly WordSyntax[] | null;
  attributes: AttributeSyntax[];
  linkLayer: LinkLayerSyntax | null;
  details: DetailSyntax[];
  altnames: WordSyntax[];
  addresses: AddressDraft[];
  variant: IpOutputVariant;
  /** True once a first line (`N: name: <…>`) was read for it: a second one is a duplicate. */
  hasHeader: boolean;
  at: SourceRef;
}

/** Splits `eth0@if5:` into name and link (iproute2 prints `name@link` when the link differs). */
function splitName(word: WordSyntax): { name: WordSyntax; link: WordSyntax | null } {
  const text = word.text.endsWith(':') ? word.text.slice(0, -1) : word.text;
  const at = text.lastIndexOf('@');
  if (at <= 0) return { name: { text, start: word.start, end: word.start + text.length }, link: null };
  return {
    name: { text: text.slice(0, at), start: word.start, end: word.start + at },
    link: { text: text.slice(at + 1), start: word.start + at + 1, end: word.start + text.length },
  };
}

/**
 * The label is the last word of an `inet` line when it starts with the interface's name:
 * iproute2 prints IFA_LABEL last, and `ip addr add … label L` requires L to start with the
 * device name (ip/ipaddress.c ipaddr_modify). IPv6 addresses have no label.
 */
function toAddress(clause: AddressClause, ifname: string): AddressDraft {
  const last = clause.words[clause.words.length - 1];
  const hasLabel = clause.family === 'inet' && last !== undefined && last.text.startsWith(ifname);
  return {
    family: clause.family,
    local: clause.local,
    peer: clause.peer,
    attributes: clause.attributes,
    flags: hasLabel ? clause.words.slice(0, -1) : clause.words,
    label: hasLabel ? (last ?? null) : null,
    validLifetime: null,
    preferredLifetime: null,
    at: clause.at,
  };
}

function freeze(draft: InterfaceDraft): InterfaceSyntax {
  return {
    index: draft.index,
    name: draft.name,
    link: draft.link,
    flags: draft.flags,
    attributes: draft.attributes,
    linkLayer: draft.linkLayer,
    details: draft.details,
    altnames: draft.altnames,
    addresses: draft.addresses.map((a) => ({ ...a })),
    variant: draft.variant,
    at: draft.at,
  };
}

export function parseIpAddrText(source: SourceText, range: ParseRange = {}): IpAddrSyntax {
  const lexed = lexLines(iprouteLexer, Newline, source, range);
  const diagnostics: Diagnostic[] = [];
  const json = jsonStart(lexed);
  if (json !== null) {
    for (const line of lexed.lines) {
      if (line.start >= json) break;
      if (isPromptLine(line)) diagnostics.push(promptLine(source, line, lexed.base).diagnostic);
    }
    return parseIpAddrJson(source, { start: json, end: range.end ?? source.text.length }, diagnostics);
  }

  parser ??= new IpAddrParser();
  const p = parser;
  const drafts: InterfaceDraft[] = [];
  const byName = new Map<string, InterfaceDraft>();
  const variants: IpOutputVariant[] = [];
  let current: InterfaceDraft | null = null;
  let command = 'ip addr';

  const seeVariant = (variant: IpOutputVariant): void => {
    if (!variants.includes(variant)) variants.push(variant);
  };
  const lineRef = (start: number, end: number): SourceRef => ({ source, start, end });

  const intern = (
    index: WordSyntax | null,
    name: WordSyntax,
    link: WordSyntax | null,
    variant: IpOutputVariant,
    at: SourceRef,
    header: boolean,
  ): InterfaceDraft => {
    const known = byName.get(name.text);
    if (known && (!header || !known.hasHeader)) {
      known.hasHeader ||= header;
      return known;
    }
    if (known) diagnostics.push(diagnose('iproute/duplicate-interface', at, name.text));
    const draft: InterfaceDraft = {
      index, name, link, flags: null, attributes: [], linkLayer: null, details: [], altnames: [], addresses: [], variant, hasHeader: header, at,
    };
    drafts.push(draft);
    byName.set(name.text, draft);
    return draft;
  };

  const applySegments = (target: InterfaceDraft | null, segments: readonly AddrSegment[], lineAt: SourceRef): void => {
    for (const segment of segments) {
      if (!target) {
        diagnostics.push(diagnose('iproute/orphan-line', lineAt, segmentName(segment)));
        return;
      }
      switch (segment.kind) {
        case 'address':
          target.addresses.push(toAddress(segment.address, target.name.text));
          break;
        case 'lifetime': {
          const last = target.addresses[target.addresses.length - 1];
          if (!last) diagnostics.push(diagnose('iproute/orphan-lifetime', segment.at));
          else {
            last.validLifetime = segment.valid;
            last.preferredLifetime = segment.preferred;
          }
          break;
        }
        case 'link':
          target.linkLayer = segment.link;
          break;
        case 'altname':
          target.altnames.push(segment.name);
          break;
        case 'detail':
          target.details.push(segment.detail);
          break;
      }
    }
  };

  for (const line of lexed.lines) {
    const at = lineRef(line.start, line.end);
    const error = line.errors[0];
    if (error) {
      diagnostics.push(diagnose('iproute/unexpected-character', { source, start: error.offset, end: error.offset + error.length }, source.text.slice(error.offset, error.offset + Math.min(error.length, 20))));
      continue;
    }
    if (isPromptLine(line)) {
      const prompt = promptLine(source, line, lexed.base);
      diagnostics.push(prompt.diagnostic);
      if (prompt.command) command = prompt.command;
      continue;
    }
    p.setLine(source, lexed.base, line.start, line.end, line.tokens);
    const parsed: AddrLine = p.line();
    const failure = p.errors[0];
    if (failure) {
      const site = errorSite(source, failure, lexed.base, line.end);
      diagnostics.push(diagnose('iproute/syntax', site.at, command, expectations[failedRule(failure, 'line')] ?? 'an `ip addr` line', site.found));
      continue;
    }
    switch (parsed.kind) {
      case 'header': {
        const { name, link } = splitName(parsed.nameWord);
        const variant: IpOutputVariant = parsed.tail.length > 0 || line.tokens.some((t) => t.image === '\\') ? 'oneline' : 'plain';
        seeVariant(variant);
        const draft = intern(parsed.index, name, link, variant, at, true);
        draft.index ??= parsed.index;
        draft.link ??= link;
        draft.flags = parsed.flags;
        draft.attributes.push(...parsed.attributes);
        applySegments(draft, parsed.tail, at);
        current = draft;
        break;
      }
      case 'oneline': {
        seeVariant('oneline');
        const { name, link } = splitName(parsed.name);
        const draft = intern(parsed.index, name, link, 'oneline', at, false);
        draft.addresses.push(toAddress(parsed.address, draft.name.text));
        applySegments(draft, parsed.tail, at);
        current = draft;
        break;
      }
      case 'brief': {
        seeVariant('brief');
        const { name, link } = splitName(parsed.name);
        const draft = intern(null, name, link, 'brief', at, true);
        draft.attributes.push({ name: 'state', values: [parsed.state], known: true, start: parsed.state.start, end: parsed.state.end });
        if (parsed.flags) draft.flags = parsed.flags;
        for (const word of parsed.words) {
          // `ip -br addr` lists addresses; `ip -br link` the link-layer address (ip/ipaddress.c print_linkinfo_brief).
          if (word.text.includes('/')) {
            draft.addresses.push({
              family: null, local: word, peer: null, attributes: [], flags: [], label: null,
              validLifetime: null, preferredLifetime: null, at: { source, start: word.start, end: word.end },
            });
          } else {
            draft.linkLayer ??= { type: { text: 'unknown', start: word.start, end: word.start }, address: word, broadcast: null, rest: [], at: { source, start: word.start, end: word.end } };
          }
        }
        current = null;
        break;
      }
      case 'continuation':
        applySegments(current, parsed.segments, at);
        break;
    }
  }
  if (variants.length > 1) {
    diagnostics.push(diagnose('iproute/mixed-variants', null, variants.join(', ')));
  }
  return { source, interfaces: drafts.map(freeze), variants, diagnostics };
}

function segmentName(segment: AddrSegment): string {
  switch (segment.kind) {
    case 'address':
      return `An \`${segment.address.family}\` address line`;
    case 'lifetime':
      return 'A `valid_lft` line';
    case 'link':
      return 'A `link/…` line';
    case 'altname':
      return 'An `altname` line';
    case 'detail':
      return 'A detail line';
  }
}
