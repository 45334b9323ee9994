/**
 * From ipset syntax to sets: applies `create`/`add`/`del`/`flush`/`destroy`/`rename`/`swap` in
 * order, as `ipset restore` would, and takes each `ipset list` block as a whole set. Every member
 * or option that cannot be read gives one located diagnostic; the rest of the set is kept.
 *
 * `buildIpsets` keeps its state (the sets as built so far, the diagnostics) in closures over one
 * call: statements change sets in order, like one restore session, and nothing outlives the call.
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { IpsetStatementSyntax, IpsetSyntax, ListFieldSyntax, ListingSyntax, WordSyntax } from '../../../grammar/ipset/syntax.js';
import type { SourceRef, Span } from '../../../grammar/source.js';
import { dimensionKey, setTypeOf } from './dimensions.js';
import { readMember } from './members.js';
import { readFamily, readSetOptions, type DiagnosticSink } from './options.js';
import type { IpSet, IpSetFamily, IpSetListing, IpSetMember, IpSetOptions, IpSetType } from './types.js';

export interface IpsetModel {
  /** In the order they were created (the order ipset save prints them). */
  readonly sets: readonly IpSet[];
  readonly diagnostics: readonly Diagnostic[];
}

/** A set while statements still change it. */
interface SetUnderConstruction {
  name: string;
  readonly type: IpSetType;
  readonly typeText: string;
  readonly family: IpSetFamily;
  readonly options: IpSetOptions;
  members: IpSetMember[];
  /** {@link memberKey} of every member, to find repeats and `del` targets. */
  readonly keys: Set<string>;
  readonly membersKnown: boolean;
  readonly form: 'save' | 'list';
  readonly listing: IpSetListing | null;
  readonly at: SourceRef;
}

/** Equal for two members the kernel takes for the same element (what `del` and repeats go by). */
function memberKey(m: IpSetMember): string {
  return m.dims.length > 0 ? m.dims.map(dimensionKey).join(',') : m.text;
}

export function buildIpsets(syntax: IpsetSyntax): IpsetModel {
  const { source } = syntax;
  const diagnostics: Diagnostic[] = [];
  const sets = new Map<string, SetUnderConstruction>();
  const refOf = (span: Span): SourceRef => ({ source, start: span.start, end: span.end });
  const sink: DiagnosticSink = { report: (d) => diagnostics.push(d), ref: refOf };

  /**
   * Records a member's key; false when the set already holds that element. ipset refuses such an
   * add ("it's already added") unless `-exist`, which makes the kernel overwrite the element's
   * flags and extensions: then the new member replaces the old one in place. (A range overlapping
   * earlier members is not detected: the kernel would refuse it at the first address it holds.)
   */
  const isNew = (set: SetUnderConstruction, member: IpSetMember, exist: boolean): boolean => {
    const key = memberKey(member);
    if (!set.keys.has(key)) {
      set.keys.add(key);
      return true;
    }
    if (exist) {
      set.members[set.members.findIndex((m) => memberKey(m) === key)] = member;
    } else {
      diagnostics.push(diagnose('ipset/duplicate-member', member.at, member.text, set.name));
    }
    return false;
  };

  const numberField = (label: string, field: ListFieldSyntax | null): number | undefined => {
    if (!field) return undefined;
    const v = field.value.text;
    if (!/^\d{1,15}$/.test(v)) {
      diagnostics.push(diagnose('ipset/bad-value', refOf(field.value), label, v, 'a number'));
      return undefined;
    }
    return Number(v);
  };

  const define = (set: SetUnderConstruction): void => {
    if (sets.has(set.name)) {
      diagnostics.push(diagnose('ipset/duplicate-set', set.at, set.name));
      sets.delete(set.name);
    }
    sets.set(set.name, set);
  };

  const readListing = (s: ListingSyntax): void => {
    const name = s.name.text;
    if (!s.type) {
      diagnostics.push(diagnose('ipset/missing-type', s.at, name));
      return;
    }
    const typeText = s.type.value.text;
    const type = setTypeOf(typeText);
    if (type === 'unknown') diagnostics.push(diagnose('ipset/unknown-type', refOf(s.type.value), typeText, name));
    const headerOptions = s.header?.options ?? [];
    const family = readFamily(type, headerOptions, sink);
    const revision = numberField('Revision:', s.revision);
    const sizeInMemory = numberField('Size in memory:', s.sizeInMemory);
    const references = numberField('References:', s.references);
    const entries = numberField('Number of entries:', s.entries);
    const listing: IpSetListing = {
      ...(revision !== undefined ? { revision } : {}),
      ...(sizeInMemory !== undefined ? { sizeInMemory } : {}),
      ...(references !== undefined ? { references } : {}),
      ...(entries !== undefined ? { entries } : {}),
    };
    const set: SetUnderConstruction = {
      name,
      type,
      typeText,
      family,
      options: readSetOptions(type, family, headerOptions, sink),
      members: [],
      keys: new Set(),
      membersKnown: s.members !== null,
      form: 'list',
      listing,
      at: s.at,
    };
    if (s.members === null) {
      diagnostics.push(diagnose('ipset/members-not-listed', s.at, name));
    } else {
      for (const line of s.members) {
        const read = readMember(set, line.element, line.options, line.at, 'list', sink);
        if (read && isNew(set, read.member, false)) set.members.push(read.member);
      }
      if (entries !== undefined && entries !== s.members.length) {
        diagnostics.push(diagnose('ipset/entries-mismatch', s.entries ? refOf(s.entries.value) : s.at, name, entries, s.members.length));
      }
    }
    define(set);
  };

  const lookup = (command: string, word: WordSyntax, at: SourceRef): SetUnderConstruction | null => {
    const set = sets.get(word.text);
    if (!set) diagnostics.push(diagnose('ipset/unknown-set', at, command, word.text));
    return set ?? null;
  };

  const apply = (s: IpsetStatementSyntax): void => {
    switch (s.kind) {
      case 'comment':
      case 'prompt':
      case 'commit':
        return;
      case 'listing':
        readListing(s);
        return;
      case 'create': {
        const typeText = s.type.text;
        const type = setTypeOf(typeText);
        if (type === 'unknown') diagnostics.push(diagnose('ipset/unknown-type', refOf(s.type), typeText, s.name.text));
        const family = readFamily(type, s.options, sink);
        define({
          name: s.name.text,
          type,
          typeText,
          family,
          options: readSetOptions(type, family, s.options, sink),
          members: [],
          keys: new Set(),
          membersKnown: true,
          form: 'save',
          listing: null,
          at: s.at,
        });
        return;
      }
      case 'add': {
        const set = lookup('add', s.name, s.at);
        if (!set) return;
        const read = readMember(set, s.element, s.options, s.at, 'add', sink);
        if (!read || !isNew(set, read.member, s.options.some((o) => o.name === '-exist' || o.name === '-!'))) return;
        const anchor = read.placement ? set.members.findIndex((m) => m.dims[0]?.kind === 'set' && m.dims[0].name === read.placement!.name) : -1;
        if (read.placement && anchor < 0) {
          diagnostics.push(diagnose('ipset/not-a-member', s.at, read.placement.name, set.name));
          set.members.push(read.member);
        } else if (read.placement) {
          set.members.splice(read.placement.where === 'before' ? anchor : anchor + 1, 0, read.member);
        } else {
          set.members.push(read.member);
        }
        return;
      }
      case 'del': {
        const set = lookup('del', s.name, s.at);
        if (!set) return;
        const read = readMember(set, s.element, s.options, s.at, 'del', sink);
        if (!read) return;
        const key = memberKey(read.member);
        if (!set.keys.has(key)) {
          diagnostics.push(diagnose('ipset/not-a-member', refOf(s.element), s.element.text, set.name));
          return;
        }
        set.keys.delete(key);
        set.members.splice(
          set.members.findIndex((m) => memberKey(m) === key),
          1,
        );
        return;
      }
      case 'flush':
      case 'destroy': {
        const targets = s.name ? [lookup(s.kind, s.name, s.at)] : [...sets.values()];
        for (const set of targets) {
          if (!set) continue;
          if (s.kind === 'flush') {
            set.members = [];
            set.keys.clear();
          }
          else sets.delete(set.name);
        }
        return;
      }
      case 'rename': {
        const set = lookup('rename', s.from, s.at);
        if (!set) return;
        if (sets.has(s.to.text)) {
          diagnostics.push(diagnose('ipset/set-exists', s.at, 'rename', s.to.text));
          return;
        }
        sets.delete(set.name);
        set.name = s.to.text;
        sets.set(set.name, set);
        return;
      }
      case 'swap': {
        // ip_set_swap exchanges the two sets' contents under their names.
        const a = lookup('swap', s.from, s.at);
        const b = lookup('swap', s.to, s.at);
        if (!a || !b) return;
        a.name = s.to.text;
        b.name = s.from.text;
        sets.set(a.name, a);
        sets.set(b.name, b);
        return;
      }
    }
  };

  for (const statement of syntax.statements) apply(statement);

  const result: IpSet[] = [...sets.values()].map((s) => ({
    name: s.name,
    type: s.type,
    typeText: s.typeText,
    family: s.family,
    options: s.options,
    members: s.members,
    membersKnown: s.membersKnown,
    form: s.form,
    listing: s.listing,
    at: s.at,
    source: s.at.source,
  }));

  // list:set members must be sets, and not list:sets (ip_set_list_set.c list_set_uadt: IPSET_ERR_LOOP).
  const byName = new Map(result.map((s) => [s.name, s]));
  for (const set of result) {
    if (set.type !== 'list:set') continue;
    for (const m of set.members) {
      const dim = m.dims[0];
      if (dim?.kind !== 'set') continue;
      const target = byName.get(dim.name);
      if (!target) diagnostics.push(diagnose('ipset/list-member-missing', m.at, set.name, dim.name));
      else if (target.type === 'list:set') diagnostics.push(diagnose('ipset/list-of-list', m.at, set.name, dim.name));
    }
  }
  return { sets: result, diagnostics };
}

