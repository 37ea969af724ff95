// Calls that stop a function from going on: the process ends (panic, os.Exit, log.Fatal), or
// only the goroutine does (runtime.Goexit and the test helpers built on it: t.Fatal, t.FailNow,
// t.Skip, testify's require, gotest.tools' assert, shoenig's must).
import { calleeName, type Node } from './syntax';
import { sourceIncludes } from '../decl-deps';

const PROCESS_EXIT = /^(panic|os\.Exit|(log|klog|glog|logrus)\.(Fatal|Fatalf|Fatalln|Panic|Panicf|Panicln))$/;
const TEST_EXIT = /^(runtime\.Goexit|\w+\.(Fatal|Fatalf|FailNow|Skip|Skipf|SkipNow)|require\.\w+|must\.\w+)$/;

/** panic(...), os.Exit, log.Fatal* and the same on the common loggers: the process ends. */
export function endsProcess(call: Node): boolean {
  const name = call.type === 'call_expression' ? calleeName(call) : null;
  return !!name && PROCESS_EXIT.test(name);
}

/**
 * A call that ends the calling goroutine but not the process (when it fires): Goexit, t.Fatal*,
 * t.FailNow, t.Skip*, require.*, must.*, s.Require().X, and gotest.tools' assert.* (which calls
 * FailNow; testify's assert does not, so `source` decides by the file's imports).
 */
export function endsGoroutine(call: Node, source: string): boolean {
  // `source`: the whole file (what it imports is read from it).
  if (call.type !== 'call_expression') return false;
  const name = calleeName(call);
  if (name) {
    if (PROCESS_EXIT.test(name)) return false;
    if (TEST_EXIT.test(name)) return true;
    if (/^assert\.\w+$/.test(name)) return sourceIncludes(source, '"gotest.tools/v3/assert"') || sourceIncludes(source, '"gotest.tools/assert"');
    return false;
  }
  const fn = call.childForFieldName('function');
  return !!fn && /\.Require\(\)\.\w+$/.test(fn.text);
}
