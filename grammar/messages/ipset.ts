/** Messages about ipset input. */
import { defineMessages } from './define.js';

export const ipsetMessages = defineMessages({});
