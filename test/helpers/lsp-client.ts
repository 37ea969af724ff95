// A real LSP client over stdio: spawns the built server as an editor would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = path.resolve(__dirname, '../../dist/server.js');

/** Servers started by the tests keep their result cache in a folder of this test process. */
const CACHE_HOME = fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-lsp-cache-'));

export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  message: string;
  code: string;
  source: string;
  severity: number;
  data?: unknown;
  codeDescription?: { href: string };
  relatedInformation?: { location: { uri: string; range: Diag['range'] }; message: string }[];
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, { version?: number; diagnostics: Diag[] }>();
  readonly notifications: { method: string; params: any }[] = [];
  readonly logs: string[] = [];
  settings: (scopeUri: string | undefined) => unknown = () => ({});
  private listeners: (() => void)[] = [];
  stderr = '';

  constructor(cwd: string, server = SERVER, opts: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}) {
    this.proc = spawn(process.execPath, [...(opts.execArgv ?? []), server, '--stdio'], { cwd, stdio: 'pipe', env: opts.env ?? { ...process.env, XDG_CACHE_HOME: CACHE_HOME } });
    this.proc.stderr.on('data', (d) => (this.stderr += d));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.conn.onNotification((method: string, params: any) => {
      this.notifications.push({ method, params });
      if (method === 'textDocument/publishDiagnostics') this.diagnostics.set(params.uri, { version: params.version, diagnostics: params.diagnostics });
      if (method === 'window/logMessage') this.logs.push(params.message);
      this.poke();
    });
    this.conn.onUnhandledProgress((params) => {
      this.notifications.push({ method: '$/progress', params });
      this.poke();
    });
    this.conn.onRequest((method: string, params: any) => {
      this.notifications.push({ method, params });
      this.poke();
      switch (method) {
        case 'workspace/configuration':
          return params.items.map((i: { scopeUri?: string }) => this.settings(i.scopeUri));
        case 'window/showDocument':
          return { success: true };
        default:
          return null;
      }
    });
    this.conn.listen();
  }

  private poke(): void {
    for (const l of this.listeners.splice(0)) l();
  }

  /** Resolves when `pred` holds (checked after every message), or rejects after `ms`. */
  waitFor<T>(what: string, pred: () => T | undefined | false, ms = 15000): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr}; logs: ${this.logs.join('\n')}`)), ms);
      const check = () => {
        const v = pred();
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else {
          this.listeners.push(check);
        }
      };
      check();
    });
  }

  async initialize(rootUri: string, extra: { capabilities?: object; initializationOptions?: object } = {}): Promise<any> {
    const result = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootUri) }],
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
        window: { workDoneProgress: true, showDocument: { support: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll', 'refactor.rewrite'] } } } },
        ...extra.capabilities,
      },
      initializationOptions: extra.initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): void {
    this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'go', version, text } }).catch(() => undefined);
  }

  change(uri: string, version: number, contentChanges: object[]): void {
    this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges }).catch(() => undefined);
  }

  diagnosticsFor(uri: string, version?: number): Diag[] | undefined {
    const d = this.diagnostics.get(uri);
    if (!d) return undefined;
    if (version !== undefined && d.version !== version) return undefined;
    return d.diagnostics;
  }

  /** shutdown + exit, then waits for the process to end (killing it after 3 s). */
  async stop(): Promise<void> {
    const exited = new Promise<void>((r) => (this.proc.exitCode !== null ? r() : this.proc.once('exit', () => r())));
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    this.conn.dispose();
  }
}

/** Applies LSP TextEdits (all against `text`) to `text`. */
export function applyTextEdits(text: string, edits: { range: Diag['range']; newText: string }[]): string {
  const offset = (p: { line: number; character: number }) => {
    let line = 0;
    let i = 0;
    while (line < p.line) {
      i = text.indexOf('\n', i) + 1;
      line++;
    }
    return i + p.character;
  };
  const sorted = edits.map((e) => ({ s: offset(e.range.start), e: offset(e.range.end), t: e.newText })).sort((a, b) => b.s - a.s);
  for (const e of sorted) text = text.slice(0, e.s) + e.t + text.slice(e.e);
  return text;
}
