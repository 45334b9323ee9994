/**
 * The options of an ipvsadm command line, as ipvsadm.c's popt table declares them, and the
 * checks parse_options()/generic_opt_check() make before anything reaches the kernel: the first
 * option is the command, no option twice, each argument where popt expects one, and only the
 * options the command allows (commands_v_options[]). Failures are worded as ipvsadm words them.
 */
import { diagnose } from '../../../grammar/diagnostics.js';
import type { IpvsLineSyntax, OptionSyntax } from '../../../grammar/ipvsadm/syntax.js';
import type { SourceRef } from '../../../grammar/source.js';
import { refIn, type ReadContext } from './values.js';

/** cmdnames[] of ipvsadm.c, plus `help` and `version`, which exit at once. */
export type CommandName =
  | 'add-service'
  | 'edit-service'
  | 'delete-service'
  | 'flush'
  | 'list'
  | 'add-server'
  | 'delete-server'
  | 'edit-server'
  | 'set'
  | 'start-daemon'
  | 'stop-daemon'
  | 'restore'
  | 'save'
  | 'zero'
  | 'help'
  | 'version';

/** The options that are not commands, by their long names. */
export type OptionName =
  | 'tcp-service'
  | 'udp-service'
  | 'sctp-service'
  | 'fwmark-service'
  | 'scheduler'
  | 'persistent'
  | 'netmask'
  | 'real-server'
  | 'masquerading'
  | 'ipip'
  | 'gatewaying'
  | 'weight'
  | 'u-threshold'
  | 'l-threshold'
  | 'numeric'
  | 'connection'
  | 'mcast-interface'
  | 'syncid'
  | 'timeout'
  | 'daemon'
  | 'stats'
  | 'rate'
  | 'thresholds'
  | 'persistent-conn'
  | 'nosort'
  | 'sort'
  | 'exact'
  | 'ipv6'
  | 'ops'
  | 'pe'
  | 'sched-flags'
  | 'mcast-group'
  | 'mcast-port'
  | 'mcast-ttl'
  | 'sync-maxlen'
  | 'tun-info'
  | 'tun-type'
  | 'tun-port'
  | 'tun-nocsum'
  | 'tun-csum'
  | 'tun-remcsum';

type Arity = 'none' | 'one' | 'optional';

interface CommandSpec {
  readonly kind: 'command';
  readonly command: CommandName;
  /** `--start-daemon master` takes an argument. */
  readonly arity: Arity;
}

interface OptionSpec {
  readonly kind: 'option';
  readonly name: OptionName;
  readonly arity: Arity;
  /** optnames[]: options of one group are one option for "multiple … specified"; null: repeatable. */
  readonly group: string | null;
}

type Spec = CommandSpec | OptionSpec;

function cmd(command: CommandName, arity: Arity = 'none'): CommandSpec {
  return { kind: 'command', command, arity };
}

function opt(name: OptionName, arity: Arity, group: string | null = name): OptionSpec {
  return { kind: 'option', name, arity, group };
}

/** options_table[] of parse_options(), by `--long` and `-s` spelling. */
const specs: ReadonlyMap<string, Spec> = (() => {
  const table: [string | null, string | null, Spec][] = [
    ['-A', '--add-service', cmd('add-service')],
    ['-E', '--edit-service', cmd('edit-service')],
    ['-D', '--delete-service', cmd('delete-service')],
    ['-C', '--clear', cmd('flush')],
    ['-L', '--list', cmd('list')],
    ['-l', null, cmd('list')],
    ['-Z', '--zero', cmd('zero')],
    ['-a', '--add-server', cmd('add-server')],
    ['-e', '--edit-server', cmd('edit-server')],
    ['-d', '--delete-server', cmd('delete-server')],
    [null, '--set', cmd('set')],
    ['-h', '--help', cmd('help')],
    ['-v', '--version', cmd('version')],
    ['-R', '--restore', cmd('restore')],
    ['-S', '--save', cmd('save')],
    [null, '--start-daemon', cmd('start-daemon', 'one')],
    [null, '--stop-daemon', cmd('stop-daemon', 'one')],
    ['-t', '--tcp-service', opt('tcp-service', 'one', 'service-address')],
    ['-u', '--udp-service', opt('udp-service', 'one', 'service-address')],
    [null, '--sctp-service', opt('sctp-service', 'one', 'service-address')],
    ['-f', '--fwmark-service', opt('fwmark-service', 'one', 'service-address')],
    ['-s', '--scheduler', opt('scheduler', 'one')],
    ['-p', '--persistent', opt('persistent', 'optional')],
    ['-M', '--netmask', opt('netmask', 'one')],
    ['-r', '--real-server', opt('real-server', 'one')],
    ['-m', '--masquerading', opt('masquerading', 'none', 'forwarding-method')],
    ['-i', '--ipip', opt('ipip', 'none', 'forwarding-method')],
    ['-g', '--gatewaying', opt('gatewaying', 'none', 'forwarding-method')],
    ['-w', '--weight', opt('weight', 'one')],
    ['-x', '--u-threshold', opt('u-threshold', 'one')],
    ['-y', '--l-threshold', opt('l-threshold', 'one')],
    ['-n', '--numeric', opt('numeric', 'none')],
    ['-c', '--connection', opt('connection', 'none')],
    [null, '--mcast-interface', opt('mcast-interface', 'one')],
    [null, '--syncid', opt('syncid', 'one')],
    [null, '--timeout', opt('timeout', 'none')],
    [null, '--daemon', opt('daemon', 'none')],
    [null, '--stats', opt('stats', 'none')],
    [null, '--rate', opt('rate', 'none')],
    [null, '--thresholds', opt('thresholds', 'none')],
    [null, '--persistent-conn', opt('persistent-conn', 'none')],
    [null, '--nosort', opt('nosort', 'none')],
    [null, '--sort', opt('sort', 'none', null)],
    ['-X', '--exact', opt('exact', 'none')],
    ['-6', '--ipv6', opt('ipv6', 'none', null)],
    ['-o', '--ops', opt('ops', 'none')],
    [null, '--pe', opt('pe', 'one')],
    ['-b', '--sched-flags', opt('sched-flags', 'one')],
    [null, '--mcast-group', opt('mcast-group', 'one')],
    [null, '--mcast-port', opt('mcast-port', 'one')],
    [null, '--mcast-ttl', opt('mcast-ttl', 'one')],
    [null, '--sync-maxlen', opt('sync-maxlen', 'one')],
    [null, '--tun-info', opt('tun-info', 'none')],
    [null, '--tun-type', opt('tun-type', 'one')],
    [null, '--tun-port', opt('tun-port', 'one')],
    [null, '--tun-nocsum', opt('tun-nocsum', 'none')],
    [null, '--tun-csum', opt('tun-csum', 'none')],
    [null, '--tun-remcsum', opt('tun-remcsum', 'none')],
  ];
  const map = new Map<string, Spec>();
  for (const [short, long, spec] of table) {
    if (short) map.set(short, spec);
    if (long) map.set(long, spec);
  }
  return map;
})();

/**
 * commands_v_options[]: the option groups each table command allows (`+` and ` `) and requires
 * (`+`); every other group is `x`, "Illegal". `-6` is not a group: it may come with any command.
 */
const allowed: Partial<Record<CommandName, { readonly required: readonly string[]; readonly optional: readonly string[] }>> = {
  'add-service': { required: ['service-address'], optional: ['scheduler', 'persistent', 'netmask', 'pe', 'sched-flags', 'ops'] },
  'edit-service': { required: ['service-address'], optional: ['scheduler', 'persistent', 'netmask', 'pe', 'sched-flags', 'ops'] },
  'delete-service': { required: ['service-address'], optional: [] },
  flush: { required: [], optional: [] },
  zero: { required: [], optional: ['service-address'] },
  'add-server': {
    required: ['service-address', 'real-server'],
    optional: ['forwarding-method', 'weight', 'u-threshold', 'l-threshold', 'tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'],
  },
  'edit-server': {
    required: ['service-address', 'real-server'],
    optional: ['forwarding-method', 'weight', 'u-threshold', 'l-threshold', 'tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'],
  },
  'delete-server': { required: ['service-address', 'real-server'], optional: [] },
  set: { required: [], optional: [] },
};

/** An option of a command line, with what it is. */
export interface ResolvedOption {
  readonly name: OptionName;
  readonly syntax: OptionSyntax;
}

/** A command line that passed ipvsadm's own option checks. */
export interface ParsedCommand {
  readonly command: CommandName;
  /** The command option (`-A`), with its arguments (`--set 900 120 300`, `--start-daemon master`). */
  readonly commandOption: OptionSyntax;
  /** The other options, in the order written (popt hands them over in order). */
  readonly options: readonly ResolvedOption[];
  readonly at: SourceRef;
}

/** The arguments popt assigns to an option, and the ones it leaves over. */
function splitArguments(syntax: OptionSyntax, arity: Arity): { taken: number; leftover: OptionSyntax['values'] } {
  const max = arity === 'none' ? 0 : 1;
  return { taken: Math.min(max, syntax.values.length), leftover: syntax.values.slice(max) };
}

/** Checks a command line as ipvsadm would before acting on it; null (reported) when it would refuse it. */
export function parseCommandLine(cx: ReadContext, line: Extract<IpvsLineSyntax, { kind: 'command' }>): ParsedCommand | null {
  const refuse = (at: SourceRef, why: string): null => {
    cx.diagnostics.push(diagnose('ipvs/restore-refused', at, why));
    return null;
  };
  let command: { spec: CommandSpec; syntax: OptionSyntax } | null = null;
  const options: ResolvedOption[] = [];
  const seen = new Set<string>();
  for (const syntax of line.options) {
    const spec = specs.get(syntax.name.text);
    if (!spec) {
      cx.diagnostics.push(diagnose('ipvs/unknown-option', refIn(cx, syntax.name), syntax.name.text));
      return null;
    }
    if (command === null && spec.kind !== 'command') {
      return refuse(refIn(cx, syntax.name), 'the first option must be a command such as -A, -E, -D, -C, -a, -e or -d');
    }
    if (spec.arity === 'one' && syntax.values.length === 0) return refuse(refIn(cx, syntax), `${syntax.name.text}: missing argument`);
    // `--set tcp tcpfin udp` takes its three timeouts as leftover arguments (poptGetArg()).
    const { leftover } = splitArguments(syntax, spec.kind === 'command' && spec.command === 'set' ? 'optional' : spec.arity);
    if (leftover.length > 0 && !(spec.kind === 'command' && spec.command === 'set')) {
      return refuse(refIn(cx, leftover[0]!), `unexpected argument ${leftover[0]!.text}`);
    }
    if (spec.kind === 'command') {
      if (command !== null) return refuse(refIn(cx, syntax.name), 'multiple commands specified');
      command = { spec, syntax };
      continue;
    }
    if (spec.group !== null) {
      if (seen.has(spec.group)) return refuse(refIn(cx, syntax), `multiple '${spec.group}' options specified`);
      seen.add(spec.group);
    }
    options.push({ name: spec.name, syntax });
  }
  if (command === null) return refuse(line.at, 'the first option must be a command such as -A, -E, -D, -C, -a, -e or -d');
  const name = command.spec.command;
  const rules = allowed[name];
  if (rules) {
    for (const o of options) {
      const group = specs.get(o.syntax.name.text);
      if (group?.kind === 'option' && group.group !== null && !rules.required.includes(group.group) && !rules.optional.includes(group.group)) {
        return refuse(refIn(cx, o.syntax), `Illegal '${group.group}' option with the '${name}' command`);
      }
    }
    for (const required of rules.required) {
      if (!seen.has(required)) return refuse(line.at, `You need to supply the '${required}' option for the '${name}' command`);
    }
  }
  if (name === 'set') {
    const values = command.syntax.values;
    if (values.length !== 3) return refuse(refIn(cx, command.syntax), '--set option requires 3 timeout values');
  }
  return { command: name, commandOption: command.syntax, options, at: line.at };
}
