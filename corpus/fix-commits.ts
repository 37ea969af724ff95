// Placeholder replaced below.
export async function runFixCommits(_only: string[] | null): Promise<void> {
  throw new Error('--fix-commits: not built yet');
}
