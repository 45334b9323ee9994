/** Messages about iproute input. */
import { defineMessages } from './define.js';

export const iprouteMessages = defineMessages({});
