//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package waitgroupmisuse

import (
	"errors"
	"sync"
	"testing"
	"time"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

var errBoom = errors.New("boom")

func failing() error { return errBoom }

// Cases that cannot be shown by running them, with why (reviewed by hand instead).
var reviewedOnly = map[string]string{
	"AddInside":       "a race, not a block: Wait may return before the goroutines' Add; only the race detector or luck shows it",
	"AddInsideOnce":   "a race, not a block (as AddInside)",
	"Pool.Submit":     "a race, not a block (as AddInside)",
	"PanicBeforeDone": "negative: its only other path panics in a goroutine, which ends the test process",
	"FatalBeforeDone": "negative: its only other path calls log.Fatal, which ends the test process",
	"CountTooLow":     "Done past zero panics in a goroutine, which ends the test process",
	"Pool.run":        "a copy of a zero WaitGroup does not block; the finding is about the copy (go vet's copylocks agrees)",
}

var cases = []gt{
	// Positive: the function's Wait never returns (the goroutine running it stays in semacquire).
	{Name: "ReturnBeforeDone", File: "positive.go", Leaks: true, FixedBy: []string{"defer-done"}, Run: func() { ReturnBeforeDone([]string{"no-such-scheme://x"}) }},
	{Name: "DoneInBranch", File: "positive.go", Leaks: true, FixedBy: []string{"defer-done"}, Run: func() { DoneInBranch(false) }},
	{Name: "DoneThroughHelper", File: "negative.go", Run: func() { DoneThroughHelper(3) }},
	{Name: "NoDone", File: "positive.go", Leaks: true, FixedBy: []string{"defer-done"}, Run: func() { NoDone([]func(){func() {}}) }},
	{Name: "StartWorkers", File: "positive.go", Leaks: true, FixedBy: []string{"pointer-param"}, Run: StartWorkers},
	{Name: "ByValueLiteral", File: "positive.go", Leaks: true, FixedBy: []string{"pointer-param"}, Run: ByValueLiteral},
	{Name: "CountTooHigh", File: "positive.go", Leaks: true, FixedBy: []string{"fix-count"}, Run: CountTooHigh},
	{Name: "LoopReturn", File: "positive.go", Leaks: true, FixedBy: []string{"defer-done"}, Run: func() { _ = LoopReturn([]int{1, -1}) }},
	{Name: "Map", File: "positive.go", Leaks: true, FixedBy: []string{"defer-done"}, Run: func() {
		Map([]int{1, 2}, func(int) (int, error) { return 0, errBoom })
	}},
	{Name: "RecoveredPanicBeforeDone", File: "positive.go", Leaks: true, FixedBy: []string{"defer-done"}, Run: func() { RecoveredPanicBeforeDone(-1) }},
	{Name: "並行", File: "cjk_crlf.go", Leaks: true, FixedBy: []string{"defer-done"}, Run: func() { 並行([]func() error{failing}) }},

	// Negative.
	{Name: "PanicBeforeDoneHappyPath", File: "negative.go", Run: func() { PanicBeforeDone(1) }},
	{Name: "Deferred", File: "negative.go", Run: func() { Deferred([]string{"no-such-scheme://x"}) }},
	{Name: "DoneAtEnd", File: "negative.go", Run: DoneAtEnd},
	{Name: "ByPointer", File: "negative.go", Run: ByPointer},
	{Name: "HandsOn", File: "negative.go", Run: HandsOn},
	{Name: "CountMatches", File: "negative.go", Run: CountMatches},
	{Name: "Computed", File: "negative.go", Run: func() { Computed([]int{1, 2, 3}) }},
	{Name: "BothBranches", File: "negative.go", Run: func() { BothBranches(false) }},
	{Name: "DeferredClosure", File: "negative.go", Run: DeferredClosure},
	{Name: "Group.Go", File: "negative.go", Run: func() {
		g := &Group{}
		g.Go(func() {})
		g.wg.Wait()
	}},
	{Name: "OwnGroup", File: "negative.go", Run: OwnGroup},
	{Name: "HelperBetween", File: "negative.go", Run: HelperBetween},
	{Name: "Unrelated", File: "negative.go", Run: func() { Unrelated(make(chan struct{})) }},
	{Name: "PerItem", File: "negative.go", Run: func() {
		reqs := make(chan bool)
		var wg sync.WaitGroup
		PerItem(reqs, &wg)
		for i := 0; i < 5; i++ {
			wg.Add(1)
			reqs <- true
		}
		wg.Wait()
		close(reqs)
	}},
	{Name: "Nested", File: "negative.go", Run: func() {
		ch := make(chan int)
		go func() {
			time.Sleep(10 * time.Millisecond)
			close(ch)
		}()
		Nested(ch)
	}},
}

func TestGroundTruth(t *testing.T) {
	groundtruth.RunAll(t, cases, reviewedOnly)
}
