/**
 * The sysctl grammar, one line at a time:
 *
 *   line := Key Equals Value?            net.ipv4.ip_forward = 1 (sysctl -a), key=value (sysctl.conf)
 *         | ProcPath Colon Value?        /proc/sys/net/ipv4/ip_forward:1 (grep . /proc/sys/…)
 *         | SysctlSaid                   sysctl: permission denied on key '…'
 *
 * Comment and prompt lines are recognised by their token before the parser runs.
 */
import { EmbeddedActionsParser, type IToken } from 'chevrotain';
import { raiseNoViableAlternative } from '../iproute/line-parser.js';
import { toSourceRef, type SourceText } from '../source.js';
import type { SysctlComplaintSyntax, SysctlSettingSyntax } from './syntax.js';
import { allTokens, Colon, Equals, Key, ProcPath, SysctlSaid, Value } from './tokens.js';

export type SysctlLine =
  | { readonly kind: 'setting'; readonly setting: SysctlSettingSyntax }
  | { readonly kind: 'complaint'; readonly complaint: SysctlComplaintSyntax };

/** The key a complaint names: `… on key 'net.x'`, `… reading key "net.x"`, `cannot stat /proc/sys/x: …`. */
function complaintKey(text: string): string | null {
  const quoted = /key ['"‘]([^'"’]+)['"’]/.exec(text);
  if (quoted?.[1]) return quoted[1];
  const path = /(\/proc\/sys\/[^\s:]+)/.exec(text);
  return path?.[1] ?? null;
}

export class SysctlParser extends EmbeddedActionsParser {
  source: SourceText = { name: '', text: '' };
  base = 0;
  lineStart = 0;
  lineEnd = 0;

  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  /** Chevrotain's error description is costly and unused here: see raiseNoViableAlternative. */
  raiseNoAltException(): never {
    return raiseNoViableAlternative(this);
  }

  private setting(key: IToken, value: IToken | undefined, form: 'dotted' | 'slash' | 'proc'): SysctlSettingSyntax {
    const keyStart = toSourceRef(this.source, key, this.base).start;
    const ignoreFailure = form !== 'proc' && key.image.startsWith('-');
    const keyText = ignoreFailure ? key.image.slice(1) : key.image;
    const valueText = value ? value.image.replace(/[ \t\r\f\v]+$/, '') : '';
    const valueStart = value ? toSourceRef(this.source, value, this.base).start : this.lineEnd;
    return {
      key: keyText,
      keySpan: { start: keyStart + (ignoreFailure ? 1 : 0), end: keyStart + key.image.length },
      form: form === 'proc' ? 'proc' : slashForm(keyText) ? 'slash' : 'dotted',
      ignoreFailure,
      value: valueText,
      valueSpan: { start: valueStart, end: valueStart + valueText.length },
      at: { source: this.source, start: this.lineStart, end: this.lineEnd },
    };
  }

  public line = this.RULE('line', (): SysctlLine =>
    this.OR([
      {
        ALT: () => {
          const key = this.CONSUME(Key);
          this.CONSUME(Equals);
          const value = this.OPTION(() => this.CONSUME(Value));
          return this.ACTION(() => ({ kind: 'setting', setting: this.setting(key, value, 'dotted') }) as const)!;
        },
      },
      {
        ALT: () => {
          const path = this.CONSUME(ProcPath);
          this.CONSUME(Colon);
          const value = this.OPTION2(() => this.CONSUME2(Value));
          return this.ACTION(() => ({ kind: 'setting', setting: this.setting(path, value, 'proc') }) as const)!;
        },
      },
      {
        ALT: () => {
          const said = this.CONSUME(SysctlSaid);
          return this.ACTION(() => {
            const text = said.image.replace(/[ \t\r]+$/, '');
            return {
              kind: 'complaint',
              complaint: { text, key: complaintKey(text), at: { source: this.source, start: this.lineStart, end: this.lineEnd } },
            } as const;
          })!;
        },
      },
    ]),
  );
}

/**
 * procps sysctl.c slashdot(): the first separator decides the form; when it is `/`, the name is
 * a path and its dots belong to names (an interface `eth0.10`).
 */
export function slashForm(key: string): boolean {
  const i = key.search(/[./]/);
  return i >= 0 && key[i] === '/';
}
