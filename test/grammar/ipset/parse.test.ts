import { describe, expect, it } from 'vitest';
import { parseIpsetText } from '../../../grammar/ipset/parse.js';
import type { IpsetStatementSyntax, ListingSyntax } from '../../../grammar/ipset/syntax.js';
import type { SourceText } from '../../../grammar/source.js';
import { lineColumnOf, textOf } from '../../../grammar/source.js';

function parse(text: string, name = 'test') {
  const source: SourceText = { name, text };
  return { source, ...parseIpsetText(source) };
}

function listings(statements: readonly IpsetStatementSyntax[]): ListingSyntax[] {
  return statements.filter((s): s is ListingSyntax => s.kind === 'listing');
}

// `ipset save` of ipset v7.17 on Linux 6.18 (created in a network namespace for these tests).
const saved = `create a-hip hash:ip family inet hashsize 1024 maxelem 65536 timeout 0 counters comment skbinfo bucketsize 12 initval 0xcc00102c
add a-hip 10.0.0.2 timeout 0 packets 0 bytes 0 comment "a \\q\\"
add a-hip 10.0.0.1 timeout 99 packets 3 bytes 300 comment "hello world" skbmark 0x1/0xff skbprio 1:2 skbqueue 3
create c-hipport hash:ip,port family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xfd265c23
add c-hipport 10.0.0.4,tcp:80
add c-hipport 10.0.0.3,icmp:echo-reply
create f-hnet hash:net family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0x4b471bec
add f-hnet 10.1.0.0/16 nomatch
create j-bport bitmap:port range 1000-2000 timeout 300
add j-bport 1500 timeout 299
create m-list list:set size 8
add m-list a-hip
`;

// `ipset list` of the same kind of sets.
const listed = `Name: c-hipport
Type: hash:ip,port
Revision: 7
Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xfd265c23
Size in memory: 600
References: 0
Number of entries: 2
Members:
10.0.0.4,tcp:80
10.0.0.3,icmp:echo-reply

Name: h-hnetiface
Type: hash:net,iface
Revision: 8
Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xe296c5ac
Size in memory: 664
References: 0
Number of entries: 2
Members:
10.0.0.0/8,eth0
10.0.0.0/8,physdev:eth1

Name: m-list
Type: list:set
Revision: 3
Header: size 8
Size in memory: 176
References: 0
Number of entries: 2
Members:
a-hip
f-hnet`;

describe('parseIpsetText: ipset save form', () => {
  it('reads create lines with type, name and every option, positions pointing at the words', () => {
    const { statements, diagnostics, source } = parse(saved);
    expect(diagnostics).toEqual([]);
    const create = statements.find((s) => s.kind === 'create' && s.name.text === 'a-hip');
    expect(create?.kind).toBe('create');
    if (create?.kind !== 'create') return;
    expect(create.type.text).toBe('hash:ip');
    expect(create.options.map((o) => [o.name, o.value?.text ?? null])).toEqual([
      ['family', 'inet'],
      ['hashsize', '1024'],
      ['maxelem', '65536'],
      ['timeout', '0'],
      ['counters', null],
      ['comment', null],
      ['skbinfo', null],
      ['bucketsize', '12'],
      ['initval', '0xcc00102c'],
    ]);
    expect(textOf({ source, ...create.name })).toBe('a-hip');
    expect(textOf(create.at)).toBe(saved.split('\n')[0]);
  });

  it('keeps a type with commas as one word', () => {
    const { statements } = parse('create s hash:ip,port,net family inet6\n');
    expect(statements[0]).toMatchObject({ kind: 'create', type: { text: 'hash:ip,port,net' } });
  });

  it('reads add lines: element parts split at commas, comments with blanks, skbinfo values', () => {
    const { statements } = parse(saved);
    const adds = statements.filter((s) => s.kind === 'add');
    expect(adds).toHaveLength(7);
    const withSkb = adds[1]!;
    if (withSkb.kind !== 'add') return;
    expect(withSkb.element.parts.map((p) => p.text)).toEqual(['10.0.0.1']);
    expect(Object.fromEntries(withSkb.options.map((o) => [o.name, o.value?.text ?? null]))).toEqual({
      timeout: '99',
      packets: '3',
      bytes: '300',
      comment: 'hello world',
      skbmark: '0x1/0xff',
      skbprio: '1:2',
      skbqueue: '3',
    });
    // ipset prints a comment verbatim between quotes: backslashes are part of it.
    const escaped = adds[0]!;
    if (escaped.kind === 'add') expect(escaped.options.find((o) => o.name === 'comment')?.value).toMatchObject({ text: 'a \\q\\', quoted: true });
    const port = adds[2]!;
    if (port.kind === 'add') expect(port.element.parts.map((p) => p.text)).toEqual(['10.0.0.4', 'tcp:80']);
    const nomatch = adds.find((s) => s.kind === 'add' && s.name.text === 'f-hnet');
    expect(nomatch).toMatchObject({ options: [{ name: 'nomatch', value: null, known: true }] });
  });

  it('reads IPv6 elements whose colons are not separators', () => {
    const { statements, diagnostics } = parse('create v hash:ip,port family inet6\nadd v 2001:db8::1,ipv6-icmp:echo-request\n');
    expect(diagnostics).toEqual([]);
    expect(statements[1]).toMatchObject({ kind: 'add', element: { parts: [{ text: '2001:db8::1' }, { text: 'ipv6-icmp:echo-request' }] } });
  });

  it('reads the other restore commands, comments and COMMIT', () => {
    const text = [
      '# Calico-style restore script',
      '-N x hash:ip',
      '-A x 10.0.0.1 -exist',
      'del x 10.0.0.1',
      'flush x',
      'flush',
      'rename x y',
      'swap y z',
      'destroy y',
      'COMMIT',
    ].join('\n');
    const { statements, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(statements.map((s) => s.kind)).toEqual(['comment', 'create', 'add', 'del', 'flush', 'flush', 'rename', 'swap', 'destroy', 'commit']);
    expect(statements[5]).toMatchObject({ kind: 'flush', name: null });
    expect(statements[6]).toMatchObject({ kind: 'rename', from: { text: 'x' }, to: { text: 'y' } });
  });

  it('takes keywords as names where a name stands (a set called "timeout", a list:set member "add")', () => {
    const { statements, diagnostics } = parse('create timeout hash:ip\nadd timeout 10.0.0.1 timeout 5\n');
    expect(diagnostics).toEqual([]);
    expect(statements[1]).toMatchObject({ kind: 'add', name: { text: 'timeout' }, options: [{ name: 'timeout', value: { text: '5' } }] });
  });

  it('keeps a word that is no ipset option, with its value, as unknown', () => {
    const { statements } = parse('create s hash:ip family inet futureopt 7 counters\n');
    expect(statements[0]).toMatchObject({
      options: [{ name: 'family' }, { name: 'futureopt', value: { text: '7' }, known: false }, { name: 'counters' }],
    });
  });
});

describe('parseIpsetText: ipset list form', () => {
  it('gathers each Name: block into one listing with its header fields and members', () => {
    const { statements, diagnostics } = parse(listed);
    expect(diagnostics).toEqual([]);
    const sets = listings(statements);
    expect(sets.map((s) => s.name.text)).toEqual(['c-hipport', 'h-hnetiface', 'm-list']);
    const first = sets[0]!;
    expect(first.type?.value.text).toBe('hash:ip,port');
    expect(first.revision?.value.text).toBe('7');
    expect(first.sizeInMemory?.value.text).toBe('600');
    expect(first.references?.value.text).toBe('0');
    expect(first.entries?.value.text).toBe('2');
    expect(first.header?.options.map((o) => o.name)).toEqual(['family', 'hashsize', 'maxelem', 'bucketsize', 'initval']);
    expect(first.members?.map((m) => m.element.text)).toEqual(['10.0.0.4,tcp:80', '10.0.0.3,icmp:echo-reply']);
    expect(sets[1]!.members?.map((m) => m.element.parts.map((p) => p.text))).toEqual([
      ['10.0.0.0/8', 'eth0'],
      ['10.0.0.0/8', 'physdev:eth1'],
    ]);
    expect(sets[2]!.members?.map((m) => m.element.text)).toEqual(['a-hip', 'f-hnet']);
  });

  it('points a listing at its Name: line and each member at its own line', () => {
    const { statements } = parse(listed);
    const set = listings(statements)[1]!;
    expect(textOf(set.at)).toBe('Name: h-hnetiface');
    expect(lineColumnOf(set.at.source, set.at.start)).toEqual({ line: 12, column: 1 });
    const member = set.members![1]!;
    expect(textOf(member.at)).toBe('10.0.0.0/8,physdev:eth1');
    expect(lineColumnOf(member.at.source, member.at.start).line).toBe(21);
  });

  it('reads member extensions in a listing', () => {
    const text = `Name: a
Type: hash:ip
Revision: 6
Header: family inet hashsize 1024 maxelem 65536 timeout 0 counters comment bucketsize 12 initval 0x1
Size in memory: 554
References: 1
Number of entries: 1
Members:
10.0.0.1 timeout 99 packets 3 bytes 300 comment "hello world"
`;
    const { statements, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const member = listings(statements)[0]!.members![0]!;
    expect(member.options.map((o) => [o.name, o.value?.text])).toEqual([
      ['timeout', '99'],
      ['packets', '3'],
      ['bytes', '300'],
      ['comment', 'hello world'],
    ]);
  });

  it('takes a listing without "Members:" (ipset list -t) as members unknown', () => {
    const text = 'Name: a\nType: hash:ip\nRevision: 6\nHeader: family inet\nSize in memory: 1\nReferences: 0\nNumber of entries: 3\n\nName: b\nType: hash:net\n';
    const { statements } = parse(text);
    expect(listings(statements).map((s) => [s.name.text, s.members])).toEqual([
      ['a', null],
      ['b', null],
    ]);
  });

  it('reads an empty Members: block', () => {
    const { statements } = parse('Name: a\nType: hash:ip\nHeader: family inet\nMembers:\n\nName: b\nType: hash:ip\nMembers:\n');
    expect(listings(statements).map((s) => s.members)).toEqual([[], []]);
  });

  it('reads both forms mixed in one text, in order', () => {
    const text = `create s hash:ip\nadd s 10.0.0.1\n${listed}\ncreate t hash:net\nadd t 10.0.0.0/8\n`;
    const { statements, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(statements.map((s) => (s.kind === 'listing' ? `listing ${s.name.text}` : s.kind))).toEqual([
      'create',
      'add',
      'listing c-hipport',
      'listing h-hnetiface',
      'listing m-list',
      'create',
      'add',
    ]);
    // The create after m-list's last member is not taken for a member.
    expect(listings(statements)[2]!.members).toHaveLength(2);
  });

  it('skips a pasted prompt line with an info, and reads the listing after it', () => {
    const text = '$ ipset list KUBE-CLUSTER-IP\nName: KUBE-CLUSTER-IP\nType: hash:ip,port\nMembers:\n10.96.0.10,udp:53\n';
    const { statements, diagnostics } = parse(text);
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['ipset/prompt-line', 'info']]);
    expect(diagnostics[0]!.message).toContain('prompt line skipped');
    expect(diagnostics[0]!.at).toMatchObject({ start: 0, end: 28 });
    expect(listings(statements)[0]!.members).toHaveLength(1);
  });

  it('reads CRLF text, with positions that exclude the carriage return', () => {
    const { statements, diagnostics } = parse('Name: a\r\nType: hash:ip\r\nMembers:\r\n10.0.0.1\r\n');
    expect(diagnostics).toEqual([]);
    const member = listings(statements)[0]!.members![0]!;
    expect(textOf(member.at)).toBe('10.0.0.1');
  });
});

describe('parseIpsetText: bad input', () => {
  it('reports one located error per unreadable line and reads the next lines', () => {
    const text = 'create s hash:ip\nadd s 10.0.0.1,\nadd s 10.0.0.2\nbogus line here\nadd s\nadd s 10.0.0.3\n';
    const { statements, diagnostics, source } = parse(text);
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/syntax', 'ipset/syntax', 'ipset/syntax']);
    expect(diagnostics.map((d) => lineColumnOf(source, d.at!.start).line)).toEqual([2, 4, 5]);
    expect(diagnostics[0]!.message).toMatch(/element part after ","/);
    expect(diagnostics[0]!.message).toMatch(/this line was not read/);
    expect(statements.filter((s) => s.kind === 'add').map((s) => (s.kind === 'add' ? s.element.text : ''))).toEqual(['10.0.0.2', '10.0.0.3']);
  });

  it('reports an unterminated quote as an unexpected character and skips the line', () => {
    const { statements, diagnostics, source } = parse('create s hash:ip comment\nadd s 10.0.0.1 comment "open\nadd s 10.0.0.2\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/unexpected-character']);
    expect(lineColumnOf(source, diagnostics[0]!.at!.start)).toEqual({ line: 2, column: 24 });
    expect(statements.filter((s) => s.kind === 'add')).toHaveLength(1);
  });

  it('reports a bad member line inside a listing and keeps the other members', () => {
    const { statements, diagnostics } = parse('Name: a\nType: hash:ip,port\nMembers:\n10.0.0.1,tcp:80\n,oops\n10.0.0.2,tcp:81\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/syntax']);
    expect(listings(statements)[0]!.members!.map((m) => m.element.text)).toEqual(['10.0.0.1,tcp:80', '10.0.0.2,tcp:81']);
  });

  it('reports listing fields without a Name: line, and repeated fields', () => {
    const { diagnostics } = parse('Type: hash:ip\nMembers:\nName: a\nType: hash:ip\nType: hash:net\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['ipset/field-outside-listing', 'ipset/field-outside-listing', 'ipset/duplicate-field']);
  });

  it('parses only the given range, with positions into the whole source', () => {
    const text = 'garbage before\ncreate s hash:ip\nadd s 10.0.0.1\ngarbage after';
    const start = text.indexOf('create');
    const end = text.indexOf('garbage after');
    const { statements, diagnostics } = parseIpsetText({ name: 't', text }, { start, end });
    expect(diagnostics).toEqual([]);
    expect(statements.map((s) => s.kind)).toEqual(['create', 'add']);
    expect(statements[1]!.at.start).toBe(text.indexOf('add s'));
  });

  it('yields nothing and no diagnostics for empty or blank input', () => {
    expect(parse('').statements).toEqual([]);
    expect(parse('\n\n  \n').diagnostics).toEqual([]);
  });
});
