/**
 * The output options every reporting command shares — `--output text|markdown|json|html`,
 * `--json` (shorthand for `--output json`), `--redact [names]`, `--redact-key` — and the one
 * place that turns a command's renderings into what is written. A command declares the options
 * with `withOutputOptions`, reads them with `outputSettings`, and hands `writeOutput` three
 * lazy renderings (text, its versioned JSON, its report document); only the chosen one is built.
 */
import { Option, type Command } from 'commander';
import type { ReportDocument, ReportMeta } from '../report/document.js';
import { documentToHtml } from '../report/html/render.js';
import { documentToMarkdown } from '../report/markdown/render.js';
import { createRedactor, redactValue, type Redactor } from '../report/redact/redactor.js';
import { VERSION } from '../version.js';

export type OutputFormat = 'text' | 'markdown' | 'json' | 'html';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'markdown', 'json', 'html'];

/** The streams a command writes to (the CLI's Io, structurally). */
export interface OutputIo {
  readonly stdout: { write(s: string): unknown; isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; isTTY?: boolean };
  readonly env: Record<string, string | undefined>;
}

/** The options as commander hands them to an action. */
export interface OutputOptionValues {
  readonly json?: boolean;
  readonly output?: string;
  readonly redact?: string | boolean;
  readonly redactKey?: string;
  readonly quiet?: boolean;
}

export interface OutputSettings {
  readonly format: OutputFormat;
  /** Null unless --redact (or --redact-key) was given; one per run, so stdout and stderr agree. */
  readonly redactor: Redactor | null;
  readonly quiet: boolean;
  /** A message for the terminal (a diagnostic on stderr), redacted like the output. */
  scrub(s: string): string;
}

/** What a command can produce; `writeOutput` calls only the one the format needs. */
export interface Renderings {
  /** The text output (already styled for the terminal). */
  text(): string;
  /** The versioned JSON document (`iptlens.<command>/v1`). */
  json(): unknown;
  document(meta: ReportMeta): ReportDocument;
}

/** Adds the shared output options; `schema` names the command's JSON contract in --help. */
export function withOutputOptions(command: Command, schema: string): Command {
  return command
    .option('--json', `shorthand for --output json (schema ${schema})`)
    .addOption(
      new Option('--output <format>', `text, markdown (to paste into an issue), json (${schema}) or html (one file, works offline)`)
        .choices([...OUTPUT_FORMATS])
        .default('text'),
    )
    .addOption(
      new Option('--redact [what]', 'pseudonymise every IP address, keeping subnets and special ranges; "names" also namespace/name in comments')
        .choices(['addresses', 'names'])
        .preset('addresses'),
    )
    .option('--redact-key <key>', 'the same key gives the same pseudonyms in two reports (default: random; implies --redact)');
}

export function outputSettings(values: OutputOptionValues): OutputSettings {
  const format: OutputFormat = values.json ? 'json' : (OUTPUT_FORMATS.find((f) => f === values.output) ?? 'text');
  const wanted = values.redact !== undefined && values.redact !== false ? values.redact : values.redactKey !== undefined ? 'addresses' : null;
  const redactor = wanted === null ? null : createRedactor({ names: wanted === 'names', key: values.redactKey ?? null });
  return { format, redactor, quiet: values.quiet === true, scrub: (s) => (redactor ? redactor.text(s) : s) };
}

/** How iptlens was invoked: `iptlens` and the arguments as given. */
export function reportMeta(command: Command): ReportMeta {
  let root: Command = command;
  while (root.parent) root = root.parent;
  // commander keeps the arguments it was given as `rawArgs` (set by parse/parseAsync) but does
  // not declare it in its types.
  const given = (root as unknown as { rawArgs?: unknown }).rawArgs;
  const args = Array.isArray(given) ? given.map(String) : [command.name(), ...command.args];
  return { commandLine: ['iptlens', ...args], version: VERSION };
}

export function writeOutput(io: OutputIo, settings: OutputSettings, command: Command, renderings: Renderings): void {
  const redactor = settings.redactor;
  switch (settings.format) {
    case 'text':
      io.stdout.write(settings.scrub(renderings.text()));
      return;
    case 'json': {
      const json = renderings.json();
      io.stdout.write(JSON.stringify(redactor ? redactValue(json, redactor) : json, null, 2) + '\n');
      return;
    }
    case 'markdown':
    case 'html': {
      const built = renderings.document(reportMeta(command));
      const doc = redactor ? redactValue(built, redactor) : built;
      io.stdout.write(settings.format === 'markdown' ? documentToMarkdown(doc) : documentToHtml(doc));
      return;
    }
    default: {
      const never: never = settings.format;
      void never;
    }
  }
}

/** A one-line progress note on stderr while a long step runs: only on a terminal, never with --quiet. */
export interface Progress {
  say(what: string): void;
  clear(): void;
}

export function progressOn(io: OutputIo, settings: OutputSettings): Progress {
  const live = io.stderr.isTTY === true && !settings.quiet;
  let shown = false;
  return {
    say: (what) => {
      if (!live) return;
      io.stderr.write(`\r\u001b[Kiptlens: ${settings.scrub(what)}…`);
      shown = true;
    },
    clear: () => {
      if (!shown) return;
      io.stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}
