/** Ethernet addresses (`-m mac --mac-source`): six hex octets separated by colons (libxtables xtables_parse_mac). */

/** Parses `XX:XX:XX:XX:XX:XX` (one or two hex digits per octet); returns the lower-case, two-digit form or null. */
export function parseMac(text: string): string | null {
  const parts = text.split(':');
  if (parts.length !== 6) return null;
  const octets: string[] = [];
  for (const part of parts) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(part)) return null;
    octets.push(part.toLowerCase().padStart(2, '0'));
  }
  return octets.join(':');
}
