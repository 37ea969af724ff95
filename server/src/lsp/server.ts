// The language server: a thin LSP adapter over the engine.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  FileChangeType,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { discoverGoFiles } from '../cli/files';
import type { LeakLintConfig } from '../engine/config';
import { LeakEngine, type FileResult } from '../engine/engine';
import { GoModLocator } from '../engine/gomod';
import { LineIndex, type PositionEncoding } from '../engine/positions';
import { codeActions, FIX_ALL_KIND, SHOW_DOCS_COMMAND, type OtherFile, type StoredAnalysis } from './code-actions';
import { docsUri, linesOnDisk, stoppedNote, toDiagnostic } from './convert';
import { AnalysisStopped, DEFAULT_BUDGET_MS, formatBudget } from '../engine/budget';
import { OpenDocument, type ContentChange } from './documents';
import { PackageTracker } from './packages';
import { defaultParallelism, ScanPool, type JobOutcome } from '../scan/pool';
import { buildSalt, defaultCacheDir, PackageCache } from '../scan/cache';
import { byFolder, type PackageJob } from '../scan/package-job';
import { DEFAULT_SETTINGS, effectiveConfig, normalizeSettings, type Settings } from './settings';
import { PackageIndex, type FileSummary } from '../engine/package-index';
import { importSpecs, type ImportedPackage } from '../engine/deps';
import { topLevel } from '../engine/go/syntax';
import type { Tree } from 'web-tree-sitter';
import picomatch from 'picomatch';
import { analysisConfig, analysisKey, applyLevels, countsOf, type Counts, type Levels } from './severity';
import { ScanReport } from './scan-report';
import { hoverAt } from './hover';
import { skippedByDiscovery } from '../cli/files';
import { DUMP_REQUEST, handleDump, type DumpHost, type DumpRequestParams } from './dump';
import { BaselineFilter } from './baseline-filter';

export const SCAN_COMMAND = 'leaklint.scanWorkspace';
/** LEAKLINT_TIMING=1 writes per-edit timings to stderr (for the benchmark). */
const TIMING = process.env.LEAKLINT_TIMING === '1';
export const STATUS_NOTIFICATION = 'leaklint/status';

export interface StatusParams {
  state: 'idle' | 'scanning';
  percent?: number;
  /**
   * Only when idle (a scan in progress never shows partial totals): what is published across
   * the workspace, counted as the Problems panel counts it (hints are not listed there).
   */
  findings?: number;
  files?: number;
  errors?: number;
  warnings?: number;
  infos?: number;
}

interface FolderState {
  settings: Settings;
  config: LeakLintConfig;
  baseline?: BaselineFilter;
}

export class LeakLintServer {
  private engine!: LeakEngine;
  private readonly docs = new Map<string, OpenDocument>();
  private readonly analyses = new Map<string, StoredAnalysis>();
  /** What an open document shows when it has no analysis (skipped, or stopped by the budget): for pull requests. */
  private readonly notes = new Map<string, Diagnostic[]>();
  private readonly scheduled = new Map<string, NodeJS.Immediate | NodeJS.Timeout>();
  private readonly waiters = new Map<string, (() => void)[]>();
  /** What each published file shows in the Problems panel, by severity. */
  private readonly published = new Map<string, Counts>();
  /** Rule levels of each folder ('' for files outside every folder), applied when diagnostics are published. */
  private readonly levels = new Map<string, Levels>();
  /** Why a folder scan leaves an open document's file out (vendor/, testdata/, .gitignore), by URI; null: it does not. */
  private readonly outsideScan = new Map<string, string | null>();
  /** The client shows scan progress itself (the extension's status bar item): no second progress indicator. */
  private statusBarProgress = false;
  /** A client command that opens a rule's page rendered; links in hovers use it (else the page's file URI). */
  private docsCommand: string | undefined;
  /** Diagnostics of files known from the scan (not open), by URI. */
  private readonly scanned = new Map<string, Diagnostic[]>();
  private packages!: PackageTracker;
  private readonly gomod = new GoModLocator();
  /** Bumped whenever Go or module files change: dependency facts read before are dropped (here and in scan workers). */
  private depsEpoch = 0;
  // At most 4 scan workers: a scan is short, and the main thread stays free for the editor.
  private readonly pool = new ScanPool(Math.min(defaultParallelism(), 4));
  private folders: WorkspaceFolder[] = [];
  private readonly folderStates = new Map<string, Promise<FolderState>>();
  private encoding: PositionEncoding = 'utf-16';
  private canPullConfig = false;
  private canProgress = false;
  private canRegisterWatchers = false;
  private pullMode = false;
  private globalSettings: unknown = undefined;
  private scanning: { cancel: boolean } | null = null;
  private cache: PackageCache | null = null;
  private hasScanned = false;
  /** Per-file analysis budget in ms (initializationOptions.analysisBudgetMs; 0: none): no file can stall the editor. */
  private budgetMs: number | undefined = DEFAULT_BUDGET_MS;

  constructor(private readonly connection: Connection) {}

  listen(): void {
    const c = this.connection;
    c.onInitialize((p) => this.initialize(p));
    c.onInitialized(() => void this.initialized());
    c.onDidOpenTextDocument((p) => this.guard('didOpen', () => this.open(p.textDocument.uri, p.textDocument.text, p.textDocument.version)));
    c.onDidChangeTextDocument((p) => this.guard('didChange', () => this.change(p.textDocument.uri, p.contentChanges as ContentChange[], p.textDocument.version)));
    c.onDidCloseTextDocument((p) => this.guard('didClose', () => this.close(p.textDocument.uri)));
    c.onDidChangeConfiguration((p) => this.guard('didChangeConfiguration', () => this.configurationChanged(p.settings)));
    c.onDidChangeWatchedFiles((p) => this.guard('didChangeWatchedFiles', () => this.watchedFilesChanged(p.changes)));
    c.onCodeAction(async (p) => {
      await this.settled(p.textDocument.uri);
      const stored = this.analyses.get(p.textDocument.uri);
      const doc = this.docs.get(p.textDocument.uri);
      if (!stored || !doc || stored.version !== doc.version) return [];
      // Rules turned off offer nothing, not even through "Fix all".
      const levels = this.levelsFor(stored.uri);
      const shown = { ...stored, result: { ...stored.result, findings: stored.result.findings.filter((f) => levels[f.rule] !== 'off') } };
      return codeActions(p, shown, this.encoding, (file) => this.otherFile(file));
    });
    c.onExecuteCommand(async (p) => {
      if (p.command === SCAN_COMMAND) return this.scanWorkspace();
      if (p.command === SHOW_DOCS_COMMAND) {
        const uri = typeof p.arguments?.[1] === 'string' ? p.arguments[1] : undefined;
        if (uri) await c.window.showDocument({ uri, takeFocus: true }).catch(() => undefined);
        return null;
      }
      return null;
    });
    c.onHover(async (p) => {
      await this.settled(p.textDocument.uri);
      const stored = this.analyses.get(p.textDocument.uri);
      if (!stored || stored.version !== this.docs.get(p.textDocument.uri)?.version) return null;
      return hoverAt(stored, p.position, this.encoding, this.levelsFor(stored.uri), (rule) => this.docsLink(rule), (f) => this.analyses.get(pathToFileURL(f).href)?.result.lines ?? linesOnDisk(f));
    });
    c.onRequest(DUMP_REQUEST, (p: DumpRequestParams, token) => handleDump(p, token, this.dumpHost()));
    c.languages.diagnostics.on(async (p) => {
      await this.settled(p.textDocument.uri);
      const stored = this.analyses.get(p.textDocument.uri);
      const scanned = this.scanned.get(p.textDocument.uri);
      const items = stored ? this.diagnosticsOf(stored) : this.notes.get(p.textDocument.uri) ?? (scanned ? this.shown(p.textDocument.uri, scanned) : []);
      return { kind: DocumentDiagnosticReportKind.Full, items };
    });
    c.languages.diagnostics.onWorkspace(async () => {
      if (!this.hasScanned) await this.scanWorkspace();
      const items = [...this.scanned].map(([uri, diags]) => ({ uri, version: null, kind: DocumentDiagnosticReportKind.Full as typeof DocumentDiagnosticReportKind.Full, items: this.shown(uri, diags) }));
      return { items };
    });
    c.onShutdown(() => {
      this.pool.dispose();
      for (const d of this.docs.values()) d.dispose();
    });
    c.listen();
  }

  private guard(what: string, f: () => void | Promise<void>): void {
    try {
      const r = f();
      if (r) r.catch((e) => this.log(`${what} failed: ${(e as Error).stack ?? e}`));
    } catch (e) {
      this.log(`${what} failed: ${(e as Error).stack ?? e}`);
    }
  }

  private log(message: string): void {
    this.connection.console.log(message);
  }

  /** What the user may want to read in the output channel (scans, settings applied), at Info level. */
  private info(message: string): void {
    this.connection.console.info(message);
  }

  private levelsFor(uri: string): Levels {
    return this.levels.get(this.folderOf(uri)?.uri ?? '') ?? {};
  }

  private docsLink(rule: string): string | undefined {
    return this.docsCommand ? `command:${this.docsCommand}?${encodeURIComponent(JSON.stringify([rule]))}` : docsUri(rule);
  }

  private async initialize(params: InitializeParams): Promise<InitializeResult> {
    this.engine = await LeakEngine.create();
    this.packages = new PackageTracker(this.engine, () => this.budgetMs);
    const caps = params.capabilities;
    const offered = caps.general?.positionEncodings ?? [];
    this.encoding = (offered.find((e) => e === 'utf-16' || e === 'utf-8' || e === 'utf-32') as PositionEncoding | undefined) ?? 'utf-16';
    this.canPullConfig = !!caps.workspace?.configuration;
    this.canProgress = !!caps.window?.workDoneProgress;
    this.canRegisterWatchers = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    const opts = (params.initializationOptions ?? {}) as { pullDiagnostics?: boolean; settings?: unknown; cacheDir?: string | null; analysisBudgetMs?: number; statusBarProgress?: boolean; docsCommand?: string };
    this.statusBarProgress = opts.statusBarProgress === true;
    if (typeof opts.docsCommand === 'string' && /^[\w.-]+$/.test(opts.docsCommand)) this.docsCommand = opts.docsCommand;
    if (typeof opts.analysisBudgetMs === 'number' && opts.analysisBudgetMs >= 0) this.budgetMs = opts.analysisBudgetMs || undefined;
    // Results of unchanged packages are kept between sessions (the extension passes its own storage folder; null turns it off).
    if (opts.cacheDir !== null) this.cache = new PackageCache(opts.cacheDir ?? defaultCacheDir(), buildSalt(SERVER_VERSION));
    this.pullMode = !!opts.pullDiagnostics && !!caps.textDocument?.diagnostic;
    this.globalSettings = opts.settings;
    this.folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: path.basename(params.rootUri) }] : []);
    return {
      capabilities: {
        positionEncoding: this.encoding,
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.RefactorRewrite] },
        hoverProvider: true,
        executeCommandProvider: { commands: [SCAN_COMMAND, SHOW_DOCS_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        ...(this.pullMode ? { diagnosticProvider: { identifier: 'leaklint', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
      },
      serverInfo: { name: 'leaklint', version: SERVER_VERSION },
    };
  }

  private async initialized(): Promise<void> {
    const c = this.connection;
    if (this.canPullConfig) void c.client.register(DidChangeConfigurationNotification.type, undefined).catch(() => undefined);
    if (this.canRegisterWatchers) void c.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.go' }, { globPattern: '**/.leaklint.json' }, { globPattern: '**/go.mod' }, { globPattern: '**/go.work' }, { globPattern: '**/go.sum' }, { globPattern: '**/vendor/modules.txt' }] }).catch(() => undefined);
    c.workspace.onDidChangeWorkspaceFolders((e) => {
      this.folders = [...this.folders.filter((f) => !e.removed.some((r) => r.uri === f.uri)), ...e.added];
      for (const r of e.removed) this.folderStates.delete(r.uri);
      if (this.hasScanned) void this.scanWorkspace();
    });
    const states = await Promise.all(this.folders.map((f) => this.folderState(f.uri)));
    if (states.some((s) => s.settings.enable && s.settings.scanOnStartup)) await this.scanWorkspace();
    else this.sendStatus('idle'); // nothing to scan: the client leaves its "starting" state
  }

  // ---- settings ---------------------------------------------------------

  private folderOf(uri: string): WorkspaceFolder | undefined {
    let best: WorkspaceFolder | undefined;
    for (const f of this.folders) {
      const prefix = f.uri.endsWith('/') ? f.uri : `${f.uri}/`;
      if ((uri.startsWith(prefix) || uri === f.uri) && (!best || f.uri.length > best.uri.length)) best = f;
    }
    return best;
  }

  private folderState(folderUri: string | undefined): Promise<FolderState> {
    const key = folderUri ?? '';
    let state = this.folderStates.get(key);
    if (!state) {
      state = this.loadFolderState(folderUri);
      this.folderStates.set(key, state);
    }
    return state;
  }

  private async loadFolderState(folderUri: string | undefined): Promise<FolderState> {
    let raw: unknown = (this.globalSettings as { leaklint?: unknown } | undefined)?.leaklint ?? this.globalSettings;
    if (this.canPullConfig) {
      raw = await this.connection.workspace.getConfiguration({ scopeUri: folderUri, section: 'leaklint' }).catch(() => raw);
    }
    const warn = (m: string) => this.connection.window.showWarningMessage(`Go Leak Lint: ${m}`);
    const settings = normalizeSettings(raw, warn);
    const folder = folderUri?.startsWith('file:') ? fileURLToPath(folderUri) : null;
    const config = effectiveConfig(folder, settings, warn);
    this.levels.set(folderUri ?? '', config.rules);
    const baseline = folder && settings.baseline ? new BaselineFilter(path.resolve(folder, settings.baseline), settings.baselineMode, warn) : undefined;
    if (baseline) this.baselines.set(folderUri ?? '', baseline);
    else this.baselines.delete(folderUri ?? '');
    return { settings, config, baseline };
  }

  /** Facts of the packages a document imports; unresolved imports are said once in the output channel. */
  private importsOf(file: string, tree: Tree): ReadonlyMap<string, ImportedPackage> {
    const deps = this.engine.dependencies(this.depsEpoch);
    // Only the import declarations become nodes (listing every top-level node costs the size of the file).
    const root = tree.rootNode;
    const decls = topLevel(tree).flatMap((e) => (e.type === 'import_declaration' ? [(e.node ??= root.namedChild(e.index))!] : []));
    const { imports } = deps.importsFor(path.dirname(file), importSpecs(root, decls));
    for (const [imp, why] of deps.unresolved) {
      if (this.saidUnresolved.has(imp)) continue;
      this.saidUnresolved.add(imp);
      this.log(`import "${imp}" not followed: ${why}`);
    }
    return imports;
  }

  private readonly saidUnresolved = new Set<string>();
  /** leaklint.baseline of each folder (by folder URI) that sets one. */
  private readonly baselines = new Map<string, BaselineFilter>();

  /** A file's diagnostics as published: every rule at its folder's level, then the folder's baseline. */
  private shown(uri: string, diagnostics: Diagnostic[]): Diagnostic[] {
    return this.withBaseline(uri, applyLevels(diagnostics, this.levelsFor(uri)));
  }

  /** Diagnostics of a file as its folder's baseline wants them shown. */
  private withBaseline(uri: string, diagnostics: Diagnostic[]): Diagnostic[] {
    const filter = this.baselines.get(this.folderOf(uri)?.uri ?? '');
    return filter && uri.startsWith('file:') ? filter.apply(fileURLToPath(uri), diagnostics) : diagnostics;
  }

  /**
   * Settings or .leaklint.json changed (`modules`: go.mod, go.work, go.sum or vendor/modules.txt).
   * A change of levels only re-filters the findings already known; a change of what the
   * analysis reads or assumes rescans, reusing the cache for what it does not affect.
   */
  private async configurationChanged(settings: unknown, modules = false): Promise<void> {
    if (settings !== undefined && settings !== null && !this.canPullConfig) this.globalSettings = settings;
    const t0 = performance.now();
    const before = new Map<string, string>();
    for (const [key, state] of this.folderStates) before.set(key, await state.then((s) => analysisKey(s.settings, s.config)).catch(() => ''));
    this.folderStates.clear();
    // Baselines are replaced folder by folder as the new settings load (loadFolderState): clearing
    // them here would let a publish during the awaits below show baselined findings unfiltered.
    if (!modules && before.size) {
      let same = true;
      for (const [key] of before) {
        const old = this.settledSettings.get(key);
        const s = await this.folderState(key || undefined);
        this.settledSettings.set(key, s.settings);
        // A new baseline (or mode) only re-filters too, but what is shown must be worked out again.
        if (analysisKey(s.settings, s.config) !== before.get(key) || old?.baseline !== s.settings.baseline || old?.baselineMode !== s.settings.baselineMode) same = false;
      }
      if (same) return this.reapplyLevels(performance.now() - t0);
    }
    this.gomod.clear();
    this.depsEpoch++;
    this.saidUnresolved.clear();
    for (const uri of this.docs.keys()) this.schedule(uri, 0);
    if (this.hasScanned) await this.scanWorkspace();
  }

  /** Publishes again what is known, through the folders' current levels: no analysis runs. */
  private reapplyLevels(settingsMs: number): void {
    const t0 = performance.now();
    let files = 0;
    for (const [uri, raw] of this.scanned) {
      if (this.docs.has(uri)) continue;
      this.publish(uri, this.shown(uri, raw));
      files++;
    }
    for (const stored of this.analyses.values()) {
      this.publish(stored.uri, this.diagnosticsOf(stored), stored.version);
      files++;
    }
    if (files) this.info(`Settings changed: rule levels applied to ${files} file${files === 1 ? '' : 's'} in ${(performance.now() - t0).toFixed(1)} ms (the settings were read in ${settingsMs.toFixed(0)} ms), without a rescan.`);
  }

  private async watchedFilesChanged(changes: { uri: string; type: number }[]): Promise<void> {
    if (changes.some((ch) => /(go\.mod|go\.work|go\.sum|vendor\/modules\.txt)$/.test(ch.uri))) return this.configurationChanged(undefined, true);
    if (changes.some((ch) => ch.uri.endsWith('.leaklint.json'))) return this.configurationChanged(undefined);
    if (changes.some((ch) => ch.uri.endsWith('.go'))) this.depsEpoch++; // a package others import may have changed
    const dirs = new Set<string>();
    for (const ch of changes) {
      if (!ch.uri.startsWith('file:') || !ch.uri.endsWith('.go')) continue;
      const file = fileURLToPath(ch.uri);
      this.packages.invalidate(file);
      if (ch.type === FileChangeType.Deleted) {
        this.packages.forget(file);
        if (!this.docs.has(ch.uri)) this.publish(ch.uri, []);
        this.scanned.delete(ch.uri);
      }
      dirs.add(path.dirname(file));
    }
    for (const dir of dirs) await this.reanalyzePackage(dir, null);
  }

  // ---- documents --------------------------------------------------------

  private maxFileSizeFor(uri: string): number {
    return this.cachedSettings(uri)?.maxFileSize ?? DEFAULT_SETTINGS.maxFileSize;
  }

  private readonly settledSettings = new Map<string, Settings>();
  private cachedSettings(uri: string): Settings | undefined {
    return this.settledSettings.get(this.folderOf(uri)?.uri ?? '');
  }

  private open(uri: string, text: string, version: number): void {
    this.docs.get(uri)?.dispose();
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : null;
    this.outsideScan.set(uri, file ? this.skippedFolder(file) : null);
    this.docs.set(uri, new OpenDocument(uri, file, text, version, this.engine, () => this.maxFileSizeFor(uri)));
    this.schedule(uri, 0);
  }

  private change(uri: string, changes: ContentChange[], version: number): void {
    const doc = this.docs.get(uri);
    if (!doc) {
      this.log(`didChange for a document that is not open: ${uri}`);
      return;
    }
    const t0 = performance.now();
    doc.applyChanges(changes, version, this.encoding);
    this.changedAt.set(uri, t0);
    if (TIMING) process.stderr.write(`change v${version}: ${(performance.now() - t0).toFixed(2)} ms\n`);
    this.schedule(uri, 0);
  }

  private close(uri: string): void {
    const doc = this.docs.get(uri);
    if (!doc) return;
    doc.dispose();
    this.docs.delete(uri);
    this.analyses.delete(uri);
    this.notes.delete(uri);
    this.outsideScan.delete(uri);
    const pending = this.scheduled.get(uri);
    if (pending) clearTimeout(pending as NodeJS.Timeout);
    this.scheduled.delete(uri);
    this.release(uri);
    if (doc.path) {
      this.packages.closeOpen(doc.path);
      // The file on disk is what counts now: re-read its package if the workspace was scanned.
      if (this.hasScanned && this.folderOf(uri)) void this.reanalyzePackage(path.dirname(doc.path), null);
      else this.publish(uri, []);
    } else {
      this.publish(uri, []);
    }
  }

  /** Coalesces bursts: work runs once the current batch of messages is handled; newer versions replace older work. */
  private schedule(uri: string, delayMs: number): void {
    const prev = this.scheduled.get(uri);
    if (prev) clearTimeout(prev as NodeJS.Timeout);
    const run = () => {
      this.scheduled.delete(uri);
      this.guard('analysis', () => this.analyze(uri));
    };
    this.scheduled.set(uri, delayMs > 0 ? setTimeout(run, delayMs) : (setImmediate(run) as unknown as NodeJS.Timeout));
  }

  /** Resolves once the document's pending analysis (if any) has published. */
  private settled(uri: string): Promise<void> {
    if (!this.scheduled.has(uri) && this.analyses.get(uri)?.version === this.docs.get(uri)?.version) return Promise.resolve();
    if (!this.docs.has(uri)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(uri, [...(this.waiters.get(uri) ?? []), resolve]));
  }

  private release(uri: string): void {
    const w = this.waiters.get(uri);
    this.waiters.delete(uri);
    for (const f of w ?? []) f();
  }

  private readonly changedAt = new Map<string, number>();

  private async analyze(uri: string): Promise<void> {
    const tStart = performance.now();
    const doc = this.docs.get(uri);
    if (!doc) return this.release(uri);
    const state = await this.folderState(this.folderOf(uri)?.uri);
    this.settledSettings.set(this.folderOf(uri)?.uri ?? '', state.settings);
    const current = this.docs.get(uri);
    if (current !== doc || this.scheduled.has(uri)) return; // superseded while settings loaded
    const version = doc.version;
    const tree = doc.currentTree;
    const outside = this.outsideScan.get(uri) ?? null;
    if (!state.settings.enable || !tree || doc.skipReason || outside || this.isExcluded(doc, state)) {
      this.analyses.delete(uri);
      const why = doc.skipReason ?? outside;
      const note = why && state.settings.enable ? [this.skipNote(why)] : [];
      this.notes.set(uri, note);
      this.publish(uri, note, version);
      return this.release(uri);
    }
    let summary: FileSummary;
    try {
      summary = this.engine.summarize(doc.path ?? uri, tree, doc.text, doc.summaries, this.budgetMs, null, undefined, doc.lines);
    } catch (e) {
      return this.stopped(uri, version, e);
    }
    let exportsChanged = false;
    const pkg = doc.path
      ? (() => {
          exportsChanged = this.packages.setOpen(doc.path!, summary);
          return this.packages.indexFor(doc.path!, summary.packageName, state.settings.maxFileSize);
        })()
      : new PackageIndex([summary]);
    if (doc.path) pkg.linkOwners((p, named, q) => this.engine.dependencies(this.depsEpoch).ownerIndex(path.dirname(doc.path!), p, named, q));
    const goVersion = doc.path ? this.gomod.find(path.dirname(doc.path))?.version ?? null : null;
    const imports = doc.path ? this.importsOf(doc.path, tree) : undefined;
    let result: FileResult;
    try {
      result = doc.analysis.analyze(doc.path ?? uri, doc.text, tree, { config: analysisConfig(state.config), goVersion, pkg, imports, budgetMs: this.budgetMs }, doc.lines);
    } catch (e) {
      return this.stopped(uri, version, e);
    }
    for (const e of result.errors) this.log(`internal error: ${e}`);
    const stored: StoredAnalysis = { uri, version, text: doc.text, result };
    this.analyses.set(uri, stored);
    this.notes.delete(uri);
    this.publish(uri, this.diagnosticsOf(stored), version);
    if (TIMING) process.stderr.write(`analyse v${version}: waited ${(tStart - (this.changedAt.get(uri) ?? tStart)).toFixed(2)} ms, ran ${(performance.now() - tStart).toFixed(2)} ms\n`);
    this.release(uri);
    if (exportsChanged && doc.path) await this.reanalyzePackage(path.dirname(doc.path), uri);
  }

  /** An open document whose analysis ran past the budget: a note on the file and a line in the output channel, never a stall. */
  private stopped(uri: string, version: number, e: unknown): void {
    if (!(e instanceof AnalysisStopped)) throw e;
    this.analyses.delete(uri);
    this.notes.set(uri, [stoppedNote(e.budgetMs)]);
    this.logStopped(uri, e.budgetMs);
    this.publish(uri, this.notes.get(uri)!, version);
    this.release(uri);
  }

  private logStopped(file: string, budgetMs: number): void {
    const shown = file.startsWith('file:') ? fileURLToPath(file) : file;
    this.log(`analysis of ${shown} stopped after ${formatBudget(budgetMs)} (the per-file analysis budget); its leaks are not shown`);
  }

  /** Text and version of another file a fix edits: the open document, else the file on disk. */
  private otherFile(file: string): OtherFile | undefined {
    const uri = pathToFileURL(file).href;
    const doc = this.docs.get(uri);
    if (doc) return { uri, version: doc.version, lines: doc.lines };
    try {
      return { uri, version: null, lines: new LineIndex(fs.readFileSync(file, 'utf8')) };
    } catch {
      return undefined;
    }
  }

  private isExcluded(doc: OpenDocument, state: FolderState): boolean {
    if (!doc.path || !state.config.exclude.length) return false;
    const folder = this.folderOf(doc.uri);
    if (!folder) return false;
    const root = fileURLToPath(folder.uri);
    return picomatch(state.config.exclude, { dot: true })(path.relative(root, doc.path).split(path.sep).join('/'));
  }

  private skipNote(reason: string): Diagnostic {
    return { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 4, source: 'leaklint', message: `Go Leak Lint does not analyse this file: ${reason}.` };
  }

  /** Why a folder scan leaves `file` out (vendor/, testdata/, hidden folders, .gitignore), or null. */
  private skippedFolder(file: string): string | null {
    const folder = this.folderOf(pathToFileURL(file).href);
    return folder?.uri.startsWith('file:') ? skippedByDiscovery(file, fileURLToPath(folder.uri), true) : null;
  }

  private diagnosticsOf(stored: StoredAnalysis): Diagnostic[] {
    const all = stored.result.findings.map((f) => toDiagnostic(f, stored.result.lines, this.encoding, stored.uri, (p) => this.analyses.get(pathToFileURL(p).href)?.result.lines ?? linesOnDisk(p)));
    return this.shown(stored.uri, all);
  }

  /** Re-analyses the other files of a package after something they depend on changed. */
  private async reanalyzePackage(dir: string, except: string | null): Promise<void> {
    for (const [uri, doc] of this.docs) if (uri !== except && doc.path && path.dirname(doc.path) === dir) this.schedule(uri, 0);
    if (!this.hasScanned) return;
    const folder = this.folderOf(pathToFileURL(dir).href);
    if (!folder) return;
    // A folder the scan leaves out (vendor/, testdata/, .gitignore'd) gets no findings when its files change either.
    if (this.skippedFolder(path.join(dir, 'x.go'))) return;
    const state = await this.folderState(folder.uri);
    const files = discoverGoFiles([dir], { exclude: state.config.exclude, root: fileURLToPath(folder.uri), useGitignore: true }).files.filter((f) => path.dirname(f) === dir);
    const closed = files.filter((f) => !this.docs.has(pathToFileURL(f).href));
    if (!closed.length) return;
    await this.pool.run(
      [{ files, config: analysisConfig(state.config), goVersion: this.gomod.find(dir)?.version ?? null, maxFileSize: state.settings.maxFileSize, encoding: this.encoding, overlays: this.overlaysFor(files), depsEpoch: this.depsEpoch, budgetMs: this.budgetMs }],
      (outcome) => {
        if (!outcome.result) return this.log(`re-analysis of ${dir} failed: ${outcome.error}`);
        for (const f of outcome.result.files) {
          const uri = pathToFileURL(f.path).href;
          if (this.docs.has(uri)) continue;
          if (f.stoppedAfterMs !== undefined) this.logStopped(f.path, f.stoppedAfterMs);
          this.packages.setDisk(f.path, f.summary ?? null, f);
          this.recordScanned(uri, f.diagnostics ?? []);
        }
      },
    );
    if (!this.scanning) this.sendStatus('idle');
  }

  /** The editor's text of open files among `files`: a package is analysed as the user sees it. */
  private overlaysFor(files: string[]): Record<string, string> | undefined {
    let out: Record<string, string> | undefined;
    for (const f of files) {
      const doc = this.docs.get(pathToFileURL(f).href);
      if (doc && !doc.skipReason) (out ??= {})[f] = doc.text;
    }
    return out;
  }

  /** A file's diagnostics from a scan, every rule at its own severity: kept as they are, published through the folder's levels. */
  private recordScanned(uri: string, diagnostics: Diagnostic[]): void {
    if (diagnostics.length) this.scanned.set(uri, diagnostics);
    else this.scanned.delete(uri);
    this.publish(uri, this.shown(uri, diagnostics));
  }

  private statusTimer: NodeJS.Timeout | undefined;

  private publish(uri: string, diagnostics: Diagnostic[], version?: number): void {
    const counts = countsOf(diagnostics);
    if (counts.errors + counts.warnings + counts.infos) this.published.set(uri, counts);
    else this.published.delete(uri);
    // Keep the status bar's count current, at most a few times a second.
    if (!this.scanning && !this.statusTimer) {
      this.statusTimer = setTimeout(() => {
        this.statusTimer = undefined;
        if (!this.scanning) this.sendStatus('idle');
      }, 250);
    }
    if (this.pullMode) {
      this.connection.languages.diagnostics.refresh();
      return;
    }
    void this.connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
  }

  private totals(): Counts {
    const t: Counts = { errors: 0, warnings: 0, infos: 0 };
    for (const c of this.published.values()) {
      t.errors += c.errors;
      t.warnings += c.warnings;
      t.infos += c.infos;
    }
    return t;
  }

  /** Scanning: the progress only. Idle: the totals, exactly what is published. */
  private sendStatus(state: 'idle' | 'scanning', percent?: number): void {
    if (state === 'scanning') {
      void this.connection.sendNotification(STATUS_NOTIFICATION, { state, percent } satisfies StatusParams);
      return;
    }
    const t = this.totals();
    void this.connection.sendNotification(STATUS_NOTIFICATION, { state, findings: t.errors + t.warnings + t.infos, files: this.published.size, ...t } satisfies StatusParams);
  }

  /** What the goroutine-dump request (dump.ts) needs from the server. */
  private dumpHost(): DumpHost {
    return {
      folders: () => this.folders.filter((f) => f.uri.startsWith('file:')).map((f) => fileURLToPath(f.uri)),
      staticDiagnostics: async () => {
        if (!this.hasScanned) await this.scanWorkspace();
        const out = new Map(this.scanned);
        for (const stored of this.analyses.values()) out.set(stored.uri, this.diagnosticsOf(stored));
        return out;
      },
      encoding: () => this.encoding,
      progress: () => (this.canProgress ? this.connection.window.createWorkDoneProgress().catch(() => null) : Promise.resolve(null)),
    };
  }

  // ---- workspace scan ---------------------------------------------------

  async scanWorkspace(): Promise<{ files: number; findings: number; cancelled: boolean }> {
    if (this.scanning) this.scanning.cancel = true;
    const run = { cancel: false };
    this.scanning = run;
    const progress = this.canProgress && !this.statusBarProgress ? await this.connection.window.createWorkDoneProgress().catch(() => null) : null;
    const report = new ScanReport();
    progress?.begin('Go Leak Lint: scanning workspace', 0, 'finding Go files', true);
    progress?.token.onCancellationRequested(() => (run.cancel = true));
    this.sendStatus('scanning', 0);
    const jobs: PackageJob[] = [];
    const seen = new Set<string>();
    for (const folder of this.folders) {
      if (!folder.uri.startsWith('file:')) continue;
      const state = await this.folderState(folder.uri);
      this.settledSettings.set(folder.uri, state.settings);
      if (!state.settings.enable) continue;
      const root = fileURLToPath(folder.uri);
      const { files } = discoverGoFiles([root], { exclude: state.config.exclude, root, useGitignore: true });
      for (const [dir, list] of byFolder(files)) {
        jobs.push({ files: list, config: analysisConfig(state.config), goVersion: this.gomod.find(dir)?.version ?? null, maxFileSize: state.settings.maxFileSize, encoding: this.encoding, overlays: this.overlaysFor(list), depsEpoch: this.depsEpoch, budgetMs: this.budgetMs });
      }
    }
    const total = jobs.reduce((n, j) => n + j.files.length, 0);
    let done = 0;
    let lastReport = 0;
    const onDone = (outcome: JobOutcome, job: PackageJob, fromCache = false) => {
        done += job.files.length;
        if (!outcome.result) {
          this.log(`scan of ${path.dirname(job.files[0])} failed: ${outcome.error}`);
          report.addFailure();
          return;
        }
        // Packages with open documents are analysed from the editor's text: not cached.
        // Nor is a package with a file cut short by the budget: the next scan tries it again.
        const stopped = outcome.result.files.filter((f) => f.stoppedAfterMs !== undefined);
        if (!fromCache && !job.overlays && !stopped.length) this.cache?.put(job, outcome.result);
        for (const f of stopped) if (!this.docs.has(pathToFileURL(f.path).href)) this.logStopped(f.path, f.stoppedAfterMs!);
        for (const e of outcome.result.errors) this.log(`internal error: ${e}`);
        for (const f of outcome.result.files) {
          const uri = pathToFileURL(f.path).href;
          seen.add(uri);
          this.packages.setDisk(f.path, f.summary ?? null, f);
          if (this.docs.has(uri)) continue; // the open document's own analysis wins
          this.recordScanned(uri, f.diagnostics ?? []);
        }
        report.addPackage(outcome.result, fromCache, (file) => {
          const uri = pathToFileURL(file).href;
          const stored = this.analyses.get(uri);
          return stored ? this.diagnosticsOf(stored) : this.shown(uri, this.scanned.get(uri) ?? []);
        });
        const percent = Math.floor((done / Math.max(total, 1)) * 100);
        if (percent !== lastReport) {
          lastReport = percent;
          progress?.report(percent, `${done}/${total} files`);
          if (this.scanning === run) this.sendStatus('scanning', percent);
        }
    };
    // Unchanged packages come from the on-disk cache; the rest go to the workers.
    const misses: PackageJob[] = [];
    for (const job of jobs) {
      if (run.cancel) break;
      const hit = job.overlays ? null : this.cache?.get(job);
      if (hit) onDone({ result: hit }, job, true);
      else misses.push(job);
    }
    await this.pool.run(misses, onDone, () => run.cancel);
    if (!run.cancel) {
      // Files that were reported before and are gone (deleted, now excluded): clear them.
      for (const uri of [...this.scanned.keys()]) if (!seen.has(uri) && !this.docs.has(uri)) this.recordScanned(uri, []);
    }
    progress?.done();
    const current = this.scanning === run;
    if (current) this.scanning = null;
    this.hasScanned = true;
    for (const uri of this.docs.keys()) this.schedule(uri, 0); // cross-file facts may have changed
    // A scan superseded by a newer one says nothing: the newer one reports its own progress and totals.
    if (current) {
      this.sendStatus('idle');
      this.info(report.text(run.cancel ? 'cancelled' : 'done'));
    }
    const t = this.totals();
    return { files: done, findings: t.errors + t.warnings + t.infos, cancelled: run.cancel };
  }
}

declare const LEAKLINT_VERSION: string | undefined;
const SERVER_VERSION = typeof LEAKLINT_VERSION === 'string' ? LEAKLINT_VERSION : '0.0.0-dev';
