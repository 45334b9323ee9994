/** Messages about ipvs input. */
import { defineMessages } from './define.js';

export const ipvsMessages = defineMessages({});
