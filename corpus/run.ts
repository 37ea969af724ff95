// The corpus run (like rust-clippy's lintcheck): lint pinned commits of real repositories with the
// CLI, write corpus/report.json and corpus/REPORT.md, and diff the findings against the last run.
// Hand verdicts in corpus/verdicts.tsv turn findings into precision figures and flag regressions.
//
//   npm run corpus [-- --only nsq,caddy] [--fix-commits [--only REPO,COMMIT-PREFIX]]
//
// Needs the repositories' git directories (LEAKLINT_MIRRORS, default /work/.mirror); not part
// of CI, which has no network.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverGoFiles } from '../server/src/cli/files';
import { gitDirOf, materialize } from './materialize';
import { findingKey, readVerdicts, type Verdict } from './verdicts';
import { runFixCommits } from './fix-commits';

export const ROOT = path.resolve(__dirname, '..');
export const WORK = path.resolve(process.env.LEAKLINT_CORPUS_DIR ?? path.join(ROOT, '.corpus'));
const REPORT_JSON = path.join(__dirname, 'report.json');
const REPORT_MD = path.join(__dirname, 'REPORT.md');

export interface CorpusRepo {
  repo: string;
  commit: string;
}

export interface CorpusFinding {
  file: string;
  line: number;
  column: number;
  rule: string;
  severity: string;
  message: string;
  /** Last line of the finding's span and related locations (file and lines), kept for the fix-commit check; not written to the report. */
  endLine?: number;
  related?: { file: string; line: number; endLine?: number }[];
}

interface RepoReport extends CorpusRepo {
  files: number;
  lines: number;
  testLines: number;
  seconds: number;
  findings: CorpusFinding[];
}

interface Report {
  repos: RepoReport[];
}

export function readRepos(): CorpusRepo[] {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'repos.json'), 'utf8'));
}

/** Runs the CLI as a user would (JSON output, every severity) on a folder. */
export function lint(dir: string, extra: string[] = [], targets: string[] = ['.']): { findings: CorpusFinding[]; seconds: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/leaklint.js'), ...targets, '--format', 'json', '--no-cache', '--min-severity', 'hint', ...extra], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0 && r.status !== 1) throw new Error(`leaklint failed in ${dir} (exit ${r.status}): ${r.stderr.trim().slice(0, 2000)}`);
  for (const line of r.stderr.split('\n')) if (/internal error/.test(line)) console.error(`  ${line}`);
  const raw = (r.stdout.trim() ? JSON.parse(r.stdout) : []) as CorpusFinding[];
  const findings = raw.map(({ file, line, endLine, column, rule, severity, message, related }) => ({
    file,
    line,
    column,
    rule,
    severity,
    message,
    endLine,
    related: (related ?? []).map((x) => ({ file: x.file, line: x.line, endLine: x.endLine })),
  }));
  return { findings, seconds: (Date.now() - t0) / 1000 };
}

const GENERATED = /^\/\/ Code generated .* DO NOT EDIT\.$/m;

function countLines(dir: string): { files: number; lines: number; testLines: number } {
  const { files } = discoverGoFiles([dir], { exclude: [], root: dir, useGitignore: true });
  let lines = 0;
  let testLines = 0;
  let count = 0;
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    if (GENERATED.test(text.slice(0, 4096))) continue;
    const n = text.split('\n').length;
    count++;
    lines += n;
    if (f.endsWith('_test.go')) testLines += n;
  }
  return { files: count, lines, testLines };
}

export function workDirOf(repo: CorpusRepo, suffix = ''): string {
  return path.join(WORK, `${repo.repo.replace('/', '+')}@${repo.commit.slice(0, 12)}${suffix}`);
}

async function lintRepos(only: string[] | null): Promise<void> {
  const previous: Report = fs.existsSync(REPORT_JSON) ? JSON.parse(fs.readFileSync(REPORT_JSON, 'utf8')) : { repos: [] };
  const report: Report = { repos: [] };
  for (const repo of readRepos()) {
    if (only && !only.some((o) => repo.repo.includes(o))) {
      const kept = previous.repos.find((r) => r.repo === repo.repo && r.commit === repo.commit);
      if (kept) report.repos.push(kept);
      continue;
    }
    const dir = workDirOf(repo);
    const got = await materialize(gitDirOf(repo.repo), repo.commit, dir);
    const { findings: linted, seconds } = lint(dir);
    const findings = linted.map(({ related: _, endLine: __, ...f }) => f);
    findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.rule.localeCompare(b.rule));
    report.repos.push({ ...repo, ...countLines(dir), seconds, findings });
    console.log(`${repo.repo}: ${findings.length} findings in ${seconds.toFixed(1)} s (${got.files} files, ${got.missing} absent from the snapshot)`);
  }
  const verdicts = readVerdicts();
  printDiff(previous, report, verdicts);
  fs.writeFileSync(REPORT_JSON, JSON.stringify(report, null, 1) + '\n');
  fs.writeFileSync(REPORT_MD, summarize(report, verdicts));
  console.log(`\nwrote ${path.relative(ROOT, REPORT_MD)} and ${path.relative(ROOT, REPORT_JSON)}`);
}

function keyed(report: Report): Map<string, { repo: RepoReport; f: CorpusFinding }> {
  const m = new Map<string, { repo: RepoReport; f: CorpusFinding }>();
  for (const repo of report.repos) for (const f of repo.findings) m.set(findingKey(repo.repo, f.file, f.line, f.rule), { repo, f });
  return m;
}

function printDiff(before: Report, after: Report, verdicts: Map<string, Verdict>): void {
  const a = keyed(before);
  const b = keyed(after);
  const label = (k: string) => {
    const v = verdicts.get(k);
    return v ? ` [labelled ${v.verdict}: ${v.reason}]` : '';
  };
  const gone = [...a].filter(([k]) => !b.has(k));
  const added = [...b].filter(([k]) => !a.has(k));
  console.log(`\nsince the last run: ${added.length} new, ${gone.length} gone`);
  for (const [k, { repo, f }] of added) console.log(`  + ${repo.repo} ${f.file}:${f.line} ${f.rule} (${f.severity})${label(k)}`);
  for (const [k, { repo, f }] of gone) console.log(`  - ${repo.repo} ${f.file}:${f.line} ${f.rule} (${f.severity})${label(k)}`);
  const lostReal = [...verdicts].filter(([k, v]) => v.verdict === 'real' && !b.has(k) && after.repos.some((r) => r.repo === v.repo && r.commit.startsWith(v.commit)));
  const keptFalse = [...b].filter(([k, x]) => verdicts.get(k)?.verdict === 'false' && x.f.severity !== 'hint');
  if (lostReal.length) console.log(`\nREGRESSION: ${lostReal.length} finding(s) labelled real are gone:\n${lostReal.map(([k, v]) => `  ${k} (${v.reason})`).join('\n')}`);
  if (keptFalse.length) console.log(`\n${keptFalse.length} finding(s) labelled false are still reported`);
}

const per100k = (n: number, lines: number) => (lines ? (n * 100000) / lines : 0).toFixed(1);

export function summarize(report: Report, verdicts: Map<string, Verdict>): string {
  const lines = report.repos.reduce((s, r) => s + r.lines, 0);
  const all = report.repos.flatMap((r) => r.findings.map((f) => ({ repo: r.repo, f, v: verdicts.get(findingKey(r.repo, f.file, f.line, f.rule)) })));
  const out: string[] = [];
  out.push('# Corpus report', '');
  out.push('Generated by `npm run corpus`; do not edit. Verdicts: corpus/verdicts.tsv.', '');
  out.push('| repository | commit | Go lines | warning+ | info | hint | seconds |', '|---|---|---:|---:|---:|---:|---:|');
  for (const r of report.repos) {
    const n = (s: string[]) => r.findings.filter((f) => s.includes(f.severity)).length;
    out.push(`| ${r.repo} | ${r.commit.slice(0, 12)} | ${r.lines.toLocaleString('en')} | ${n(['error', 'warning'])} | ${n(['info'])} | ${n(['hint'])} | ${r.seconds.toFixed(1)} |`);
  }
  const warn = all.filter((x) => x.f.severity === 'error' || x.f.severity === 'warning');
  const info = all.filter((x) => x.f.severity === 'info');
  out.push('', `Total: ${lines.toLocaleString('en')} lines; warning+ ${warn.length} (${per100k(warn.length, lines)} per 100k lines), info ${info.length} (${per100k(info.length, lines)} per 100k lines).`, '');
  out.push('| rule | warning+ | of them in tests | real | false | unlabelled | precision | info | info real/false |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const rules = [...new Set(all.map((x) => x.f.rule))].sort();
  const row = (name: string, xs: typeof all) => {
    const w = xs.filter((x) => x.f.severity === 'error' || x.f.severity === 'warning');
    const i = xs.filter((x) => x.f.severity === 'info');
    const real = w.filter((x) => x.v?.verdict === 'real').length;
    const fals = w.filter((x) => x.v?.verdict === 'false').length;
    const prec = real + fals ? `${Math.round((100 * real) / (real + fals))}%` : '–';
    const ir = i.filter((x) => x.v?.verdict === 'real').length;
    const ifl = i.filter((x) => x.v?.verdict === 'false').length;
    out.push(`| ${name} | ${w.length} | ${w.filter((x) => x.f.file.endsWith('_test.go')).length} | ${real} | ${fals} | ${w.length - real - fals} | ${prec} | ${i.length} | ${ir}/${ifl} |`);
  };
  for (const r of rules) row(r, all.filter((x) => x.f.rule === r));
  row('**all**', all);
  row('**all, outside tests**', all.filter((x) => !x.f.file.endsWith('_test.go')));
  return out.join('\n') + '\n';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : null;
  if (args.includes('--fix-commits')) await runFixCommits(only);
  else await lintRepos(only);
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`corpus: ${(e as Error).message}`);
    process.exitCode = 2;
  });
}
