/**
 * The node's conntrack events during a probe. `conntrack -L` after the fact is not enough: a TCP
 * entry answered by a reset is destroyed at once (nf_conntrack_proto_tcp.c, tcp_packet: "If only
 * reply is a RST, … we can delete the conntrack immediately"), and a refused connection is the
 * usual outcome when the harness sends to a port nobody listens on. `conntrack -E` prints the [NEW] event when the kernel confirms the entry, with
 * both tuples after NAT, so the DNAT and SNAT are seen even for refused connections.
 *
 * One `conntrack -E` per topology runs for its lifetime. A probe is bracketed by two marker entries
 * the harness inserts with `conntrack -I` (127.127.127.127 → 127.127.127.126, UDP, sport 9, a fresh
 * dport): events are delivered in order on the netlink socket, so once the second marker's [NEW]
 * line has been read, every event of the probe has been read too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { describeFailure } from './command.js';
import { trackChild } from './netns.js';
import type { Netns } from './types.js';

const markerSrc = '127.127.127.127';
const markerDst = '127.127.127.126';
const markerSport = '9';
/** The watcher ends itself after this long, so a killed test run cannot leave it behind for ever. */
const watcherLifetimeSeconds = 1800;
const markerWaitMs = 3_000;

export class ConntrackWatch {
  private child: ChildProcess | null = null;
  private lines: string[] = [];
  private partial = '';
  private waiters: Array<() => void> = [];
  private nextMarker = 1000;
  private stderr = '';

  constructor(private readonly ns: Netns) {}

  private start(): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.ns.name, 'timeout', String(watcherLifetimeSeconds), 'conntrack', '-E'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    trackChild(child);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const text = this.partial + chunk;
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    child.once('exit', () => {
      if (this.child === child) this.child = null;
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    });
    return child;
  }

  private running(): ChildProcess {
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null) return c;
    this.child = this.start();
    return this.child;
  }

  private async insertMarker(dport: string): Promise<void> {
    const r = await this.ns.exec(['conntrack', '-I', '-p', 'udp', '-s', markerSrc, '-d', markerDst, '--sport', markerSport, '--dport', dport,
      '-r', markerDst, '-q', markerSrc, '--reply-port-src', dport, '--reply-port-dst', markerSport, '-t', '30']);
    if (r.code !== 0) throw new Error(describeFailure(r));
  }

  private async deleteMarker(dport: string): Promise<void> {
    await this.ns.exec(['conntrack', '-D', '-p', 'udp', '-s', markerSrc, '-d', markerDst, '--sport', markerSport, '--dport', dport]);
  }

  private indexOfMarker(dport: string): number {
    const needle = `dport=${dport} `;
    return this.lines.findIndex((l) => l.includes('[NEW]') && l.includes(`src=${markerSrc} `) && l.includes(needle));
  }

  /**
   * Inserts a marker and waits until its [NEW] event has been read. Returns the number of lines
   * read up to and including it: the lines after it came later. The first call starts the watcher
   * and retries its marker until the watcher has subscribed.
   */
  async mark(): Promise<number> {
    const deadline = Date.now() + markerWaitMs;
    for (;;) {
      this.running();
      const dport = String(this.nextMarker++);
      await this.insertMarker(dport);
      const seen = await this.waitFor(dport, Math.min(400, Math.max(0, deadline - Date.now())));
      await this.deleteMarker(dport);
      if (seen >= 0) return seen + 1;
      if (Date.now() >= deadline) {
        const stderr = this.stderr.trim();
        throw new Error(`conntrack -E in ${this.ns.name} printed no event for a marker entry within ${markerWaitMs} ms${stderr ? `: ${stderr}` : ''}`);
      }
    }
  }

  private waitFor(dport: string, ms: number): Promise<number> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        done = true;
        resolve(this.indexOfMarker(dport));
      }, ms);
      let done = false;
      const check = (): void => {
        if (done) return;
        const i = this.indexOfMarker(dport);
        if (i >= 0 || this.child === null) {
          done = true;
          clearTimeout(timer);
          resolve(i);
          return;
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  /** Lines read after position `from` up to `to`, without the markers' own events. */
  linesBetween(from: number, to: number): string[] {
    return this.lines.slice(from, to).filter((l) => !l.includes(`src=${markerSrc} dst=${markerDst} `));
  }

  /** Forgets the lines read so far (positions restart at 0). */
  clear(): void {
    this.lines = [];
  }

  stop(): void {
    const c = this.child;
    this.child = null;
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  }
}
