/**
 * Non-throwing entry point for `ip rule` / `ip -6 rule` output (text or `-j`).
 */
import { diagnose, type Diagnostic } from '../diagnostics.js';
import { parseJsonText } from '../json/parse.js';
import { member, type JsonObject, type JsonValue } from '../json/syntax.js';
import type { SourceRef, SourceText } from '../source.js';
import { attributeMember, describeJson, retext, wordMember } from './json-fields.js';
import { errorSite, failedRule } from './line-parser.js';
import { lexLines, type ParseRange } from './lines.js';
import { isPromptLine, jsonStart, promptLine } from './preamble.js';
import { IpRuleParser } from './rule-parser.js';
import type { AttributeSyntax, IpRuleSyntax, IpRulesSyntax } from './syntax.js';
import { iprouteLexer, Newline } from './tokens.js';

let parser: IpRuleParser | undefined;

const expectations: Record<string, string> = {
  line: 'a rule "PRIORITY:	[not] from SELECTOR … lookup TABLE"',
  item: 'a rule selector or action (to, fwmark, iif, oif, lookup, goto, …)',
};

export function parseIpRuleText(source: SourceText, range: ParseRange = {}): IpRulesSyntax {
  const lexed = lexLines(iprouteLexer, Newline, source, range);
  const diagnostics: Diagnostic[] = [];
  let command = 'ip rule';
  const json = jsonStart(lexed);
  if (json !== null) {
    for (const line of lexed.lines) {
      if (line.start >= json) break;
      if (isPromptLine(line)) diagnostics.push(promptLine(source, line, lexed.base).diagnostic);
    }
    return parseIpRuleJson(source, { start: json, end: range.end ?? source.text.length }, diagnostics);
  }
  parser ??= new IpRuleParser();
  const p = parser;
  const rules: IpRuleSyntax[] = [];
  for (const line of lexed.lines) {
    const error = line.errors[0];
    if (error) {
      diagnostics.push(diagnose('iproute/unexpected-character', { source, start: error.offset, end: error.offset + error.length }, source.text.slice(error.offset, error.offset + Math.min(error.length, 20))));
      continue;
    }
    if (isPromptLine(line)) {
      const prompt = promptLine(source, line, lexed.base);
      diagnostics.push(prompt.diagnostic);
      command = prompt.command || command;
      continue;
    }
    p.setLine(source, lexed.base, line.start, line.end, line.tokens);
    const parsed = p.line();
    const failure = p.errors[0];
    if (failure) {
      const site = errorSite(source, failure, lexed.base, line.end);
      diagnostics.push(diagnose('iproute/syntax', site.at, command, expectations[failedRule(failure, 'line')] ?? 'a rule', site.found));
      continue;
    }
    rules.push({ priority: parsed.priority, not: parsed.not, from: parsed.from, attributes: parsed.items, at: { source, start: line.start, end: line.end } });
  }
  return { source, rules, diagnostics };
}

/** Members of `ip -j rule` with one value, and the text keyword each stands for. */
const JSON_RULE_KEYS: readonly (readonly [string, string])[] = [
  ['tos', 'tos'],
  ['dsfield', 'dsfield'],
  ['iif', 'iif'],
  ['oif', 'oif'],
  ['uid_range', 'uidrange'],
  ['uidrange', 'uidrange'],
  ['ipproto', 'ipproto'],
  ['sport', 'sport'],
  ['dport', 'dport'],
  ['tun_id', 'tun_id'],
  ['table', 'lookup'],
  ['goto', 'goto'],
  ['target', 'goto'],
  ['suppress_prefixlen', 'suppress_prefixlength'],
  ['suppress_ifgroup', 'suppress_ifgroup'],
  ['realms', 'realms'],
  ['protocol', 'proto'],
];

function parseIpRuleJson(source: SourceText, range: ParseRange, diagnostics: Diagnostic[]): IpRulesSyntax {
  const json = parseJsonText(source, range);
  diagnostics.push(...json.diagnostics);
  const rules: IpRuleSyntax[] = [];
  for (const document of json.values) {
    const items: readonly JsonValue[] = document.kind === 'array' ? document.items : [document];
    for (const item of items) {
      const at: SourceRef = { source, start: item.start, end: item.end };
      if (item.kind !== 'object' || item.truncated) {
        diagnostics.push(diagnose('iproute/json-shape', at, 'a complete rule object', item.kind === 'object' ? 'one cut short' : describeJson(item)));
        continue;
      }
      const rule = ruleFromJson(item, at, diagnostics);
      if (rule) rules.push(rule);
    }
  }
  return { source, rules, diagnostics };
}

function ruleFromJson(object: JsonObject, at: SourceRef, diagnostics: Diagnostic[]): IpRuleSyntax | null {
  const priority = wordMember(object, 'priority');
  const src = wordMember(object, 'src');
  if (!priority || !src) {
    diagnostics.push(diagnose('iproute/json-missing', at, priority ? 'src' : 'priority', 'rule'));
    return null;
  }
  const srclen = wordMember(object, 'srclen');
  const attributes: AttributeSyntax[] = [];
  const dst = wordMember(object, 'dst');
  if (dst) {
    const dstlen = wordMember(object, 'dstlen');
    attributes.push({ name: 'to', values: [dstlen ? retext(dst, `${dst.text}/${dstlen.text}`) : dst], known: true, start: dst.start, end: dst.end });
  }
  const fwmark = wordMember(object, 'fwmark');
  if (fwmark) {
    const fwmask = wordMember(object, 'fwmask');
    attributes.push({ name: 'fwmark', values: [fwmask ? retext(fwmark, `${fwmark.text}/${fwmask.text}`) : fwmark], known: true, start: fwmark.start, end: fwmark.end });
  }
  for (const [key, keyword] of JSON_RULE_KEYS) {
    const attribute = attributeMember(object, key, keyword);
    if (attribute) attributes.push(attribute);
  }
  const action = wordMember(object, 'action');
  if (action) attributes.push({ name: action.text, values: [], known: true, start: action.start, end: action.end });
  const l3mdev = member(object, 'l3mdev');
  if (l3mdev) attributes.push({ name: 'l3mdev', values: [], known: true, start: l3mdev.start, end: l3mdev.end });
  return {
    priority,
    not: member(object, 'not') !== undefined,
    from: srclen ? retext(src, `${src.text}/${srclen.text}`) : src,
    attributes,
    at,
  };
}
