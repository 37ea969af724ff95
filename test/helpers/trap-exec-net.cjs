'use strict';
// Preloaded into the server under test: any attempt to run a program, open a network
// connection or write a file is recorded (to LEAKLINT_TRAP_LOG) and refused.
const fs = require('fs');
const log = process.env.LEAKLINT_TRAP_LOG;
const append = fs.appendFileSync.bind(fs);
function trap(name) {
  return function () {
    if (log) append(log, `${name}\n`);
    throw new Error(`refused by test: ${name}`);
  };
}
// Writes are allowed only below LEAKLINT_TRAP_ALLOW (the server's own cache folder).
const allowed = process.env.LEAKLINT_TRAP_ALLOW;
function guardWrite(m) {
  const original = fs[m];
  const refuse = trap(`fs.${m}`);
  fs[m] = function (target, ...rest) {
    const paths = m.startsWith('rename') || m.startsWith('copyFile') ? [target, rest[0]] : [target];
    if (allowed && paths.every((p) => typeof p === 'string' && p.startsWith(allowed))) return original.call(fs, target, ...rest);
    return refuse();
  };
}
for (const m of ['writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'rename', 'renameSync', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'truncate', 'truncateSync', 'copyFile', 'copyFileSync', 'createWriteStream']) guardWrite(m);
for (const m of ['writeFile', 'appendFile', 'rename', 'unlink', 'rm', 'rmdir', 'truncate', 'copyFile']) fs.promises[m] = trap(`fs.promises.${m}`);
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
