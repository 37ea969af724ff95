// The `leaklint/dump` request through a real LSP client: a dump file, pasted text and a
// loopback pprof endpoint; anything off this machine refused.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isLoopbackHost, normalizeEndpoint } from '../server/src/lsp/endpoint';
import type { DumpResult } from '../server/src/lsp/dump';
import { FIXTURES } from './helpers/fixtures';
import { LspClient } from './helpers/lsp-client';
import { EXPECTED, HAS_GO, makeRealDumps } from './helpers/real-dumps';

test('endpoints: loopback only, completed to the debug=2 goroutine profile', () => {
  for (const h of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', 'LOCALHOST', 'app.localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['10.0.0.1', '192.168.1.2', 'example.com', '128.0.0.1', '[::2]', '0.0.0.0', 'localhost.example.com']) assert.ok(!isLoopbackHost(h), h);
  assert.deepEqual(normalizeEndpoint('localhost:6060'), { url: 'http://localhost:6060/debug/pprof/goroutine?debug=2' });
  assert.deepEqual(normalizeEndpoint('http://127.0.0.1:8080/debug/pprof/goroutine?debug=1'), { url: 'http://127.0.0.1:8080/debug/pprof/goroutine?debug=1' });
  assert.deepEqual(normalizeEndpoint('http://[::1]:6060/'), { url: 'http://[::1]:6060/debug/pprof/goroutine?debug=2' });
  // The WHATWG parser normalises numeric hosts: 2130706433 is 127.0.0.1.
  assert.deepEqual(normalizeEndpoint('http://2130706433:6060'), { url: 'http://127.0.0.1:6060/debug/pprof/goroutine?debug=2' });
  assert.match((normalizeEndpoint('http://10.1.2.3:6060') as { error: string }).error, /10\.1\.2\.3 is not this machine: only loopback addresses/);
  assert.match((normalizeEndpoint('http://127.0.0.1.nip.io:6060') as { error: string }).error, /not this machine/);
  assert.match((normalizeEndpoint('file:///etc/passwd') as { error: string }).error, /only http and https/);
  assert.match((normalizeEndpoint('http://u:p@localhost:6060') as { error: string }).error, /credentials/);
  assert.match((normalizeEndpoint('http://') as { error: string }).error, /not a URL/);
});

function serve(handler: http.RequestListener): Promise<{ port: number; close: () => void }> {
  return new Promise((resolve) => {
    const srv = http.createServer(handler);
    srv.listen(0, '127.0.0.1', () => resolve({ port: (srv.address() as net.AddressInfo).port, close: () => srv.close() }));
  });
}

test('leaklint/dump over LSP: a file, pasted text, a loopback endpoint; sites, ranges, confirmations', { skip: !HAS_GO && 'go is not installed', timeout: 240_000 }, async () => {
  const dumps = makeRealDumps();
  const client = new LspClient(FIXTURES);
  client.settings = () => ({ scanOnStartup: false });
  await client.initialize(pathToFileURL(FIXTURES).href, { capabilities: { window: { workDoneProgress: true } } });
  const requested: string[] = [];
  const server = await serve((req, res) => {
    requested.push(req.url ?? '');
    if (req.url?.startsWith('/away')) {
      res.writeHead(302, { location: 'http://example.com/debug/pprof/goroutine?debug=2' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' });
    fs.createReadStream(dumps.debug2).pipe(res);
  });
  try {
    const fromFile = (await client.conn.sendRequest('leaklint/dump', { path: dumps.debug2 })) as DumpResult;
    assert.equal(fromFile.goroutines, 60);
    const top = fromFile.sites[0];
    assert.equal(top.uri, pathToFileURL(path.join(FIXTURES, EXPECTED.race.file)).href);
    assert.deepEqual(top.range, { start: { line: EXPECTED.race.line - 1, character: 3 }, end: { line: EXPECTED.race.line - 1, character: '\t\t\tresults <- i * i'.length } });
    assert.equal(top.message, '40 goroutines blocked here (chan send)');
    assert.equal(top.finding, 'abandoned-sender');
    assert.equal(top.createdBy?.line, EXPECTED.race.createdLine - 1);
    assert.equal(top.findingAt?.range.start.line, 77);
    // Both directions: the static finding gets a confirmation with the runtime count.
    const confirmed = fromFile.confirmations.find((c) => c.rule === 'abandoned-sender' && c.range.start.line === 77)!;
    assert.ok(confirmed, JSON.stringify(fromFile.confirmations));
    assert.equal(confirmed.message, 'Confirmed at runtime: the goroutine dump has 40 goroutines blocked (chan send) at line 81 (abandoned-sender).');
    assert.deepEqual(fromFile.confirmations.map((c) => c.rule).sort(), ['abandoned-sender', 'abandoned-sender', 'goroutine-without-cancel', 'unbuffered-result-chan']);
    // The scan the join needed reported progress, and so did the dump.
    assert.ok(client.notifications.some((n) => n.method === '$/progress' && n.params.value?.title === 'Go Leak Lint: reading goroutine dump'));

    const pasted = (await client.conn.sendRequest('leaklint/dump', { text: fs.readFileSync(dumps.debug1, 'utf8') })) as DumpResult;
    assert.equal(pasted.source, 'pasted text');
    assert.deepEqual(pasted.sites.map((s) => s.count), [40, 9, 6, 4, 1]);

    const fetched = (await client.conn.sendRequest('leaklint/dump', { url: `localhost:${server.port}` })) as DumpResult;
    assert.equal(fetched.goroutines, 60);
    assert.deepEqual(requested, ['/debug/pprof/goroutine?debug=2']);

    await assert.rejects(client.conn.sendRequest('leaklint/dump', { url: 'http://192.168.10.20:6060/debug/pprof/goroutine?debug=2' }), /192\.168\.10\.20 is not this machine/);
    await assert.rejects(client.conn.sendRequest('leaklint/dump', { url: `http://127.0.0.1:${server.port}/away` }), /redirects \(HTTP 302\); redirects are not followed/);
    await assert.rejects(client.conn.sendRequest('leaklint/dump', { path: dumps.debug2, text: 'x' }), /exactly one of path, text or url/);
    await assert.rejects(client.conn.sendRequest('leaklint/dump', { path: path.join(FIXTURES, 'nope.txt') }), /cannot read .*nope\.txt: ENOENT/);
    const garbage = (await client.conn.sendRequest('leaklint/dump', { text: '\u0000\u0001 not a dump' })) as DumpResult;
    assert.deepEqual(garbage.sites, []);
    assert.match(garbage.notes.join('\n'), /No goroutine dump found/);
    // The server is still well.
    assert.equal(((await client.conn.sendRequest('leaklint/dump', { path: dumps.stack })) as DumpResult).goroutines, 60);
  } finally {
    server.close();
    await client.stop();
  }
});
