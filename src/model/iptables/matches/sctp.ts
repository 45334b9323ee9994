/** `-m sctp` (implicit with `-p sctp`), libxt_sctp.c: ports and chunk types. */
import type { MatchModule } from './module.js';
import { negOpt } from './module.js';
import { printPort, readPort } from './ports.js';
import { OptionReader, valueDef, type OptionDef } from './read.js';
import type { SctpChunk, SctpMatch } from './types.js';

const options: readonly OptionDef[] = [
  valueDef(['--sport', '--source-port'], true),
  valueDef(['--dport', '--destination-port'], true),
  { names: ['--chunk-types'], arity: 2, negatable: true },
];

/** sctp_chunk_names: name, chunk type, flag letters by bit (index 7 - bit). */
const CHUNKS: readonly [string, number, string][] = [
  ['DATA', 0, '----IUBE'], ['INIT', 1, ''], ['INIT_ACK', 2, ''], ['SACK', 3, ''], ['HEARTBEAT', 4, ''],
  ['HEARTBEAT_ACK', 5, ''], ['ABORT', 6, '-------T'], ['SHUTDOWN', 7, ''], ['SHUTDOWN_ACK', 8, ''],
  ['ERROR', 9, ''], ['COOKIE_ECHO', 10, ''], ['COOKIE_ACK', 11, ''], ['ECN_ECNE', 12, ''], ['ECN_CWR', 13, ''],
  ['SHUTDOWN_COMPLETE', 14, '-------T'], ['I_DATA', 64, '----IUBE'], ['RE_CONFIG', 130, ''], ['PAD', 132, ''],
  ['ASCONF', 193, ''], ['ASCONF_ACK', 128, ''], ['FORWARD_TSN', 192, ''], ['I_FORWARD_TSN', 194, ''],
];

/** Parses `DATA:Be,INIT`, `ALL` or `NONE` into chunks sorted by chunk type (print_chunks order). */
function parseChunks(text: string): SctpChunk[] | null {
  const upper = text.toUpperCase();
  if (upper === 'ALL') return [{ name: 'ALL', flags: '' }];
  if (upper === 'NONE') return [];
  const chunks: { type: number; chunk: SctpChunk }[] = [];
  for (const part of text.split(',')) {
    const [name = '', flagText] = part.split(':');
    const entry = CHUNKS.find(([n]) => n === name.toUpperCase());
    if (!entry) return null;
    let mask = 0;
    let set = 0;
    for (const letter of flagText ?? '') {
      const index = entry[2].indexOf(letter.toUpperCase());
      if (index < 0 || letter === '-') return null;
      const bit = 1 << (7 - index);
      mask |= bit;
      if (letter === letter.toUpperCase()) set |= bit;
    }
    let flags = '';
    for (let bit = 7; bit >= 0; bit--) {
      if ((mask & (1 << bit)) === 0) continue;
      const letter = entry[2][7 - bit]!;
      flags += (set & (1 << bit)) !== 0 ? letter : letter.toLowerCase();
    }
    const existing = chunks.find((c) => c.type === entry[1]);
    if (existing) {
      if (flags) chunks.splice(chunks.indexOf(existing), 1, { type: entry[1], chunk: { name: entry[0], flags } });
    } else chunks.push({ type: entry[1], chunk: { name: entry[0], flags } });
  }
  return chunks.sort((a, b) => a.type - b.type).map((c) => c.chunk);
}

export const sctpModule: MatchModule<'sctp'> = {
  kind: 'sctp',
  name: 'sctp',
  options,
  implicitFor: ['sctp'],
  build(base, ctx) {
    const r = new OptionReader(base.options, ctx, 'module sctp', options);
    const sport = readPort(r, '--sport');
    const dport = readPort(r, '--dport');
    let chunkTypes: SctpMatch['chunkTypes'];
    const option = r.take('--chunk-types');
    if (option) {
      const mode = r.text(option, 0).toLowerCase();
      const chunks = parseChunks(r.text(option, 1));
      if (mode !== 'all' && mode !== 'any' && mode !== 'only') r.bad(option, 'all, any or only', 0);
      else if (!chunks) r.bad(option, 'comma-separated SCTP chunk types (DATA, INIT, …, with :flags), ALL or NONE', 1);
      else chunkTypes = { mode, chunks, negated: option.negated };
    }
    return { kind: 'sctp', ...base, ...(sport && { sport }), ...(dport && { dport }), ...(chunkTypes && { chunkTypes }), unread: r.finish() };
  },
  // sctp_save: --sport, --dport, --chunk-types MODE LIST.
  print: (m) => [
    ...printPort('--sport', m.sport),
    ...printPort('--dport', m.dport),
    ...(m.chunkTypes
      ? [
          negOpt(
            m.chunkTypes.negated,
            '--chunk-types',
            m.chunkTypes.mode,
            m.chunkTypes.chunks.length === 0 ? 'NONE' : m.chunkTypes.chunks.map((c) => (c.flags ? `${c.name}:${c.flags}` : c.name)).join(','),
          ),
        ]
      : []),
  ],
};
