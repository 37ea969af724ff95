// Entry point of the language server: `leaklint-lsp --stdio` for any editor, Node IPC for VS Code.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { LeakLintServer } from './server';

if (process.argv.includes('--version')) {
  process.stdout.write(`${typeof LEAKLINT_VERSION === 'string' ? LEAKLINT_VERSION : '0.0.0-dev'}\n`);
  process.exit(0);
}
if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
  process.stderr.write('usage: leaklint-lsp --stdio   (a language server speaking LSP over standard input and output)\n');
  process.exit(2);
}

const connection = createConnection(ProposedFeatures.all);
// Never die on a stray error: log it and keep serving.
process.on('uncaughtException', (e) => connection.console.error(`uncaught: ${e.stack ?? e}`));
process.on('unhandledRejection', (e) => connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`));
new LeakLintServer(connection).listen();

declare const LEAKLINT_VERSION: string | undefined;
