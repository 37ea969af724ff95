//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package releaseskipped

import (
	"context"
	"testing"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

var asTest = groundtruth.AsTest

func failing(string) error { return errBad }

var reviewedOnly = map[string]string{
	"FatalEndsAll": "negative: its other path calls log.Fatal, which would end the test process",
}

var cases = []gt{
	// Positive: the early exit skips the close and the goroutine waits forever.
	{Name: "Processor.Close", File: "stoppers.go", Leaks: true, FixedBy: []string{"defer-close"}, Run: func() {
		p := &Processor{election: func() error { return errBad }}
		p.Start()
		_ = p.Close()
	}},
	{Name: "Poller.Close", File: "stoppers.go", Run: func() {
		p := &Poller{election: func() error { return errBad }}
		p.Start()
		_ = p.Close()
	}},
	{Name: "Daemon.Close", File: "stoppers.go", Run: func() {
		srv := &Daemon{}
		srv.Start()
		_ = srv.Close()
		_ = srv.Close()
	}},
	{Name: "Buffer.Close", File: "stoppers.go", Run: func() { _ = (&Buffer{out: make(chan int)}).Close() }},
	{Name: "Upload", File: "positive.go", Leaks: true, Run: func() { _ = Upload([]string{"a"}, failing) }},
	{Name: "Serve", File: "positive.go", Leaks: true, Run: func() { _ = Serve(func() error { return errBad }) }},
	{Name: "CheckCancelled", File: "positive.go", Leaks: true, FixedBy: []string{"defer-close"}, Run: asTest(func(t testing.TB) { CheckCancelled(t, func() error { return nil }) })},
	{Name: "CheckStaged", File: "positive.go", Leaks: true, FixedBy: []string{"defer-close"}, Run: asTest(func(t testing.TB) {
		CheckStaged(t, func() error { return errBad }, nil)
	})},
	{Name: "Drain", File: "positive.go", Leaks: true, Run: func() { Drain([]int{1, 2}, func(v int) bool { return v < 2 }) }},
	{Name: "Notify", File: "positive.go", Leaks: true, FixedBy: []string{"defer-close"}, Run: func() { Notify(func() bool { return false }) }},
	{Name: "Pipe", File: "positive.go", Leaks: true, Run: func() { _ = Pipe([]string{"x"}, func(string) bool { return true }) }},
	{Name: "Dispatch", File: "positive.go", Leaks: true, FixedBy: []string{"defer-close"}, Run: func() { Dispatch("skip") }},
	{Name: "Mixed", File: "positive.go", Leaks: true, Run: func() { Mixed(false, true) }},
	{Name: "Server.Run", File: "positive.go", Leaks: true, Run: func() { _ = (&Server{log: func(string) {}}).Run(func() error { return errBad }) }},
	{Name: "Worker", File: "positive.go", Leaks: true, FixedBy: []string{"defer-close"}, Run: func() { Worker(true) }},
	{Name: "CheckNow", File: "positive.go", Leaks: true, FixedBy: []string{"defer-close"}, Run: asTest(func(t testing.TB) { CheckNow(t, false) })},
	{Name: "CheckProgress", File: "positive.go", Leaks: true, Run: asTest(func(t testing.TB) {
		CheckProgress(t, func(chan<- int) error { return errBad })
	})},
	{Name: "送信", File: "cjk_crlf.go", Leaks: true, Run: func() { 送信([]string{"x"}, func(string) bool { return true }) }},

	// Negative.
	{Name: "Deferred", File: "negative.go", Run: func() { _ = Deferred([]string{"a"}, failing) }},
	{Name: "ClosesOnEveryPath", File: "negative.go", Run: func() { _ = ClosesOnEveryPath(func() error { return errBad }) }},
	{Name: "Straight", File: "negative.go", Run: func() { Straight([]int{1, 2}) }},
	{Name: "EarlyBeforeGo", File: "negative.go", Run: func() { EarlyBeforeGo(false) }},
	{Name: "WaitsWithContext", File: "negative.go", Run: func() {
		ctx, cancel := context.WithCancel(context.Background())
		_ = WaitsWithContext(ctx, func() error { return errBad })
		cancel()
	}},
	{Name: "SendThenClose", File: "negative.go", Run: func() { SendThenClose(false) }},
	{Name: "GoroutineCloses", File: "negative.go", Run: func() { GoroutineCloses([]int{1, 2}) }},
	{Name: "Registry.HandsOver", File: "negative.go", Run: func() {
		r := &Registry{}
		r.HandsOver(false)
		close(r.quit)
	}},
	{Name: "ReturnInClosure", File: "negative.go", Run: func() {
		ReturnInClosure(func(f func(int) bool) { f(1); f(-1) })
	}},
	{Name: "ErrorOnly", File: "negative.go", Run: asTest(func(t testing.TB) { ErrorOnly(t, false) })},
	{Name: "Cleanup", File: "negative.go", Run: asTest(func(t testing.TB) { Cleanup(t, false) })},
}

func TestGroundTruth(t *testing.T) {
	groundtruth.RunAll(t, cases, reviewedOnly)
}
