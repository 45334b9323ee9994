/**
 * The one message catalogue (house rule 6): every user-facing diagnostic text, by code.
 * Each format keeps its entries in its own file; this index joins them and types the codes.
 */
import type { MessageEntry } from './define.js';
import { inputMessages } from './input.js';
import { iptablesMessages } from './iptables.js';
import { ipsetMessages } from './ipset.js';
import { ipvsMessages } from './ipvs.js';
import { iprouteMessages } from './iproute.js';
import { sysctlMessages } from './sysctl.js';
import { bundleMessages } from './bundle.js';
import { k8sMessages } from './k8s.js';

export const catalogue = {
  ...inputMessages,
  ...iptablesMessages,
  ...ipsetMessages,
  ...ipvsMessages,
  ...iprouteMessages,
  ...sysctlMessages,
  ...bundleMessages,
  ...k8sMessages,
} as const;

export type MessageCode = keyof typeof catalogue;

type EntryArgs<E> = E extends MessageEntry<infer A> ? A : never;
/** The arguments a code's message takes. */
export type MessageArgs<C extends MessageCode> = EntryArgs<(typeof catalogue)[C]> extends infer A
  ? A extends readonly unknown[]
    ? A
    : never
  : never;
