/** Messages about sysctl input. */
import { defineMessages } from './define.js';

export const sysctlMessages = defineMessages({});
