// The VS Code side: starts the language server over IPC, shows scan progress and the
// number of leaks in the status bar, and restarts the server if it dies.
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerDumpView } from './dump-view';

interface StatusParams {
  state: 'idle' | 'scanning';
  percent?: number;
  findings: number;
  files: number;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Go Leak Lint');
  const status = vscode.window.createStatusBarItem('leaklint.status', vscode.StatusBarAlignment.Left, 0);
  status.name = 'Go Leak Lint';
  status.command = 'workbench.actions.view.problems';
  status.text = '$(sync~spin) Leak Lint';
  status.tooltip = 'Go Leak Lint is starting';
  status.show();
  context.subscriptions.push(output, status);

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
    initializationOptions: { cacheDir: vscode.Uri.joinPath(context.globalStorageUri, 'cache').fsPath },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    errorHandler: restartingErrorHandler(output),
  };

  client = new LanguageClient('leaklint', 'Go Leak Lint', serverOptions, clientOptions);
  registerDumpView(context, client, output);
  context.subscriptions.push(
    vscode.commands.registerCommand('leaklint.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('leaklint.restartServer', async () => {
      output.appendLine('Restarting the server on request.');
      await client?.restart();
    }),
  );
  client.onNotification('leaklint/status', (p: StatusParams) => {
    if (p.state === 'scanning') {
      status.text = `$(sync~spin) Leak Lint ${p.percent ?? 0}%`;
      status.tooltip = 'Go Leak Lint is scanning the workspace';
    } else {
      status.text = p.findings ? `$(warning) Leak Lint: ${p.findings}` : '$(check) Leak Lint';
      status.tooltip = p.findings ? `${p.findings} possible goroutine leak${p.findings === 1 ? '' : 's'} in ${p.files} file${p.files === 1 ? '' : 's'}` : 'No goroutine leaks found';
    }
  });
  await client.start();
  status.text = '$(check) Leak Lint';
  status.tooltip = 'Go Leak Lint is running';
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
