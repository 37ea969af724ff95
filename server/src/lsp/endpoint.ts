// Reading a dump from a running program's pprof endpoint — on this machine only: a goroutine
// dump shows a program's internals, and the editor must not become a way to reach other hosts.
import * as net from 'node:net';

export type Endpoint = { url: string } | { error: string };

export const DEFAULT_ENDPOINT = 'http://localhost:6060/debug/pprof/goroutine?debug=2';

/** Loopback names and addresses: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.split('.')[0] === '127';
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Checks and completes what the user typed: http(s) on a loopback host; a bare host:port gets
 * /debug/pprof/goroutine; a missing debug parameter becomes debug=2 (the text form with wait states).
 */
export function normalizeEndpoint(input: string): Endpoint {
  const raw = input.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return { error: `"${raw}" is not a URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { error: `only http and https endpoints are read, not ${url.protocol}` };
  if (!isLoopbackHost(url.hostname)) return { error: `${url.hostname} is not this machine: only loopback addresses (localhost, 127.0.0.0/8, ::1) are read. Forward the port (e.g. kubectl port-forward, ssh -L) and use localhost.` };
  if (url.username || url.password) return { error: 'credentials in the URL are not sent' };
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/debug/pprof/goroutine';
  if (!url.searchParams.has('debug')) url.searchParams.set('debug', '2');
  return { url: url.href };
}

/** The body of a loopback endpoint, chunk by chunk. Redirects are not followed (they could leave the machine). */
export async function* fetchDump(url: string, signal?: AbortSignal): AsyncIterable<Buffer> {
  const checked = normalizeEndpoint(url);
  if ('error' in checked) throw new Error(checked.error);
  const res = await fetch(checked.url, { redirect: 'manual', signal, headers: { accept: 'text/plain' } });
  if (res.status >= 300 && res.status < 400) throw new Error(`${checked.url} redirects (HTTP ${res.status}); redirects are not followed`);
  if (!res.ok) throw new Error(`${checked.url} answered HTTP ${res.status} ${res.statusText}`);
  if (!res.body) return;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
