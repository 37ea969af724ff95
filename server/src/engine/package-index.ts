// Facts one file exports to the rest of its package, and their union for a package.
// discarded-result-chan needs to know which functions of the package return a
// goroutine-fed unbuffered channel, wherever they are declared.
import type { Tree } from 'web-tree-sitter';
import { findResultChans, addBufferEdit } from './go/resultchan';
import { paramSends, type ParamSends } from './go/chans';
import { externalQualifiers, joinOwners, ownerFactOf, type Owner, type OwnerFact } from './go/owners';
import { endlessLoops } from './go/loops';
import { ctxParker } from './go/parkers';
import { ctxStreamOf, type CtxStream } from './go/streams';
import { ENDLESS, GO_STMT, MAKE_CHAN } from './go/hints';
import { STOP_METHODS } from './go/stop-methods';
import { field, funcKey, namedChildren, params, receiverTypeName, seedTopLevel, topLevel, type Node } from './go/syntax';
import type { LineIndex } from './positions';
import type { CoveringEdit, EditLog } from './edit-log';
import { noDeps, recordInto } from './decl-deps';
import { checkBudget, withTreeIndex } from './go/tree-index';
import type { Fix, Span } from './types';
import { detachAll, detached } from './source';

export interface ResultChanFunc {
  key: string;
  file: string;
  resultIndex: number;
  resultCount: number;
  make: Span;
  /** 1-based line of the make call, for messages. */
  line: number;
  /** The callee's own fix (make(chan T, 1)), with edits addressed to `file`. */
  fix: Fix | null;
}

export interface EndlessFunc {
  key: string;
  file: string;
  line: number;
  what: string;
  /** The loop's keyword, for a related location. */
  loop?: Span;
}

/** A function whose first result is a named type of its own package (`func NewX() *X`): calls to it make an X. */
export interface Constructor {
  key: string;
  type: string;
}

/** A function or method that parks a goroutine on the context its caller hands in (see go/parkers.ts). */
export interface CtxParker {
  key: string;
  file: string;
  /** 1-based line of the go statement, and its span. */
  line: number;
  go: Span;
  param: number | 'options';
}

/** A function returning a stream that ends only with its context parameter (go/streams.ts). */
export interface CtxStreamFunc {
  key: string;
  file: string;
  /** Line of the channel's make. */
  line: number;
  ctx: number;
}

export interface FileSummary {
  path: string;
  owners?: OwnerFact[];
  /** Import paths of the qualifiers the owner facts call constructors through (`core` → its path), and whether the name is explicit. */
  ownerImports?: Record<string, { path: string; named: boolean }>;
  chanSenders?: ({ key: string } & ParamSends)[];
  packageName: string;
  resultChans: ResultChanFunc[];
  endless: EndlessFunc[];
  packageVars: string[];
  constructors: Constructor[];
  ctxParkers?: CtxParker[];
  /** Names of fields some function closes or hands on (passes, returns, assigns elsewhere): see fieldsClosedOrShared. */
  closedFields?: string[];
  ctxStreams?: CtxStreamFunc[];
  /** Uses of setup-named functions (setupUses), by name: where each is named, 1-based lines. */
  setupUses?: Record<string, number[]>;
}

export function packageNameOf(root: Node): string {
  const clause = namedChildren(root).find((c) => c.type === 'package_clause');
  return clause?.namedChild(0)?.text ?? '';
}

/** What one top-level declaration contributes, with offsets and rows relative to its start. */
interface DeclFacts {
  vars: string[];
  ctor?: Constructor | null;
  owner?: OwnerFact | null;
  /** Positions of channel parameters the function sends on (go/chans.ts paramSends). */
  sends?: ({ key: string } & ParamSends) | null;
  parker?: { key: string; row: number; param: number | 'options'; go: Span } | null;
  closes?: string[];
  /** setupUses of the declaration: name → rows relative to its start. */
  setupUses?: Record<string, number[]>;
  stream?: ({ key: string } & CtxStream) | null;
  resultChan: (Omit<ResultChanFunc, 'file' | 'make' | 'line' | 'fix'> & { make: Span; row: number; edit: { start: number; end: number; newText: string } | null }) | null;
  endless: { key: string; row: number; what: string; start: number; end: number } | null;
}

/**
 * Per-declaration facts by declaration text, so that re-summarising a file after an edit
 * only analyses the declarations that changed. Entries not used by the latest summary are dropped.
 */
export class SummaryCache {
  /** Texts of the last summary's declarations in order, with their facts and where they were (start, end). */
  private order: string[] = [];
  private facts: (DeclFacts | undefined)[] = [];
  private spans: number[] = [];
  private nextOrder: string[] = [];
  private nextFacts: (DeclFacts | undefined)[] = [];
  private nextSpans: number[] = [];
  /** The last summary's facts by text, made when a declaration is not found in place. */
  private byText: Map<string, DeclFacts> | null = null;
  /** The edit log's count at the last summary. */
  private seq = -1;
  /** This summary: the edit since the last one (null: not known), and how its declarations line up with the last's. */
  private edit: CoveringEdit | null = null;
  private shiftAfter = 0;

  /** `log`: the document's edit log, which tells which declarations' text is the same without reading it. */
  constructor(private readonly log?: EditLog) {}

  /** Starts a summary of `count` declarations of a text `length` long. */
  begin(count: number, length: number): void {
    this.edit = this.log && this.order.length ? this.log.since(this.seq, length) : null;
    this.shiftAfter = count - this.order.length;
    this.byText = null;
    this.nextOrder = [];
    this.nextFacts = [];
    this.nextSpans = [];
  }

  /**
   * Facts of the next declaration, [start, end) of the text, if known. Its text is not read
   * when the edits since the last summary are elsewhere; otherwise declarations mostly come in
   * the last summary's order, and comparing with the one at the same place costs a memcmp
   * where a lookup would hash every text on every edit.
   */
  lookup(start: number, end: number, textOf: () => string): DeclFacts | undefined {
    const at = this.nextOrder.length;
    const e = this.edit;
    const j = !e ? -1 : end < e.start ? at : start > e.newEnd ? at - this.shiftAfter : -1;
    const d = e && j >= 0 && end >= e.start ? e.newEnd - e.oldEnd : 0;
    let key: string;
    let facts: DeclFacts | undefined;
    if (j >= 0 && j < this.order.length && this.spans[2 * j] + d === start && this.spans[2 * j + 1] + d === end) {
      key = this.order[j];
      facts = this.facts[j];
    } else {
      const text = textOf();
      const same = at < this.order.length && this.order[at] === text;
      key = same ? this.order[at] : detached(text);
      if (same) facts = this.facts[at];
      else {
        if (!this.byText) {
          this.byText = new Map();
          // With the edit known, only the declarations it touched can be found again by text
          // (one outside it is found by its place); hashing them all would read the whole file.
          for (let i = 0; i < this.order.length; i++) {
            if (this.facts[i] && (!e || (this.spans[2 * i + 1] >= e.start && this.spans[2 * i] <= e.oldEnd))) this.byText.set(this.order[i], this.facts[i]!);
          }
        }
        facts = this.byText.get(key);
      }
    }
    this.nextOrder.push(key);
    this.nextFacts.push(facts);
    this.nextSpans.push(start, end);
    return facts;
  }

  /** The facts of the declaration just looked up. */
  set(facts: DeclFacts): void {
    // Names read from the tree are slices of this version of the file: kept, they would keep it.
    this.nextFacts[this.nextFacts.length - 1] = detachAll(facts);
  }

  sweep(): void {
    this.order = this.nextOrder;
    this.facts = this.nextFacts;
    this.spans = this.nextSpans;
    this.nextOrder = [];
    this.nextFacts = [];
    this.nextSpans = [];
    this.byText = null;
    this.seq = this.log?.current ?? -1;
  }
}

/**
 * False when no declaration of `source` can hold a fact of declChanFacts or parkers (result
 * channels, endless loops, context parkers): they need a go statement or an endless loop in the
 * declaration's text, which is part of the file's. Owner facts and channel senders are told
 * per function (funcMayHoldFacts).
 */
export function mayHoldFacts(source: string): boolean {
  return GO_STMT.test(source) || ENDLESS.test(source);
}

/**
 * False when blanking the body of `func` (a function or method's whole text, its signature on
 * the first line) loses none of its facts. Besides mayHoldFacts: a channel parameter it may send
 * on (chanSenders), and the owner facts of a method (go/owners.ts) when its receiver may be one
 * of `ownerTypes` (null: any type; empty: owner facts are not wanted, as a dependency's are
 * never read).
 */
export function funcMayHoldFacts(func: string, ownerTypes: ReadonlySet<string> | null): boolean {
  if (mayHoldFacts(func)) return true;
  const nl = func.indexOf('\n');
  const signature = nl < 0 ? func : func.slice(0, nl);
  if (func.includes('<-') && /\bchan\b/.test(signature)) return true;
  if (!/^func\s*\(/.test(signature)) return false;
  if (!ownerTypes) return true;
  const receiver = /^func\s*\(([^()]*)\)/.exec(signature);
  // A receiver we cannot read plainly: keep the body.
  return !receiver || identifiers(receiverType(receiver[1])).some((id) => ownerTypes.has(id));
}

/** A receiver's type: `x *T[K]` → `*T[K]`. */
function receiverType(receiver: string): string {
  return receiver.replace(/^\s*[\p{L}_][\p{L}\p{Nd}_]*\s+(?=[*\p{L}_(])/u, '');
}

/**
 * Types whose owner facts (go/owners.ts) can matter to a rule: those with a Stop, Close or
 * Shutdown method. Every owner fact is joined per type, and both readers (owner-never-stopped,
 * release-skipped) look only at a type with such a method. Told from the text of every file of
 * the package, by the words on a line declaring such a method (a superset of its receiver type);
 * null when a declaration is laid out so that this cannot tell (then every method counts).
 */
export function ownerTypesIn(sources: Iterable<string>): Set<string> | null {
  const out = new Set<string>();
  for (const source of sources) {
    if (!STOP_NAME.test(source)) continue;
    let done = -1;
    for (const m of source.matchAll(STOP_WORD)) {
      if (m.index! < done) continue; // on a line already read
      const start = source.lastIndexOf('\n', m.index!) + 1;
      const nl = source.indexOf('\n', m.index!);
      done = nl < 0 ? source.length : nl;
      const line = source.slice(start, done);
      const at = STOP_DECL.exec(line);
      if (!at || /^\s*\/\//.test(line)) continue;
      // `func (\n\tx *T) Stop()`: the receiver starts on another line.
      if (!/\bfunc\b/.test(line.slice(0, at.index))) return null;
      // The receiver's type; on a line laid out otherwise, every word of it.
      const receiver = STOP_RECEIVER.exec(line);
      for (const id of identifiers(receiver ? receiverType(receiver[1]) : line)) out.add(id);
    }
  }
  return out;
}

// The names of STOP_METHODS as text (these read lines, not trees).
const STOPS = [...STOP_METHODS].join('|');
const STOP_NAME = new RegExp(`\\b(?:${STOPS})\\s*[[(]`);
const STOP_WORD = new RegExp(`\\b(?:${STOPS})\\b`, 'g');
/** Where a stop method may be declared on a line: its name follows a `)`. */
const STOP_DECL = new RegExp(`\\)\\s*(?:${STOPS})\\s*[[(]`);
const STOP_RECEIVER = new RegExp(`^\\s*func\\s*\\(([^()]*)\\)\\s*(?:${STOPS})\\s*[[(]`);

function identifiers(text: string): string[] {
  return text.match(/[\p{L}_][\p{L}\p{Nd}_]*/gu) ?? [];
}

const NO_FACTS: DeclFacts = { vars: [], resultChan: null, endless: null };

/** Whether the owner fact of a method or constructor can matter: its type is one of `ownerTypes` (null: all). */
function ownerWanted(decl: Node, ctor: Constructor | null, ownerTypes: ReadonlySet<string> | null): boolean {
  if (!ownerTypes) return true;
  const recv = ctor ? null : params(decl, 'receiver')[0];
  const type = ctor ? ctor.type : recv ? receiverTypeName(recv.type) : null;
  return type === null || ownerTypes.has(type);
}

/** `original`: the declaration's unblanked text (quiet.ts keeps offsets), for the facts read from text. */
function declFacts(decl: Node, text: string, ownerTypes: ReadonlySet<string> | null, original = text): DeclFacts {
  if (decl.type === 'var_declaration') {
    const vars: string[] = [];
    for (const spec of decl.descendantsOfType('var_spec')) for (const n of spec?.childrenForFieldName('name') ?? []) if (n) vars.push(n.text);
    const uses = setupUses(original);
    return { vars, resultChan: null, endless: null, ...(uses ? { setupUses: uses } : {}) };
  }
  if (decl.type !== 'function_declaration' && decl.type !== 'method_declaration') return NO_FACTS;
  // Read from the text, so the same with or without a parse error (a blanked body may have none).
  const closes = fieldsClosedOrShared(original);
  const uses = setupUses(original);
  const textFacts = { ...(closes.length ? { closes } : {}), ...(uses ? { setupUses: uses } : {}) };
  if (decl.hasError) return closes.length || uses ? { ...NO_FACTS, ...textFacts } : NO_FACTS;
  const ctor = constructorOf(decl);
  const facts = declChanFacts(decl, text);
  const parker = text.includes('.Done()') && GO_STMT.test(text) ? parkerOf(decl) : null;
  const owner = (decl.type === 'method_declaration' || ctor) && ownerWanted(decl, ctor, ownerTypes) ? ownerFactOf(decl, ctor?.type ?? null) : null;
  const key = text.includes('<-') && text.includes('chan') ? funcKey(decl) : null;
  const at = key ? paramSends(decl) : null;
  const sends = key && at && at.sync.length + at.async.length > 0 ? { key, ...at } : null;
  const streamKey = text.includes('.Done()') && GO_STMT.test(text) && MAKE_CHAN.test(text) ? funcKey(decl) : null;
  const shape = streamKey ? ctxStreamOf(decl) : null;
  const stream = shape && streamKey ? { key: streamKey, ...shape } : null;
  return ctor || parker || owner || sends || stream || closes.length || uses ? { ...facts, ctor, parker, owner, sends, stream, ...textFacts } : facts;
}

/**
 * Field names a function closes (`close(x.f)`; a local alias is caught where it is assigned) or lets go under another name (an argument
 * other than len/cap's, an assignment's value, a return value): a channel field in this set
 * may be closed somewhere, so a range over it is not known to be endless. Read from the
 * text, so a false match only makes a rule quieter.
 */
export function fieldsClosedOrShared(text: string): string[] {
  if (!text.includes('.')) return [];
  const out = new Set<string>();
  for (const m of text.matchAll(/\bclose\(\s*[\w.]+\.(\w+)\s*\)/g)) out.add(m[1]);
  for (const m of text.matchAll(/(\b(?:len|cap)\(|[(,=]|\breturn\b)\s*&?\w+(?:\.\w+)*\.([a-z_]\w*)\s*(?=[,)\n;}]|$)/g)) if (!/^(len|cap)/.test(m[1])) out.add(m[2]);
  return [...out];
}

const SETUP_NAME = /(?<!["\w])(?:init|setup)[A-Z0-9_]\w*(?![\w"])/g;
const FUNC_HEADER = /^func\s*(?:\([^)]*\)\s*)?$/;

/**
 * Where a declaration names a function or method called setupX or initX (other than in its own
 * header, a string or a `//` comment): `go/once.ts` takes a setup function named exactly once
 * in its package to run once. Read from the text, so the same with bodies blanked or not.
 * Rows are relative to the declaration's first line.
 */
export function setupUses(text: string): Record<string, number[]> | null {
  if (!text.includes('init') && !text.includes('setup')) return null;
  let out: Record<string, number[]> | null = null;
  const lines = text.split('\n');
  for (let row = 0; row < lines.length; row++) {
    const line = lines[row].replace(/(^|\s)\/\/.*$/, '$1');
    for (const m of line.matchAll(SETUP_NAME)) {
      if (row === 0 && FUNC_HEADER.test(line.slice(0, m.index).trimStart())) continue;
      ((out ??= {})[m[0]] ??= []).push(row);
    }
  }
  return out;
}

function parkerOf(decl: Node): DeclFacts['parker'] {
  const key = funcKey(decl);
  const shape = key ? ctxParker(decl) : null;
  return shape && key ? { key, row: shape.go.startPosition.row - decl.startPosition.row, param: shape.param, go: { start: shape.go.startIndex - decl.startIndex, end: shape.go.startIndex - decl.startIndex + 2 } } : null;
}

/** `func F(...) *T` / `(T, error)` with T a plain type name of this package. */
function constructorOf(decl: Node): Constructor | null {
  if (decl.type !== 'function_declaration') return null;
  const name = field(decl, 'name')?.text;
  let result = field(decl, 'result');
  if (!name || !result) return null;
  if (result.type === 'parameter_list') {
    const first = namedChildren(result).find((c) => c.type === 'parameter_declaration');
    result = first ? field(first, 'type') : null;
  }
  if (result?.type === 'pointer_type') result = result.namedChild(0);
  return result?.type === 'type_identifier' ? { key: name, type: result.text } : null;
}

function declChanFacts(decl: Node, text: string): DeclFacts {
  const mayReturnChan = GO_STMT.test(text) && MAKE_CHAN.test(text);
  const mayLoop = ENDLESS.test(text);
  if (!mayReturnChan && !mayLoop) return NO_FACTS;
  const key = funcKey(decl);
  const body = field(decl, 'body');
  if (!key || !body) return NO_FACTS;
  const base = decl.startIndex;
  const row0 = decl.startPosition.row;
  const rc = mayReturnChan ? findResultChans(decl)[0] : undefined;
  const edit = rc?.oneSendPerPath ? addBufferEdit(rc.chan.make, '1') : null;
  const loop = mayLoop ? endlessLoops(body).find((l) => l.kind !== 'chan') : undefined;
  return {
    vars: [],
    resultChan: rc
      ? {
          key,
          resultIndex: rc.resultIndex,
          resultCount: rc.resultCount,
          make: { start: rc.chan.make.startIndex - base, end: rc.chan.make.endIndex - base },
          row: rc.chan.make.startPosition.row - row0,
          edit: edit ? { ...edit, start: edit.start - base, end: edit.end - base } : null,
        }
      : null,
    endless: loop ? { key, row: loop.node.startPosition.row - row0, what: loop.what, start: loop.node.startIndex - base, end: loop.node.endIndex - base } : null,
  };
}

/**
 * `ownerTypes`: owner facts only for these types (ownerTypesIn over the package; the others are
 * never read), for a one-off summary; null or absent: all, as a summary kept across edits needs.
 * `lines`: the LineIndex of `source`, for an open document summarised with its cache.
 */
export function summarize(path: string, tree: Tree, source: string, cache?: SummaryCache, ownerTypes: ReadonlySet<string> | null = null, original = source, lines?: LineIndex): FileSummary {
  // Parents from the tree index, so a deeply nested file stays linear (go/tree-index.ts).
  return withTreeIndex(tree, () => summarizeTree(path, tree, source, cache, cache ? null : ownerTypes, original, lines));
}

const SUMMARISED = new Set(['var_declaration', 'function_declaration', 'method_declaration']);

/** `original`: the file before quiet.ts blanked bodies in `source` (same offsets), read for text facts. */
function summarizeTree(path: string, tree: Tree, source: string, cache: SummaryCache | undefined, ownerTypes: ReadonlySet<string> | null, original: string, lines?: LineIndex): FileSummary {
  const root = tree.rootNode;
  // With a cache (an open document, summarised after every edit) and its lines, declarations
  // are listed without a JavaScript object each, and made into nodes only when not cached.
  const listed = cache && lines ? topLevel(tree) : null;
  if (listed) seedTopLevel(tree, listed);
  const clause = listed?.find((e) => e.type === 'package_clause');
  const packageName = !listed ? packageNameOf(root) : clause ? ((clause.node ??= root.namedChild(clause.index))?.namedChild(0)?.text ?? '') : '';
  const summary: FileSummary = { path, packageName, resultChans: [], endless: [], packageVars: [], constructors: [] };
  const decls = listed ?? namedChildren(root).map((n, index) => ({ start: n.startIndex, end: n.endIndex, type: n.type, node: n as Node | null, index }));
  let all: (Node | null)[] | null = null;
  let made = 0;
  if (cache) {
    let count = 0;
    for (let i = 0; i < decls.length; i++) if (SUMMARISED.has(decls[i].type)) count++;
    cache.begin(count, source.length);
  }
  // A tree with errors is not cached from or into: error recovery can read the same text differently.
  const broken = cache ? root.hasError : false;
  for (let i = 0; i < decls.length; i++) {
    const d = decls[i];
    if (!SUMMARISED.has(d.type)) continue;
    checkBudget();
    const found = cache?.lookup(d.start, d.end, () => source.slice(d.start, d.end));
    let facts = broken ? undefined : found;
    if (!facts) {
      // A few declarations: namedChild walks the root's children in C; many (the first summary): list them once.
      const decl = (d.node ??= ++made > 16 ? (all ??= root.namedChildren)[d.index] : root.namedChild(d.index))!;
      const text = source.slice(d.start, d.end);
      // What the facts read beyond the declaration (a struct field's type, read from the root): such facts are not kept.
      const deps = cache ? noDeps() : null;
      facts = recordInto(deps, () => declFacts(decl, text, ownerTypes, original === source ? text : original.slice(d.start, d.end)));
      if (cache && !broken && !deps!.file && !deps!.includes.length) cache.set(facts);
    }
    if (facts === NO_FACTS) continue;
    const row0 = lines ? lines.lineOf(d.start) : d.node!.startPosition.row;
    summary.packageVars.push(...facts.vars);
    if (facts.ctor) summary.constructors.push(facts.ctor);
    if (facts.owner) (summary.owners ??= []).push(facts.owner);
    if (facts.sends) (summary.chanSenders ??= []).push(facts.sends);
    if (facts.closes) (summary.closedFields ??= []).push(...facts.closes);
    for (const [name, rows] of Object.entries(facts.setupUses ?? {})) ((summary.setupUses ??= {})[name] ??= []).push(...rows.map((r) => r + row0 + 1));
    if (facts.stream) (summary.ctxStreams ??= []).push({ key: facts.stream.key, file: path, line: facts.stream.row + row0 + 1, ctx: facts.stream.ctx });
    const base = d.start;
    if (facts.parker) (summary.ctxParkers ??= []).push({ key: facts.parker.key, file: path, line: facts.parker.row + row0 + 1, param: facts.parker.param, go: { start: facts.parker.go.start + base, end: facts.parker.go.end + base } });
    const rc = facts.resultChan;
    if (rc) {
      summary.resultChans.push({
        key: rc.key,
        file: path,
        resultIndex: rc.resultIndex,
        resultCount: rc.resultCount,
        make: { start: rc.make.start + base, end: rc.make.end + base },
        line: rc.row + row0 + 1,
        fix: rc.edit
          ? { kind: 'callee-add-buffer', title: `Buffer the channel in ${rc.key} (make(chan T, 1))`, edits: [{ start: rc.edit.start + base, end: rc.edit.end + base, newText: rc.edit.newText, file: path }] }
          : null,
      });
    }
    if (facts.endless) summary.endless.push({ key: facts.endless.key, file: path, line: facts.endless.row + row0 + 1, what: facts.endless.what, loop: { start: facts.endless.start + base, end: facts.endless.end + base } });
  }
  cache?.sweep();
  const qualifiers = summary.owners ? externalQualifiers(summary.owners) : new Set<string>();
  if (qualifiers.size) {
    const imports = importPaths(root);
    for (const q of qualifiers) if (imports.has(q)) (summary.ownerImports ??= {})[q] = imports.get(q)!;
  }
  return summary;
}

/** Import paths by the name a file uses for them: the explicit name, else the path's last element (checked against the package's own name when it is read). */
function importPaths(root: Node): Map<string, { path: string; named: boolean }> {
  const out = new Map<string, { path: string; named: boolean }>();
  for (const decl of namedChildren(root)) {
    if (decl.type !== 'import_declaration') continue;
    for (const spec of decl.descendantsOfType('import_spec')) {
      const p = spec && field(spec, 'path')?.text.replace(/^["`]|["`]$/g, '');
      if (!spec || !p) continue;
      const name = field(spec, 'name')?.text;
      if (name === '_' || name === '.') continue;
      const last = p.split('/').filter((e) => !/^v\d+$/.test(e)).pop() ?? p;
      out.set(name ?? last, { path: p, named: !!name });
    }
  }
  return out;
}

export class PackageIndex {
  readonly resultChans = new Map<string, ResultChanFunc>();
  readonly endless = new Map<string, EndlessFunc>();
  readonly packageVars = new Set<string>();
  /** Constructor name → the type it makes. */
  readonly constructors = new Map<string, string>();
  readonly ctxParkers = new Map<string, CtxParker>();
  /** Types of the package that own long-running goroutines (go/owners.ts). */
  owners: Map<string, Owner>;
  private readonly ownerFacts: OwnerFact[];
  /** Imported packages owner facts call constructors of (see linkOwners). */
  readonly ownerImports = new Map<string, { path: string; named: boolean }>();
  private linked = false;
  /** Function or method key → positions of channel parameters it sends on. */
  readonly chanSenders = new Map<string, ParamSends>();
  /** Field names some function of the package closes or hands on (fieldsClosedOrShared). */
  readonly closedOrShared = new Set<string>();
  /** Functions returning a stream that ends only with their context parameter. */
  readonly ctxStreams = new Map<string, CtxStreamFunc>();
  /** Setup-named functions (setupUses) → every place the package names them. */
  readonly setupUses = new Map<string, { file: string; line: number }[]>();
  readonly packageName: string;

  static readonly empty = new PackageIndex([]);

  constructor(summaries: FileSummary[]) {
    this.packageName = summaries[0]?.packageName ?? '';
    this.ownerFacts = summaries.flatMap((s) => s.owners ?? []);
    this.owners = joinOwners(this.ownerFacts);
    for (const s of summaries) {
      for (const [q, imp] of Object.entries(s.ownerImports ?? {})) this.ownerImports.set(q, imp);
      for (const r of s.resultChans) this.resultChans.set(r.key, r);
      for (const e of s.endless) this.endless.set(e.key, e);
      for (const v of s.packageVars) this.packageVars.add(v);
      for (const c of s.constructors ?? []) this.constructors.set(c.key, c.type);
      for (const p of s.ctxParkers ?? []) this.ctxParkers.set(p.key, p);
      for (const c of s.chanSenders ?? []) this.chanSenders.set(c.key, { sync: c.sync, async: c.async });
      for (const f of s.closedFields ?? []) this.closedOrShared.add(f);
      for (const c of s.ctxStreams ?? []) this.ctxStreams.set(c.key, c);
      for (const [name, lines] of Object.entries(s.setupUses ?? {})) {
        const at = this.setupUses.get(name) ?? [];
        for (const line of lines) at.push({ file: s.path, line });
        this.setupUses.set(name, at);
      }
    }
  }

  /**
   * Joins the owner facts again knowing which constructors of imported packages start
   * goroutines (`resolve` gives an imported package's index, or null). Once per index.
   */
  linkOwners(resolve: (importPath: string, named: boolean, qualifier: string) => PackageIndex | null): void {
    if (this.linked || this.ownerImports.size === 0) return;
    this.linked = true;
    const deps = new Map<string, PackageIndex | null>();
    const dep = (q: string) => {
      if (!deps.has(q)) {
        const imp = this.ownerImports.get(q);
        deps.set(q, imp ? resolve(imp.path, imp.named, q) : null);
      }
      return deps.get(q);
    };
    this.owners = joinOwners(this.ownerFacts, (q, ctor) => {
      const d = dep(q);
      const type = d?.constructors.get(ctor);
      return !!type && !!d!.owners.get(type)?.startingCtors.has(ctor) && d!.owners.get(type)!.stops.length > 0;
    });
  }

  /** Methods named `name` on any type, for calls whose receiver type we could not resolve. */
  methodsNamed(name: string): ResultChanFunc[] {
    return [...this.resultChans.values()].filter((r) => r.key.endsWith(`.${name}`));
  }
}
