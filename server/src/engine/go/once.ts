// Setup code that runs once: the goroutines it starts are meant to live as long as the process.
import type { PackageIndex } from '../package-index';
import { enclosingFunc, field, isInsideLoop, type Node } from './syntax';

const SETUP = /^(?:init|setup)[A-Z0-9_]/;

export interface OnceSetup {
  name: string;
  /** The one place the package names the function (a call, or a value handed on). */
  use: { file: string; line: number };
}

/**
 * The `go` statement is directly in the body of an unexported function or method named initX
 * or setupX (not in a loop there, not in a closure), outside a test file, and the package
 * names that function in exactly one place: setup that runs once per caller, and its one
 * caller is all the package has (minio's initDataScanner, moby's setupDumpStackTrap). The
 * count is read from the text of every file of the package (package-index.ts setupUses);
 * a use hidden in a loop is the case this cannot see, which is why a goroutine it excuses
 * is still reported, as Information.
 */
export function onceSetup(go: Node, path: string, pkg: PackageIndex): OnceSetup | null {
  if (path.endsWith('_test.go')) return null;
  const fn = enclosingFunc(go);
  if (fn?.type !== 'function_declaration' && fn?.type !== 'method_declaration') return null;
  const name = field(fn, 'name')?.text ?? '';
  if (!SETUP.test(name) || isInsideLoop(go, fn)) return null;
  const uses = pkg.setupUses.get(name);
  return uses?.length === 1 ? { name, use: uses[0] } : null;
}
