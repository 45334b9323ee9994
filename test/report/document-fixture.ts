/** A hand-made report document whose strings try to break every format it is rendered in. */
import type { ReportDocument } from '../../src/report/document.js';

export const HOSTILE = 'a|b `tick` ``two`` *star* _u_ <script>alert(1)</script> "q" \'s\' [x](http://example.invalid/) # & ]; click n0 call alert(1) %% end';

export function hostileDocument(): ReportDocument {
  return {
    schema: 'iptlens.report/v1',
    command: 'trace',
    title: `iptlens trace: DROPPED ${HOSTILE}`,
    verdict: { tone: 'problem', text: `DROPPED ${HOSTILE}` },
    explanation: ['# not a heading', '- not a list', '1. not a list either', `explained ${HOSTILE}`],
    paths: [
      {
        label: 'path 1',
        tone: 'problem',
        verdict: `DROPPED ${HOSTILE}`,
        probability: 1,
        conditions: [`if ${HOSTILE}`],
        start: `pod 10.244.1.5:40000 → 10.96.0.10:53 udp NEW ${HOSTILE}`,
        steps: [
          { hook: 'PREROUTING', table: 'nat', chain: 'KUBE-SERVICES', rule: 2, effect: `jump ${HOSTILE}`, comment: HOSTILE, file: 'f.txt', line: 3, decisive: false },
          { hook: 'FORWARD', table: 'filter', chain: `end`, rule: 1, effect: 'DROP', comment: null, file: 'f.txt', line: 9, decisive: true },
        ],
      },
    ],
    omittedPaths: 0,
    graph: {
      nodes: [
        { id: 'nat:PREROUTING', table: 'nat', chain: 'PREROUTING', builtin: true, exists: true, onPath: true },
        { id: 'nat:KUBE-SERVICES', table: 'nat', chain: 'KUBE-SERVICES', builtin: false, exists: true, onPath: true },
        { id: `nat:${HOSTILE}`, table: 'nat', chain: HOSTILE, builtin: false, exists: false, onPath: false },
      ],
      edges: [
        { from: 'nat:PREROUTING', to: 'nat:KUBE-SERVICES', kind: 'jump', rules: [1], onPath: true },
        { from: 'nat:KUBE-SERVICES', to: `nat:${HOSTILE}`, kind: 'goto', rules: [2, 3], onPath: false },
      ],
      roots: ['nat:PREROUTING'],
      omittedNodes: 0,
    },
    tables: [{ title: `table ${HOSTILE}`, columns: ['a', 'b|c'], rows: [[HOSTILE, 'x']], omittedRows: 2 }],
    evidence: [{ file: 'f.txt', line: 9, text: `-A FORWARD -m comment --comment "${HOSTILE}" -j DROP`, comment: HOSTILE, why: 'DROP', decisive: true }],
    omittedEvidence: 1,
    remediation: [`Collect \`ipset save\` and ${HOSTILE}`],
    fullText: 'line one\n```\n````\nline <b>four</b>\n',
    footer: { version: '9.9.9', commandLine: ['iptlens', 'trace', 'dir with space/', '--src', "it's"], inputs: [{ file: 'f.txt', sha256: 'a'.repeat(64), bytes: 10 }] },
  };
}
