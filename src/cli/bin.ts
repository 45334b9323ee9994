#!/usr/bin/env node
/** The `iptlens` executable: runs the CLI on this process's arguments and streams. */
import { runCli } from './main.js';

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
