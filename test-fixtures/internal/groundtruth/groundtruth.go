// Package groundtruth runs a fixture case and shows, from the runtime's own goroutine
// dump, whether it leaves goroutines behind: the ground truth for the static rules.
package groundtruth

import (
	"bytes"
	"os"
	"regexp"
	"runtime"
	"testing"
	"time"
)

// Case is one fixture function, called the way a reasonable caller would call it.
type Case struct {
	Name string
	// File is the fixture file the case lives in (for LEAKLINT_FIXED).
	File string
	// Leaks: the case leaves at least one goroutine blocked or looping forever.
	Leaks bool
	// FixedBy lists the quick-fix kinds (golden sections of File) that cure the leak;
	// "other.go:kind" names a fix in another file of the package (a callee's).
	FixedBy []string
	// Note says why a case is expected to leak although no rule reports it, or the like.
	Note string
	Run  func()
}

// settle is how long a non-leaking goroutine may take to finish.
const settle = 2 * time.Second

// linger is how long a leaked goroutine must stay to count as leaked.
const linger = 300 * time.Millisecond

var header = regexp.MustCompile(`^goroutine (\d+) \[([^\]]*)\]:`)

type goroutine struct {
	id    string
	state string
	stack string
}

func dump() map[string]goroutine {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]goroutine{}
	for _, block := range bytes.Split(buf, []byte("\n\n")) {
		m := header.FindSubmatch(block)
		if m == nil {
			continue
		}
		out[string(m[1])] = goroutine{id: string(m[1]), state: string(m[2]), stack: string(block)}
	}
	return out
}

// Expected reports whether c should leak given the fix applied, if any
// (LEAKLINT_FIXED="file.go:kind" is set by the test suite when a golden fix is overlaid).
func Expected(c Case) bool {
	fixed := os.Getenv("LEAKLINT_FIXED")
	for _, k := range c.FixedBy {
		if fixed == k || fixed == c.File+":"+k {
			return false
		}
	}
	return c.Leaks
}

// Check runs c in a fresh goroutine and compares what stays behind with Expected(c).
func Check(t *testing.T, c Case) {
	t.Helper()
	want := Expected(c)
	before := dump()
	// The case runs on a goroutine of its own: if it never returns, that goroutine is the leak.
	go c.Run()
	start := time.Now()
	var left []goroutine
	for {
		time.Sleep(10 * time.Millisecond)
		left = left[:0]
		for id, g := range dump() {
			if _, old := before[id]; !old {
				left = append(left, g)
			}
		}
		elapsed := time.Since(start)
		if len(left) == 0 || elapsed > settle || (want && elapsed > linger) {
			break
		}
	}
	states := make([]string, 0, len(left))
	for _, g := range left {
		states = append(states, g.state)
	}
	switch {
	case want && len(left) == 0:
		t.Errorf("LEAK EXPECTED, none found: every goroutine of %s finished", c.Name)
	case !want && len(left) > 0:
		t.Errorf("UNEXPECTED LEAK: %d goroutine(s) left behind in %v\n%s", len(left), states, left[0].stack)
	case want:
		t.Logf("leaked as expected: %d goroutine(s) in %v", len(left), states)
	default:
		t.Logf("clean as expected")
	}
}

// RunAll checks every case as a subtest, after logging the cases that are reviewed by
// hand only (name → why the runtime cannot show them).
func RunAll(t *testing.T, cases []Case, reviewedOnly map[string]string) {
	for name, why := range reviewedOnly {
		t.Logf("reviewed only: %s: %s", name, why)
	}
	for _, c := range cases {
		c := c
		t.Run(c.Name, func(t *testing.T) { Check(t, c) })
	}
}

// FakeT stops the calling goroutine on Fatal and FailNow, as testing.T does (runtime.Goexit),
// without failing the harness's own test; Cleanup functions run when the fake test ends.
// Only the methods the fixtures call are implemented.
type FakeT struct {
	testing.TB
	cleanups *[]func()
}

func (FakeT) Fatal(...any)          { runtime.Goexit() }
func (FakeT) Fatalf(string, ...any) { runtime.Goexit() }
func (FakeT) FailNow()              { runtime.Goexit() }
func (FakeT) Error(...any)          {}
func (FakeT) Errorf(string, ...any) {}
func (t FakeT) Cleanup(f func())    { *t.cleanups = append(*t.cleanups, f) }

// AsTest runs f on its own goroutine with a FakeT, as go test runs a test, and waits for it
// (and its cleanups) to end.
func AsTest(f func(t testing.TB)) func() {
	return func() {
		done := make(chan struct{})
		go func() {
			var cleanups []func()
			defer close(done)
			defer func() {
				for i := len(cleanups) - 1; i >= 0; i-- {
					cleanups[i]()
				}
			}()
			f(FakeT{cleanups: &cleanups})
		}()
		<-done
	}
}
