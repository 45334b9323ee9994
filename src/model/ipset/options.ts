/**
 * Set options (`create NAME TYPE …` and the `Header:` line of `ipset list`) to {@link IpSetOptions}:
 * the option names and values ipset's create_args take (lib/ipset_<type>.c), with a diagnostic for
 * each option that is unknown, of another type, or without a readable value.
 */
import { diagnose, type Diagnostic } from '../../../grammar/diagnostics.js';
import type { OptionSyntax } from '../../../grammar/ipset/syntax.js';
import type { SourceRef, Span } from '../../../grammar/source.js';
import { parseAddress, parseAddressRange, parseCidr } from '../values/address.js';
import { parseUint32 } from '../values/mark.js';
import { parsePortRange } from '../values/port.js';
import { createOptionsOf, defaultFamily } from './dimensions.js';
import type { IpSetFamily, IpSetOptions, IpSetOtherOption, IpSetType } from './types.js';

/** Where readers put their diagnostics, and how they turn syntax offsets into references. */
export interface DiagnosticSink {
  report(diagnostic: Diagnostic): void;
  ref(span: Span): SourceRef;
}

const flagOptions = new Set(['counters', 'comment', 'skbinfo', 'forceadd']);
const numberOptions = new Set(['hashsize', 'maxelem', 'timeout', 'bucketsize', 'size', 'probes', 'resize']);
const valueOptions = new Set(['family', 'initval', 'netmask', 'bitmask', 'markmask', 'range']);

/** `family` first: netmask, bitmask and range are read in the set's family. */
export function readFamily(type: IpSetType, options: readonly OptionSyntax[], sink: DiagnosticSink): IpSetFamily {
  let family = defaultFamily(type);
  for (const o of options) {
    if (o.name !== 'family') continue;
    const v = o.value?.text;
    if (v === undefined) sink.report(diagnose('ipset/missing-value', sink.ref(o), 'family', 'inet or inet6'));
    else if (v === 'inet' || v === 'ipv4' || v === '-4') family = 'ipv4';
    else if (v === 'inet6' || v === 'ipv6' || v === '-6') family = 'ipv6';
    else sink.report(diagnose('ipset/bad-value', sink.ref(o), 'family', v, 'inet or inet6'));
  }
  return family;
}

export function readSetOptions(type: IpSetType, family: IpSetFamily, options: readonly OptionSyntax[], sink: DiagnosticSink): IpSetOptions {
  const allowed = createOptionsOf(type);
  const bits = family === 'ipv6' ? 128 : 32;
  const flags: Record<string, boolean> = { counters: false, comment: false, skbinfo: false, forceadd: false };
  const numbers: Record<string, number> = {};
  const other: IpSetOtherOption[] = [];
  let initval: number | undefined;
  let netmask: number | undefined;
  let bitmask: bigint | undefined;
  let markmask: number | undefined;
  let range: IpSetOptions['range'];
  for (const o of options) {
    const at = sink.ref(o);
    const value = o.value?.text;
    if (o.name === '-exist' || o.name === '-!') continue;
    if (!o.known || (!flagOptions.has(o.name) && !numberOptions.has(o.name) && !valueOptions.has(o.name))) {
      sink.report(diagnose('ipset/unknown-option', at, o.name, `a ${type} set`));
      other.push({ name: o.name, value: value ?? null });
      continue;
    }
    if (allowed && !allowed.has(o.name)) sink.report(diagnose('ipset/option-not-for-type', at, o.name, type));
    if (flagOptions.has(o.name)) {
      flags[o.name] = true;
      continue;
    }
    if (o.name === 'family') continue;
    if (value === undefined) {
      sink.report(diagnose('ipset/missing-value', at, o.name, 'a value'));
      continue;
    }
    const bad = (expected: string): void => {
      sink.report(diagnose('ipset/bad-value', at, o.name, value, expected));
    };
    switch (o.name) {
      case 'initval': {
        const n = parseUint32(value);
        if (n === null) bad('a 32-bit number');
        else initval = n;
        break;
      }
      case 'netmask': {
        // A prefix length (ipset_parse_netmask), or a dotted IPv4 mask.
        const n = /^\d{1,3}$/.test(value) ? Number(value) : family === 'ipv4' ? parseCidr(`0.0.0.0/${value}`, 'ipv4')?.prefix : undefined;
        if (n === undefined || n < 1 || n > bits) bad(`a prefix length 1–${bits}`);
        else netmask = n;
        break;
      }
      case 'bitmask': {
        const a = parseAddress(value, family === 'any' ? undefined : family);
        if (!a) bad('an address-shaped mask (255.255.0.255)');
        else bitmask = a.first;
        break;
      }
      case 'markmask': {
        const n = parseUint32(value);
        if (n === null || n === 0) bad('a non-zero 32-bit mask');
        else markmask = n;
        break;
      }
      case 'range': {
        if (type === 'bitmap:port') {
          const p = parsePortRange(value, '-');
          if (!p) bad('a port range A-B');
          else range = { kind: 'port', from: p.from, to: p.to, text: value };
        } else {
          const r = value.includes('/') ? parseCidr(value, 'ipv4') : parseAddressRange(value, 'ipv4');
          if (!r) bad('an IPv4 range A-B or prefix A/N');
          else range = { kind: 'address', first: r.first, last: r.last, text: value };
        }
        break;
      }
      default: {
        if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffffffff) bad('a number');
        else numbers[o.name] = Number(value);
      }
    }
  }
  return {
    ...(numbers.hashsize !== undefined ? { hashsize: numbers.hashsize } : {}),
    ...(numbers.maxelem !== undefined ? { maxelem: numbers.maxelem } : {}),
    ...(numbers.timeout !== undefined ? { timeout: numbers.timeout } : {}),
    counters: flags.counters === true,
    comment: flags.comment === true,
    skbinfo: flags.skbinfo === true,
    forceadd: flags.forceadd === true,
    ...(numbers.bucketsize !== undefined ? { bucketsize: numbers.bucketsize } : {}),
    ...(initval !== undefined ? { initval } : {}),
    ...(range !== undefined ? { range } : {}),
    ...(netmask !== undefined ? { netmask } : {}),
    ...(bitmask !== undefined ? { bitmask } : {}),
    ...(markmask !== undefined ? { markmask } : {}),
    ...(numbers.size !== undefined ? { size: numbers.size } : {}),
    ...(numbers.probes !== undefined ? { probes: numbers.probes } : {}),
    ...(numbers.resize !== undefined ? { resize: numbers.resize } : {}),
    other,
  };
}
