// Preloaded into the server under test: any attempt to run a program or open a network
// connection is recorded (to LEAKLINT_TRAP_LOG) and refused.
'use strict';
const fs = require('fs');
const log = process.env.LEAKLINT_TRAP_LOG;
function trap(name) {
  return function () {
    if (log) fs.appendFileSync(log, `${name}\n`);
    throw new Error(`refused by test: ${name}`);
  };
}
const cp = require('child_process');
for (const m of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) cp[m] = trap(`child_process.${m}`);
const net = require('net');
net.connect = net.createConnection = trap('net.connect');
net.Socket.prototype.connect = trap('net.Socket.connect');
for (const mod of ['http', 'https']) {
  const m = require(mod);
  m.request = trap(`${mod}.request`);
  m.get = trap(`${mod}.get`);
}
const dns = require('dns');
dns.lookup = trap('dns.lookup');
