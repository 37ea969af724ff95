//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package abandonedsender

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

var cases = []gt{
	// Positive: the function stops listening (a timeout wins, it returns early, or more senders than receives).
	{Name: "WithTimeout", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { _, _ = WithTimeout() }},
	{Name: "WithContext", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer", "select-done"}, Run: func() { _, _ = WithContext(cancelled()) }},
	{Name: "Poll", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { _, _ = Poll() }},
	{Name: "FirstMirror", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { FirstMirror([]string{"no-such-scheme://a", "no-such-scheme://b", "no-such-scheme://c"}) }},
	{Name: "Race", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Race(3) }},
	{Name: "Process", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { _, _ = Process("") }},
	{Name: "Client.Get", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { _, _ = (&Client{}).Get([]string{""}) }},
	{Name: "ViaArgument", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { ViaArgument() }},
	{Name: "First", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { First([]func() int{slowCall, slowCall}) }},
	{Name: "Retry", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer", "select-done"}, Run: func() {
		ctx, cancel := context.WithCancel(context.Background())
		_ = Retry(ctx)
		cancel()
	}},
	{Name: "Labelled", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Labelled([][]int{{1}, {2}, {}}) }},
	{Name: "Hedged", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Hedged() }},
	{Name: "取得", File: "cjk_crlf.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { 取得() }},

	// Negative.
	{Name: "BufferedTimeout", File: "negative.go", Run: func() { BufferedTimeout() }},
	{Name: "Plain", File: "negative.go", Run: func() { Plain() }},
	{Name: "Gather", File: "negative.go", Run: func() { Gather([]int{1, 2, 3}) }},
	{Name: "Drain", File: "negative.go", Run: func() { Drain([]int{1, 2, 3}) }},
	{Name: "SenderSelects", File: "negative.go", Run: func() { SenderSelects(cancelled()) }},
	{Name: "Heartbeat", File: "negative.go", Run: func() { Heartbeat() }},
	{Name: "EarlyBeforeGo", File: "negative.go", Run: func() { EarlyBeforeGo("") }},
	{Name: "Returned", File: "negative.go", Run: func() { Returned() }},
	{Name: "Escapes", File: "negative.go", Run: Escapes},
	{Name: "Pair", File: "negative.go", Run: func() { Pair() }},
	{Name: "ReturnAfter", File: "negative.go", Run: func() { _, _ = ReturnAfter("") }},
	{Name: "Reverse", File: "negative.go", Run: Reverse},
	{Name: "TwoWorkers", File: "negative.go", Run: func() { TwoWorkers() }},
}

var _ = errors.New

func TestGroundTruth(t *testing.T) {
	// Make every timeout win: that is when these functions stop listening.
	slowness, patience = 50*time.Millisecond, time.Millisecond
	groundtruth.RunAll(t, cases, nil)
}
