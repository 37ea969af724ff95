// Real goroutine dumps from the Go runtime: a copy of the fixtures module is built in a
// temporary folder (so the dumps carry that folder's paths, not the workspace's), a small
// program calls fixture leaks a known number of times, and writes the goroutine profile at
// debug=1 and debug=2 and runtime.Stack(all) output.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES } from './fixtures';

export const HAS_GO = spawnSync('go', ['version'], { encoding: 'utf8' }).status === 0;

/** How many goroutines each leak leaves, and where (files relative to test-fixtures, 1-based lines). */
export const EXPECTED = {
  race: { count: 40, file: 'abandoned-sender/positive.go', line: 81, state: 'chan send', createdLine: 80, rule: 'abandoned-sender' },
  poll: { count: 9, file: 'abandoned-sender/positive.go', line: 53, state: 'chan send', createdLine: 53, rule: 'abandoned-sender' },
  run: { count: 6, file: 'goroutine-without-cancel/positive.go', line: 21, state: 'sleep', createdLine: 18, rule: 'goroutine-without-cancel' },
  recognizer: { count: 4, file: 'unbuffered-result-chan/positive.go', line: 21, state: 'chan send', createdLine: 20, rule: 'unbuffered-result-chan' },
} as const;

const PROGRAM = `package main

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	as "example.com/fixtures/abandoned-sender"
	gwc "example.com/fixtures/goroutine-without-cancel"
	urc "example.com/fixtures/unbuffered-result-chan"
)

func main() {
	out := os.Args[1]
	for i := 0; i < ${EXPECTED.race.count / 2}; i++ {
		as.Race(3) // two of the three senders are left behind
	}
	for i := 0; i < ${EXPECTED.poll.count}; i++ {
		as.Poll()
	}
	for i := 0; i < ${EXPECTED.run.count}; i++ {
		(&gwc.Manager{}).Run(context.Background())
	}
	for i := 0; i < ${EXPECTED.recognizer.count}; i++ {
		(&urc.Recognizer{}).StartContinuousRecognitionAsync()
	}
	time.Sleep(500 * time.Millisecond) // every leaked goroutine reaches its blocking point
	write := func(name string, f func(*os.File)) {
		file, err := os.Create(filepath.Join(out, name))
		if err != nil {
			panic(err)
		}
		f(file)
		file.Close()
	}
	write("debug1.txt", func(f *os.File) { pprof.Lookup("goroutine").WriteTo(f, 1) })
	write("debug2.txt", func(f *os.File) { pprof.Lookup("goroutine").WriteTo(f, 2) })
	write("stack.txt", func(f *os.File) {
		buf := make([]byte, 1<<20)
		f.Write(buf[:runtime.Stack(buf, true)])
	})
}
`;

export interface RealDumps {
  /** Where the program was built: the paths the dumps carry. */
  buildDir: string;
  debug1: string;
  debug2: string;
  stack: string;
}

let made: RealDumps | undefined;

/** Builds and runs the program once per process; throws with Go's output if that fails. */
export function makeRealDumps(): RealDumps {
  if (made) return made;
  const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'leaklint-dumps-')));
  const buildDir = path.join(tmp, 'build', 'fixtures');
  fs.cpSync(FIXTURES, buildDir, { recursive: true, filter: (src) => !src.endsWith('.golden') });
  fs.mkdirSync(path.join(buildDir, 'zz_dumpgen'));
  fs.writeFileSync(path.join(buildDir, 'zz_dumpgen/main.go'), PROGRAM);
  const out = path.join(tmp, 'out');
  fs.mkdirSync(out);
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local', GOCACHE: path.join(os.tmpdir(), 'leaklint-gocache') };
  const r = spawnSync('go', ['run', './zz_dumpgen', out], { cwd: buildDir, env, encoding: 'utf8', timeout: 180_000 });
  if (r.status !== 0) throw new Error(`the dump program failed: ${r.stderr}${r.stdout}`);
  made = { buildDir, debug1: path.join(out, 'debug1.txt'), debug2: path.join(out, 'debug2.txt'), stack: path.join(out, 'stack.txt') };
  return made;
}
