// The per-file analysis budget. Analysis is synchronous, so it is enforced cooperatively: the
// engine looks at the clock between declarations and nodes (and every few hundred steps of the
// tree walks and parent lookups in go/), and throws AnalysisStopped once the deadline has passed.
// Whoever analyses files catches it, drops that file's results and says so; the other files go on.

/** What the CLI and the server give each file, unless told otherwise. */
export const DEFAULT_BUDGET_MS = 2000;

/** Thrown when a file's analysis runs past its budget. */
export class AnalysisStopped extends Error {
  constructor(readonly budgetMs: number) {
    super(`analysis stopped after ${formatBudget(budgetMs)} (the per-file analysis budget)`);
    this.name = 'AnalysisStopped';
  }
}

/** "2 s", "0.5 s", "0.001 s". */
export function formatBudget(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The clock the budget reads (milliseconds). Tests swap it for one that counts checks, to stop by work done, not by time. */
export const budgetClock = { now: (): number => performance.now() };

/** A deadline `budgetMs` from now, or undefined for no budget (undefined, 0, Infinity). */
export function deadlineIn(budgetMs: number | undefined): Deadline | undefined {
  return budgetMs && Number.isFinite(budgetMs) && budgetMs > 0 ? { at: budgetClock.now() + budgetMs, budgetMs } : undefined;
}

export interface Deadline {
  /** budgetClock.now() past which the analysis stops. */
  at: number;
  budgetMs: number;
}

export function checkDeadline(d: Deadline | undefined): void {
  if (d && budgetClock.now() > d.at) throw new AnalysisStopped(d.budgetMs);
}
