#!/usr/bin/env node
'use strict';
// Runs the bundled CLI (npm run build makes dist/cli.js).
const { main } = require('../dist/cli.js');
main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`leaklint: internal error: ${e && e.message}\n`); process.exitCode = 2; },
);
