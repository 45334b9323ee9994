/**
 * One member (an `add`/`del` element, or a member line of `ipset list`) to an {@link IpSetMember}:
 * its parts read as the set type's dimensions, its extensions (timeout, counters, comment,
 * skbinfo) and flags (nomatch, wildcard, before/after), refused where ipset or the kernel would
 * refuse the element.
 */
import { diagnose } from '../../../grammar/diagnostics.js';
import type { ElementSyntax, OptionSyntax, WordSyntax } from '../../../grammar/ipset/syntax.js';
import type { SourceRef } from '../../../grammar/source.js';
import { parseMark } from '../values/mark.js';
import { dimensionsOf, readDimension, takesNomatch } from './dimensions.js';
import type { DiagnosticSink } from './options.js';
import type { IpSetFamily, IpSetMember, IpSetOptions, IpSetType, MemberDimension } from './types.js';

/** What reading a member needs to know of its set. */
export interface MemberTarget {
  readonly name: string;
  readonly type: IpSetType;
  readonly family: IpSetFamily;
  readonly options: IpSetOptions;
}

/** Position of a list:set member added with `before NAME` or `after NAME`. */
export interface Placement {
  readonly where: 'before' | 'after';
  readonly name: string;
}

/**
 * Reads one member of `set`; null (with a diagnostic) when ipset or the kernel would refuse the
 * element. `placement` is the list:set `before`/`after` position, null to append.
 */
export function readMember(
  set: MemberTarget,
  element: ElementSyntax,
  options: readonly OptionSyntax[],
  at: SourceRef,
  command: 'add' | 'del' | 'list',
  sink: DiagnosticSink,
): { member: IpSetMember; placement: Placement | null } | null {
  const badMember = (why: string): null => {
    sink.report(diagnose('ipset/bad-member', sink.ref(element), element.text, set.name, why));
    return null;
  };
  let nomatch = false;
  let wildcard = false;
  let placement: Placement | null = null;
  const extra: {
    timeout?: number;
    packets?: bigint;
    bytes?: bigint;
    comment?: string;
    skbmark?: IpSetMember['skbmark'];
    skbprio?: string;
    skbqueue?: number;
  } = {};
  const needs = (extension: 'timeout' | 'counters' | 'comment' | 'skbinfo', o: OptionSyntax): void => {
    const enabled = extension === 'timeout' ? set.options.timeout !== undefined : set.options[extension];
    if (!enabled && set.type !== 'unknown') sink.report(diagnose('ipset/extension-not-enabled', sink.ref(o), extension, set.name));
  };
  for (const o of options) {
    const oat = sink.ref(o);
    const value = o.value?.text;
    if (o.name === '-exist' || o.name === '-!') continue;
    if (!o.known) {
      sink.report(diagnose('ipset/unknown-option', oat, o.name, 'a set member'));
      continue;
    }
    const missing = (expected: string): void => {
      sink.report(diagnose('ipset/missing-value', oat, o.name, expected));
    };
    const bad = (expected: string): void => {
      sink.report(diagnose('ipset/bad-value', oat, o.name, value ?? '', expected));
    };
    switch (o.name) {
      case 'nomatch':
        if (!takesNomatch(set.type) && set.type !== 'unknown') return badMember(`nomatch is only taken by hash:net* and hash:ip,port,net sets, not ${set.type}`);
        nomatch = true;
        break;
      case 'wildcard':
        if (set.type !== 'hash:net,iface' && set.type !== 'unknown') sink.report(diagnose('ipset/option-not-for-type', oat, 'wildcard', set.type));
        wildcard = true;
        break;
      case 'timeout':
        needs('timeout', o);
        if (value === undefined) missing('a number of seconds');
        else if (!/^\d{1,10}$/.test(value)) bad('a number of seconds');
        else extra.timeout = Number(value);
        break;
      case 'packets':
      case 'bytes':
        needs('counters', o);
        if (value === undefined) missing('a number');
        else if (!/^\d{1,20}$/.test(value)) bad('a number');
        else extra[o.name] = BigInt(value);
        break;
      case 'comment':
        needs('comment', o);
        if (value === undefined) missing('a text');
        else extra.comment = value;
        break;
      case 'skbmark': {
        needs('skbinfo', o);
        const mark = value === undefined ? null : parseMark(value);
        if (value === undefined) missing('a mark VALUE[/MASK]');
        else if (!mark) bad('a mark VALUE[/MASK]');
        else extra.skbmark = mark;
        break;
      }
      case 'skbprio':
        needs('skbinfo', o);
        if (value === undefined) missing('a class MAJOR:MINOR');
        else if (!/^[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}$/.test(value)) bad('a class MAJOR:MINOR (hex)');
        else extra.skbprio = value;
        break;
      case 'skbqueue':
        needs('skbinfo', o);
        if (value === undefined) missing('a queue number');
        else if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) bad('a queue number 0–65535');
        else extra.skbqueue = Number(value);
        break;
      case 'before':
      case 'after':
        if (set.type !== 'list:set' || command !== 'add') sink.report(diagnose('ipset/option-not-for-type', oat, o.name, set.type));
        else if (value === undefined) missing('a set name');
        else placement = { where: o.name, name: value };
        break;
      default:
        sink.report(diagnose('ipset/unknown-option', oat, o.name, 'a set member'));
    }
  }
  const dims: MemberDimension[] = [];
  if (set.type !== 'unknown') {
    const kinds = dimensionsOf(set.type);
    // A set name may hold commas: a list:set element is the whole text.
    const parts: readonly WordSyntax[] =
      set.type === 'list:set' ? [{ text: element.text, quoted: false, start: element.start, end: element.end }] : element.parts;
    const optionalMac = set.type === 'bitmap:ip,mac' && parts.length === 1;
    if (parts.length !== kinds.length && !optionalMac) {
      sink.report(diagnose('ipset/member-dimensions', sink.ref(element), element.text, parts.length, set.type, kinds.length));
      return null;
    }
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const r = readDimension(kinds[i]!, part.text, { type: set.type, family: set.family, options: set.options, index: i, wildcard });
      if (!r.ok) {
        sink.report(diagnose('ipset/bad-member', sink.ref(part), element.text, set.name, r.why));
        return null;
      }
      dims.push(r.dim);
    }
  }
  return { member: { dims, nomatch, ...extra, text: element.text, at }, placement };
}
