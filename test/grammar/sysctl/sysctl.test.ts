import { describe, expect, it } from 'vitest';
import { parseSysctlText } from '../../../grammar/sysctl/parse.js';

function parse(text: string) {
  return parseSysctlText({ name: 'sysctl.txt', text });
}

describe('sysctl text', () => {
  it('reads `sysctl -a` lines, keeping blanks inside values and dropping them at the ends', () => {
    const text = 'net.ipv4.ip_forward = 1\nfs.file-nr = 513\t0\t2466177  \r\nkernel.panic_sys_info = \n';
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.settings.map((s) => [s.key, s.form, s.value])).toEqual([
      ['net.ipv4.ip_forward', 'dotted', '1'],
      ['fs.file-nr', 'dotted', '513\t0\t2466177'],
      ['kernel.panic_sys_info', 'dotted', ''],
    ]);
    const second = result.settings[1]!;
    expect(text.slice(second.valueSpan.start, second.valueSpan.end)).toBe('513\t0\t2466177');
    expect(text.slice(second.keySpan.start, second.keySpan.end)).toBe('fs.file-nr');
  });

  it('reads sysctl.conf lines (no blanks, comments, `-` prefix) and the slash and /proc forms', () => {
    const text = '# comment\n; another\n-net.ipv4.conf.all.rp_filter=2\nnet/ipv4/conf/eth0.10/rp_filter = 1\n/proc/sys/net/ipv4/conf/all/route_localnet:1\n';
    const result = parse(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.settings.map((s) => [s.key, s.form, s.ignoreFailure, s.value])).toEqual([
      ['net.ipv4.conf.all.rp_filter', 'dotted', true, '2'],
      ['net/ipv4/conf/eth0.10/rp_filter', 'slash', false, '1'],
      ['/proc/sys/net/ipv4/conf/all/route_localnet', 'proc', false, '1'],
    ]);
  });

  it("notes prompt lines and sysctl's own complaints, naming the key", () => {
    const text = "$ sysctl -a\nsysctl: permission denied on key 'net.ipv6.conf.all.stable_secret'\nsysctl: cannot stat /proc/sys/net/bridge/bridge-nf-call-iptables: No such file or directory\nnet.ipv4.ip_forward = 0\n";
    const result = parse(text);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['sysctl/prompt-line', 'info'],
      ['sysctl/sysctl-said', 'warning'],
      ['sysctl/sysctl-said', 'warning'],
    ]);
    expect(result.complaints.map((c) => c.key)).toEqual(['net.ipv6.conf.all.stable_secret', '/proc/sys/net/bridge/bridge-nf-call-iptables']);
    expect(result.settings).toHaveLength(1);
  });

  it('gives one located error per unreadable line and reads on', () => {
    const text = 'net.ipv4.ip_forward = 1\nnet.ipv4.conf.all.rp_filter\nthis is not sysctl\n{bad} = 1\nnet.ipv4.conf.all.accept_local = 0\n';
    const result = parse(text);
    const errors = result.diagnostics.map((d) => [d.code, text.slice(d.at!.start, d.at!.end)]);
    expect(errors).toEqual([
      ['sysctl/syntax', ''],
      ['sysctl/syntax', 'is'],
      ['sysctl/unexpected-character', '{'],
    ]);
    expect(result.diagnostics[0]!.at!.start).toBe(text.indexOf('\nthis') );
    expect(result.settings.map((s) => s.key)).toEqual(['net.ipv4.ip_forward', 'net.ipv4.conf.all.accept_local']);
  });
});
