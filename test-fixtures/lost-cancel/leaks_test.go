//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package lostcancel

import (
	"context"
	"testing"
	"time"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

func init() {
	// Work that waits for its context: it ends only when the context is cancelled.
	watch = func(ctx context.Context) { go func() { <-ctx.Done() }() }
}

var bg = context.Background()

var reviewedOnly = map[string]string{
	"Fatal":            "negative: its other path calls log.Fatal, which would end the test process",
	"DiscardedTimeout": "leaks only until the timeout fires; shown with an hour-long timeout in NeverCalled instead",
}

var cases = []gt{
	{Name: "JoinDiscarded", File: "join.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { JoinDiscarded(bg, bg) }},
	{Name: "JoinCancelled", File: "join.go", Run: func() { JoinCancelled(bg, bg) }},
	{Name: "JoinStream", File: "join.go", Run: func() {
		ctx, cancel := context.WithCancel(bg)
		<-func() <-chan int { out := JoinStream(ctx, bg); cancel(); return out }()
	}},
	// Positive: the derived context is never cancelled, so the goroutine waiting on it stays.
	{Name: "Discarded", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { Discarded(bg) }},
	{Name: "EarlyReturn", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { _ = EarlyReturn(bg, "") }},
	{Name: "NeverCalled", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { NeverCalled(bg, false) }},
	{Name: "PerItem", File: "positive.go", Leaks: true, Run: func() { PerItem(bg, []string{""}) }},
	{Name: "Deadline", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { _ = Deadline(bg, time.Now().Add(time.Hour), false) }},
	{Name: "Spawn", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { Spawn(bg, false) }},
	{Name: "Reassigned", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() {
		_ = Reassigned(bg, time.Hour, func() error { return errEmpty })
	}},
	{Name: "Switch", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { Switch(bg, 2) }},
	{Name: "Client.Call", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { _ = (&Client{base: bg}).Call(true) }},
	{Name: "Handler", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { Handler(bg) }},
	{Name: "Select", File: "positive.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() {
		in := make(chan int, 1)
		in <- 1
		_ = Select(bg, in)
	}},
	{Name: "監視", File: "cjk_crlf.go", Leaks: true, FixedBy: []string{"defer-cancel"}, Run: func() { 監視(bg) }},

	// Negative.
	{Name: "Deferred", File: "negative.go", Run: func() {
		ctx, cancel := context.WithCancel(bg)
		cancel()
		_ = Deferred(ctx)
	}},
	{Name: "EveryPath", File: "negative.go", Run: func() { _ = EveryPath(bg, false) }},
	{Name: "Service", File: "negative.go", Run: func() {
		s := &Service{}
		s.Start(bg)
		s.Stop()
	}},
	{Name: "Handed", File: "negative.go", Run: func() {
		done := make(chan struct{})
		close(done)
		Handed(bg, done)
	}},
	{Name: "AllCases", File: "negative.go", Run: func() {
		in := make(chan int, 1)
		in <- 1
		_ = AllCases(bg, in)
	}},
	{Name: "Toggle", File: "negative.go", Run: func() { Toggle(bg, []string{"start", "stop", "start"}) }},
	{Name: "DeferredClosure", File: "negative.go", Run: func() { DeferredClosure(bg) }},
	{Name: "StartAll", File: "negative.go", Run: func() {
		StartAll(bg)
		stopAll()
	}},
	{Name: "Returned", File: "negative.go", Run: func() {
		_, cancel := Returned(bg)
		cancel()
	}},
}

func TestGroundTruth(t *testing.T) {
	groundtruth.RunAll(t, cases, reviewedOnly)
}
