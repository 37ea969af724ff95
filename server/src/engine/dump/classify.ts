// What a frame's function name tells: its package, whether that package is Go's own
// (runtime, sync, net/http, …), and — for debug=1 profiles, which print no wait state —
// the state the runtime frames on top of a stack mean.
import type { Frame } from './parse';

/** The import path of a function symbol as the runtime prints it ("%2e" escapes dots of the last element). */
export function packagePath(func: string): string {
  const slash = func.lastIndexOf('/');
  const dot = func.indexOf('.', slash + 1);
  const pkg = dot < 0 ? func : func.slice(0, dot);
  return pkg.includes('%') ? safeDecode(pkg) : pkg;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Standard library: the first path element has no dot (runtime, sync, net/http, internal/poll),
 * except the user's own `main` and dotless module paths the workspace declares.
 */
export function isStdlib(func: string, userModules: readonly string[] = []): boolean {
  const pkg = packagePath(func);
  if (pkg === 'main' || pkg === 'command-line-arguments' || pkg.startsWith('main_test')) return false;
  const first = pkg.split('/', 1)[0];
  if (first.includes('.')) return false;
  return !userModules.some((m) => pkg === m || pkg.startsWith(m + '/') || pkg === m + '_test');
}

const STATE_OF: Record<string, string> = {
  'runtime.chansend': 'chan send',
  'runtime.chansend1': 'chan send',
  'runtime.chanrecv': 'chan receive',
  'runtime.chanrecv1': 'chan receive',
  'runtime.chanrecv2': 'chan receive',
  'runtime.selectgo': 'select',
  'runtime.block': 'select (no cases)',
  'sync.runtime_notifyListWait': 'sync.Cond.Wait',
  'sync.(*Cond).Wait': 'sync.Cond.Wait',
  'runtime.semacquire1': 'semacquire',
  'sync.runtime_Semacquire': 'semacquire',
  'sync.runtime_SemacquireMutex': 'semacquire',
  'sync.runtime_SemacquireRWMutex': 'semacquire',
  'sync.runtime_SemacquireRWMutexR': 'semacquire',
  'sync.runtime_SemacquireWaitGroup': 'semacquire',
  'sync.(*WaitGroup).Wait': 'semacquire',
  'sync.(*Mutex).Lock': 'semacquire',
  'sync.(*RWMutex).Lock': 'semacquire',
  'sync.(*RWMutex).RLock': 'semacquire',
  'internal/poll.runtime_pollWait': 'IO wait',
  'runtime.netpollblock': 'IO wait',
  'time.Sleep': 'sleep',
  'runtime.timeSleep': 'sleep',
  'runtime.notetsleepg': 'syscall',
  'os/signal.signal_recv': 'syscall',
  'syscall.Syscall': 'syscall',
  'syscall.Syscall6': 'syscall',
  'syscall.RawSyscall': 'syscall',
  'runtime.cgocall': 'syscall',
  'runtime.Stack': 'running',
  'runtime.goroutineProfileWithLabels': 'running',
  'runtime/pprof.writeRuntimeProfile': 'running',
  'runtime/pprof.writeGoroutineStacks': 'running',
  'runtime.Gosched': 'runnable',
};

/** Frames that only park: look further down for what they wait on. */
const PARKING = new Set(['runtime.gopark', 'runtime.goparkunlock', 'runtime.park_m', 'runtime.mcall', 'runtime.semacquire', 'runtime.selectnbrecv']);

/**
 * The wait state a debug=1 stack implies from the standard-library frames on top of it
 * (time.Sleep, sync.(*WaitGroup).Wait, internal/poll…). Null when the innermost frame shown
 * is the user's: debug=1 hides the runtime's own frames (chansend, selectgo), so the state
 * is then read off the site's source line (stateFromLine).
 */
export function inferState(frames: readonly Frame[]): string | null {
  for (const f of frames.slice(0, 8)) {
    const state = STATE_OF[f.func];
    if (state) return state;
    if (PARKING.has(f.func)) continue;
    if (!isStdlib(f.func)) return null;
  }
  return frames.length ? 'unknown' : null;
}

/** The blocking operation a Go source line holds, if it holds exactly one kind. */
export function stateFromLine(text: string): string | null {
  const code = text.replace(/\/\/.*$/, '').replace(/"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'/g, '""');
  const found = new Set<string>();
  if (/^\s*select\s*\{/.test(code)) found.add('select');
  // A send has an operand before the arrow; `<-ch` alone (or after = ( , : return case) is a receive.
  for (const m of code.matchAll(/(\S?)\s*<-/g)) found.add(m[1] && !/[=(,:{[]/.test(m[1]) && !/\b(return|case)\s*<-/.test(code.slice(0, m.index! + m[0].length)) ? 'chan send' : 'chan receive');
  if (/\.Wait\(\)/.test(code) && !found.size) found.add('semacquire');
  if (/\.R?Lock\(\)/.test(code) && !found.size) found.add('semacquire');
  if (/\btime\.Sleep\(/.test(code)) found.add('sleep');
  return found.size === 1 ? [...found][0] : null;
}
