// Goroutine dumps in the editor: commands to read one (a file, pasted text, a loopback pprof
// endpoint), diagnostics at each site it maps onto, and the "Goroutine Dump" view in the
// explorer listing sites by count with bars. The server does the reading (leaklint/dump).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DEFAULT_ENDPOINT, normalizeEndpoint } from '../../server/src/lsp/endpoint';
import type { DumpFrameResult, DumpRequestParams, DumpResult, DumpSiteResult } from '../../server/src/lsp/dump';

export const DUMP_SOURCE = 'goroutine dump';
const LOADED_CONTEXT = 'leaklint.dumpLoaded';

type Node = { kind: 'site'; site: DumpSiteResult; max: number } | { kind: 'frame'; frame: DumpFrameResult; label?: string } | { kind: 'note'; text: string };

/** A bar of `width` cells for value/max, in eighths of a cell. */
export function bar(value: number, max: number, width = 10): string {
  const eighths = max > 0 ? Math.max(1, Math.round((value / max) * width * 8)) : 0;
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8];
  return '█'.repeat(Math.floor(eighths / 8)) + partial;
}

class DumpSites implements vscode.TreeDataProvider<Node> {
  private result: DumpResult | undefined;
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  set(result: DumpResult | undefined): void {
    this.result = result;
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!this.result) return [];
    if (!node) {
      const max = this.result.sites[0]?.count ?? 0;
      return [...this.result.sites.map((site): Node => ({ kind: 'site', site, max })), ...this.result.notes.map((text): Node => ({ kind: 'note', text }))];
    }
    if (node.kind !== 'site') return [];
    const s = node.site;
    return [...s.frames.map((frame): Node => ({ kind: 'frame', frame })), ...(s.createdBy ? [{ kind: 'frame', frame: s.createdBy, label: 'created by' } as Node] : [])];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'note') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon('info');
      item.tooltip = node.text;
      return item;
    }
    if (node.kind === 'frame') {
      const f = node.frame;
      const item = new vscode.TreeItem(`${node.label ? `${node.label} ` : ''}${shortFunc(f.function)}`);
      item.description = `${f.uri ? vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri)) : f.path}:${f.line + 1}`;
      item.tooltip = `${f.function}\n${f.path}:${f.line + 1}${f.uri ? '' : '\n(not in the workspace)'}`;
      item.iconPath = new vscode.ThemeIcon(f.uri ? 'debug-stackframe' : 'debug-stackframe-dot');
      if (f.uri) item.command = openCommand(f.uri, new vscode.Range(f.line, 0, f.line, 0));
      return item;
    }
    const s = node.site;
    const where = s.uri ? vscode.workspace.asRelativePath(vscode.Uri.parse(s.uri)) : s.path;
    // Bar and count first: the rows line up as a bar chart even in a narrow sidebar. Then folder
    // and file name: short, and tells apart the many main.go and positive.go of a workspace.
    const short = where.split(/[\\/]/).slice(-2).join('/');
    const states = Object.entries(s.states).sort((a, b) => b[1] - a[1]);
    const item = new vscode.TreeItem(`${bar(s.count, node.max)} ${s.count.toLocaleString('en-US')}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = `${short}:${s.line + 1} · ${states[0]?.[0] ?? ''}${states.length > 1 ? ' +' : ''}${s.finding ? ` · ${s.finding}` : ''}${s.uri ? '' : ' · not in workspace'}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${s.message}**\n\n`);
    md.appendMarkdown(`\`${s.function}\` — ${where}:${s.line + 1}\n\n`);
    md.appendMarkdown(states.map(([k, v]) => `- ${k}: ${v.toLocaleString('en-US')}`).join('\n') + '\n\n');
    if (s.createdBy) md.appendMarkdown(`created by \`${s.createdBy.function}\` at ${s.createdBy.path}:${s.createdBy.line + 1}\n\n`);
    if (s.finding) md.appendMarkdown(`explained by the static finding **${s.finding}**\n`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(s.finding ? 'warning' : s.uri ? 'debug-pause' : 'question');
    item.contextValue = 'dumpSite';
    if (s.uri) item.command = openCommand(s.uri, new vscode.Range(s.range.start.line, s.range.start.character, s.range.end.line, s.range.end.character));
    return item;
  }
}

function openCommand(uri: string, range: vscode.Range): vscode.Command {
  return { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(uri), { selection: range, preview: true } satisfies vscode.TextDocumentShowOptions] };
}

/** A file by its name, an endpoint by host and path. */
function sourceLabel(source: string): string {
  if (/^https?:\/\//.test(source)) return source.replace(/^https?:\/\//, '');
  return source === 'pasted text' ? source : path.basename(source);
}

function shortFunc(func: string): string {
  return func.slice(func.lastIndexOf('/') + 1);
}

const toRange = (r: { start: { line: number; character: number }; end: { line: number; character: number } }) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

export function registerDumpView(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  const diagnostics = vscode.languages.createDiagnosticCollection(DUMP_SOURCE);
  const sites = new DumpSites();
  const view = vscode.window.createTreeView('leaklint.dumpSites', { treeDataProvider: sites, showCollapseAll: true });

  const show = (result: DumpResult) => {
    const byUri = new Map<string, vscode.Diagnostic[]>();
    const add = (uri: string, d: vscode.Diagnostic) => byUri.set(uri, [...(byUri.get(uri) ?? []), d]);
    for (const s of result.sites) {
      if (!s.uri) continue;
      const d = new vscode.Diagnostic(toRange(s.range), s.message + (s.finding ? `: explained by ${s.finding}` : ''), vscode.DiagnosticSeverity.Information);
      d.source = DUMP_SOURCE;
      d.code = s.finding ?? 'goroutine-dump';
      d.relatedInformation = [
        ...(s.createdBy?.uri ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(s.createdBy.uri), new vscode.Position(s.createdBy.line, 0)), 'the goroutines were started here')] : []),
        ...(s.findingAt ? [new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(s.findingAt.uri), toRange(s.findingAt.range)), `static finding: ${s.finding}`)] : []),
      ];
      add(s.uri, d);
    }
    for (const c of result.confirmations) {
      const d = new vscode.Diagnostic(toRange(c.range), c.message, vscode.DiagnosticSeverity.Information);
      d.source = DUMP_SOURCE;
      d.code = c.rule;
      add(c.uri, d);
    }
    diagnostics.clear();
    for (const [uri, list] of byUri) diagnostics.set(vscode.Uri.parse(uri), list);
    sites.set(result);
    const explained = result.sites.filter((s) => s.finding).length;
    view.message = `${result.goroutines.toLocaleString('en-US')} goroutines at ${result.sites.length} sites${explained ? `, ${explained} explained by static findings` : ''} — ${sourceLabel(result.source)}`;
    void vscode.commands.executeCommand('setContext', LOADED_CONTEXT, true);
    for (const n of result.notes) output.appendLine(`Goroutine dump: ${n}`);
    if (!result.sites.length) void vscode.window.showWarningMessage(`Go Leak Lint: ${result.notes[0] ?? 'the dump has no goroutines.'}`);
    // Show the view (expanded, even when the explorer had it collapsed): the user just asked for it.
    else void vscode.commands.executeCommand('leaklint.dumpSites.focus').then(undefined, () => undefined);
  };

  const read = async (params: DumpRequestParams, label: string) => {
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Go Leak Lint: reading goroutine dump from ${label}`, cancellable: true }, (_p, token) =>
        client.sendRequest<DumpResult>('leaklint/dump', params, token),
      );
      show(result);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      if (/cancelled/i.test(message)) return;
      void vscode.window.showErrorMessage(`Go Leak Lint: ${message}`);
    }
  };

  context.subscriptions.push(
    diagnostics,
    view,
    vscode.commands.registerCommand('leaklint.openDump', async (arg?: vscode.Uri) => {
      if (arg instanceof vscode.Uri) return readUri(arg, read);
      const editor = vscode.window.activeTextEditor;
      const choices: (vscode.QuickPickItem & { id: string })[] = [
        { id: 'file', label: '$(file) From a file…', detail: 'debug=2 or debug=1 profile, runtime.Stack or panic output, goleak failure text' },
        { id: 'clipboard', label: '$(clippy) From the clipboard' },
        ...(editor && editor.document.languageId !== 'go' ? [{ id: 'editor', label: '$(edit) From the active editor', detail: editor.document.isUntitled ? 'the untitled document' : vscode.workspace.asRelativePath(editor.document.uri) }] : []),
        { id: 'new', label: '$(new-file) Paste into a new editor…', detail: 'then run this command again and choose "From the active editor"' },
      ];
      const pick = await vscode.window.showQuickPick(choices, { title: 'Open Goroutine Dump', placeHolder: 'Where is the dump?' });
      if (!pick) return;
      if (pick.id === 'file') {
        const uris = await vscode.window.showOpenDialog({ canSelectMany: false, title: 'Open Goroutine Dump', openLabel: 'Read Dump', filters: { 'Goroutine dumps': ['txt', 'log', 'out', 'dump', 'stacks'], 'All files': ['*'] } });
        if (uris?.[0]) await readUri(uris[0], read);
      } else if (pick.id === 'clipboard') {
        await read({ text: await vscode.env.clipboard.readText() }, 'the clipboard');
      } else if (pick.id === 'editor' && editor) {
        await read({ text: editor.document.getText() }, 'the active editor');
      } else if (pick.id === 'new') {
        const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: '' });
        await vscode.window.showTextDocument(doc);
      }
    }),
    vscode.commands.registerCommand('leaklint.readDumpFromEndpoint', async () => {
      const input = await vscode.window.showInputBox({
        title: 'Read Goroutine Dump from a pprof Endpoint',
        prompt: 'A net/http/pprof endpoint on this machine (localhost, 127.0.0.0/8, ::1); forward remote ports first',
        value: DEFAULT_ENDPOINT,
        validateInput: (v) => {
          const checked = normalizeEndpoint(v);
          return 'error' in checked ? checked.error : undefined;
        },
      });
      if (input === undefined) return;
      const checked = normalizeEndpoint(input);
      if ('error' in checked) return void vscode.window.showErrorMessage(`Go Leak Lint: ${checked.error}`);
      await read({ url: checked.url }, checked.url);
    }),
    vscode.commands.registerCommand('leaklint.clearDump', () => {
      diagnostics.clear();
      sites.set(undefined);
      view.message = undefined;
      void vscode.commands.executeCommand('setContext', LOADED_CONTEXT, false);
    }),
  );
}

async function readUri(uri: vscode.Uri, read: (p: DumpRequestParams, label: string) => Promise<void>): Promise<void> {
  if (uri.scheme === 'file') return read({ path: uri.fsPath }, path.basename(uri.fsPath));
  // Not on the server's file system (a virtual or remote file system): send the text.
  const bytes = await vscode.workspace.fs.readFile(uri);
  return read({ text: new TextDecoder().decode(bytes) }, path.basename(uri.path));
}
