// The VS Code side: starts the language server over IPC, shows scan progress and the
// number of leaks in the status bar, opens rule pages rendered, and restarts the server if it dies.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerDumpView } from './dump-view';

import { LeakStatus, type StatusParams } from './status';
import { OPEN_RULE_DOCS, openRuleDocs, registerRuleDocs, ruleDocsLink } from './docs';

/** The server's command behind "Show documentation" (code-actions.ts): run here, to open the page rendered. */
const SHOW_DOCS_COMMAND = 'leaklint.showDocumentation';

/**
 * Output channel hygiene. vscode-languageclient 9 logs "Server will restart." with
 * `!handled` as its data, which prints a bare "true" line: a boolean is never data worth printing.
 */
class LeakLintClient extends LanguageClient {
  override info(message: string, data?: unknown, showNotification?: boolean): void {
    super.info(message, typeof data === 'boolean' ? undefined : data, typeof data === 'boolean' ? false : showNotification);
  }

  /** It also logs every exit of the server as an Error: a clean exit (a requested stop or restart) is not one. */
  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (message === 'Server process exited with code 0.') super.info(message, data, false);
    else super.error(message, data, showNotification);
  }
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Go Leak Lint');
  const status = new LeakStatus();
  context.subscriptions.push(output, status, registerRuleDocs(context));

  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    synchronize: {
      configurationSection: 'leaklint',
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.go'), vscode.workspace.createFileSystemWatcher('**/{.leaklint.json,go.mod}')],
    },
    initializationOptions: { cacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'cache').fsPath, statusBarProgress: true, docsCommand: OPEN_RULE_DOCS },
    // Hovers link to the rendered rule page through this one command, and nothing else.
    markdown: { isTrusted: { enabledCommands: [OPEN_RULE_DOCS] } },
    middleware: {
      executeCommand: (command, args, next) => (command === SHOW_DOCS_COMMAND ? openRuleDocs(context, args[0]) : next(command, args)),
      // The rule code in the Problems panel and in the hover opens the rendered page too.
      handleDiagnostics: (uri, diagnostics, next) => {
        for (const d of diagnostics) {
          if (typeof d.code === 'object' && typeof d.code.value === 'string') d.code = { value: d.code.value, target: ruleDocsLink(d.code.value) };
        }
        next(uri, diagnostics);
      },
    },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: restartingErrorHandler(output),
  };

  client = new LeakLintClient('leaklint', 'Go Leak Lint', serverOptions, clientOptions);
  registerDumpView(context, client, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('leaklint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('leaklint.restartServer', async () => {
      client?.info('Restarting the server on request.', undefined, false);
      await client?.restart();
    }),
    // A (re)starting server has published nothing yet: no count until it says what it has.
    client.onDidChangeState((e) => {
      if (e.newState === State.Starting) status.starting();
      else if (e.newState === State.Stopped) status.stopped();
    }),
  );
  client.onNotification('leaklint/status', (p: StatusParams) => status.update(p));
  await client.start();
}

/** Restarts a crashed server, and says so once per session rather than on every crash. */
function restartingErrorHandler(output: vscode.OutputChannel): ErrorHandler {
  const restarts: number[] = [];
  let told = false;
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const now = Date.now();
      restarts.push(now);
      while (restarts.length && now - restarts[0] > 3 * 60_000) restarts.shift();
      if (restarts.length > 5) {
        void vscode.window.showErrorMessage('Go Leak Lint: the server crashed 5 times in 3 minutes and will not be restarted. See "Go Leak Lint: Show Output".');
        return { action: CloseAction.DoNotRestart };
      }
      output.appendLine('The server stopped unexpectedly; restarting it.');
      if (!told) {
        told = true;
        void vscode.window.showWarningMessage('Go Leak Lint: the server stopped unexpectedly and was restarted.');
      }
      return { action: CloseAction.Restart };
    },
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
