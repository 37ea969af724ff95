// The status bar item: exactly what the Problems panel shows for this extension, by
// severity, or "starting" / "scanning" — never a stale or partial count. It is the one
// progress indicator of a scan (the server is asked not to open a second one).
import * as vscode from 'vscode';

export interface StatusParams {
  state: 'idle' | 'scanning';
  percent?: number;
  errors?: number;
  warnings?: number;
  infos?: number;
  files?: number;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "2 warnings, 5 infos" — the Problems panel's words, highest severity first. */
export function describeCounts(p: StatusParams): string {
  const parts = [];
  if (p.errors) parts.push(plural(p.errors, 'error'));
  if (p.warnings) parts.push(plural(p.warnings, 'warning'));
  if (p.infos) parts.push(plural(p.infos, 'info'));
  return parts.join(', ');
}

export class LeakStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('leaklint.status', vscode.StatusBarAlignment.Left, 0);

  constructor() {
    this.item.name = 'Go Leak Lint';
    this.item.command = 'workbench.actions.view.problems';
    this.starting();
    this.item.show();
  }

  starting(): void {
    this.set('$(sync~spin) Leak Lint: starting', 'Go Leak Lint is starting');
  }

  stopped(): void {
    this.set('$(circle-slash) Leak Lint: stopped', 'Go Leak Lint is not running. Run "Go Leak Lint: Restart Server".');
  }

  update(p: StatusParams): void {
    if (p.state === 'scanning') {
      this.set(`$(sync~spin) Leak Lint: scanning ${p.percent ?? 0}%`, 'Go Leak Lint is scanning the workspace; the count shows when it is done');
      return;
    }
    const counts = describeCounts(p);
    if (!counts) {
      this.set('$(check) Leak Lint', 'Go Leak Lint: no goroutine leaks found');
      return;
    }
    const icon = p.errors ? '$(error)' : p.warnings ? '$(warning)' : '$(info)';
    this.set(`${icon} Leak Lint: ${counts}`, `Go Leak Lint: ${counts} in ${plural(p.files ?? 0, 'file')}. Click to open the Problems panel.`);
  }

  private set(text: string, tooltip: string): void {
    this.item.text = text;
    this.item.tooltip = tooltip;
  }

  dispose(): void {
    this.item.dispose();
  }
}
