/**
 * The IPv4 TOS / IPv6 traffic-class byte: symbolic TOS names (extensions/tos_values.c) and
 * DiffServ class names (extensions/dscp_helper.c).
 */

/** `--tos Minimize-Delay` etc.; a symbol implies the mask 0x3f (every bit but ECN). */
export const TOS_NAMES: Readonly<Record<string, number>> = {
  'minimize-delay': 0x10,
  'maximize-throughput': 0x08,
  'maximize-reliability': 0x04,
  'minimize-cost': 0x02,
  'normal-service': 0x00,
};

/** The mask a TOS symbol implies (tos_values.c: `.mask = 0x3f`). */
export const TOS_SYMBOL_MASK = 0x3f;

/** DiffServ code points by class name (dscp_helper.c ds_classes). */
export const DSCP_CLASSES: Readonly<Record<string, number>> = {
  cs0: 0x00, cs1: 0x08, cs2: 0x10, cs3: 0x18, cs4: 0x20, cs5: 0x28, cs6: 0x30, cs7: 0x38, be: 0x00,
  af11: 0x0a, af12: 0x0c, af13: 0x0e, af21: 0x12, af22: 0x14, af23: 0x16, af31: 0x1a, af32: 0x1c,
  af33: 0x1e, af41: 0x22, af42: 0x24, af43: 0x26, ef: 0x2e,
};

/** Parses a DiffServ class name (case-insensitive); null when unknown. */
export function parseDscpClass(text: string): number | null {
  return DSCP_CLASSES[text.toLowerCase()] ?? null;
}
