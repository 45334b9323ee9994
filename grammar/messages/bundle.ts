/** Messages about bundle input. */
import { defineMessages } from './define.js';

export const bundleMessages = defineMessages({});
