// Hand verdicts on corpus findings: corpus/verdicts.tsv, one line each,
//   repo <TAB> commit <TAB> file <TAB> line <TAB> rule <TAB> real|false <TAB> one-line reason
// keyed by repository, file, line and rule (the commit is the pinned one of corpus/repos.json).
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Verdict {
  repo: string;
  commit: string;
  file: string;
  line: number;
  rule: string;
  verdict: 'real' | 'false';
  reason: string;
}

export const VERDICTS = path.join(__dirname, 'verdicts.tsv');

export function findingKey(repo: string, file: string, line: number, rule: string): string {
  return `${repo} ${file}:${line} ${rule}`;
}

export function readVerdicts(file = VERDICTS): Map<string, Verdict> {
  const out = new Map<string, Verdict>();
  if (!fs.existsSync(file)) return out;
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim() || line.startsWith('#') || line.startsWith('repo\t')) return;
      const [repo, commit, f, n, rule, verdict, reason] = line.split('\t');
      if (verdict !== 'real' && verdict !== 'false') throw new Error(`${file}:${i + 1}: verdict must be real or false, got "${verdict}"`);
      out.set(findingKey(repo, f, Number(n), rule), { repo, commit, file: f, line: Number(n), rule, verdict, reason: reason ?? '' });
    });
  return out;
}
