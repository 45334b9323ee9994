/**
 * Renaming interfaces in rules and sysctl keys, so a sample written for a node with `cbr0`,
 * `docker0` or Calico's `cali*` links can be loaded into the harness's node, whose pod bridge is
 * always `cni0`. Only the operands of `-i`/`-o` (and their long forms) are touched: chain names
 * such as `cali-fw-cali1a2b3c4d5e6` keep the old name, as they must.
 */

/** `-i cbr0` → `-i cni0`; `-o cali+` → `-o cni0` when `cali+` is mapped. Lines are kept otherwise. */
export function renameRuleInterfaces(text: string, renames: ReadonlyMap<string, string>): string {
  if (renames.size === 0) return text;
  const flags = new Set(['-i', '-o', '--in-interface', '--out-interface']);
  return text
    .split('\n')
    .map((line) => {
      if (!line.startsWith('-A ') && !line.startsWith('-I ')) return line;
      const words = line.split(' ');
      for (let k = 1; k < words.length; k++) {
        const operand = words[k];
        if (flags.has(words[k - 1]!) && operand !== undefined) {
          const to = renames.get(operand);
          if (to !== undefined) words[k] = to;
        }
      }
      return words.join(' ');
    })
    .join('\n');
}

/** `net.ipv4.conf.cbr0.rp_filter` → `net.ipv4.conf.cni0.rp_filter`. */
export function renameSysctlKey(key: string, renames: ReadonlyMap<string, string>): string {
  const m = /^(net\.ipv[46]\.conf\.)([^.]+)(\..+)$/.exec(key);
  if (!m) return key;
  const to = renames.get(m[2]!);
  return to === undefined ? key : `${m[1]}${to}${m[3]}`;
}
