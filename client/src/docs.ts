// Rule pages open rendered (the Markdown preview, read-only), never as an editable source tab.
import * as vscode from 'vscode';

/** A client command, also the target of the rule links in diagnostics and hovers. */
export const OPEN_RULE_DOCS = 'leaklint.openRuleDocs';

export function registerRuleDocs(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(OPEN_RULE_DOCS, (rule: unknown) => openRuleDocs(context, rule));
}

export async function openRuleDocs(context: vscode.ExtensionContext, rule: unknown): Promise<void> {
  if (typeof rule !== 'string' || !/^[a-z][a-z0-9-]*$/.test(rule)) return;
  const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${rule}.md`);
  try {
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showWarningMessage(`Go Leak Lint: no documentation page for "${rule}".`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
}

/** `command:` link that opens a rule's page rendered. */
export function ruleDocsLink(rule: string): vscode.Uri {
  return vscode.Uri.parse(`command:${OPEN_RULE_DOCS}?${encodeURIComponent(JSON.stringify([rule]))}`);
}
