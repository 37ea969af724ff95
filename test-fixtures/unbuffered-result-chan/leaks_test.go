//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package unbufferedresultchan

import (
	"context"
	"testing"
	"time"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

// endless decodes a metric every time it is asked.
type endless struct{}

func (endless) Decode(m *Metric) error { m.Name = "m"; return nil }

// readOneThenCancel reads one value from a stream, then cancels and walks away.
func readOneThenCancel[T any](start func(ctx context.Context) <-chan T) func() {
	return func() {
		ctx, cancel := context.WithCancel(context.Background())
		<-start(ctx)
		cancel()
	}
}

var cases = []gt{
	{Name: "WaitState", File: "blocks.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() {
		ctx, cancel := context.WithCancel(context.Background())
		_ = WaitState(ctx, false, nil)
		cancel()
	}},
	{Name: "TwoBlocks", File: "blocks.go", Run: func() { _ = TwoBlocks(true); _ = TwoBlocks(false) }},
	{Name: "PeerMetricsParam", File: "streams.go", Leaks: true, Note: "no fix: an early return would skip the close at the tail", Run: readOneThenCancel(func(ctx context.Context) <-chan Metric { return PeerMetricsParam(ctx, endless{}) })},
	{Name: "PeerMetricsParamCtx", File: "streams.go", Run: readOneThenCancel(func(ctx context.Context) <-chan Metric { return PeerMetricsParamCtx(ctx, endless{}) })},
	{Name: "PeerMetrics", File: "streams.go", Leaks: true, FixedBy: []string{"select-done"}, Run: readOneThenCancel(func(ctx context.Context) <-chan Metric { return PeerMetrics(ctx, endless{}) })},
	{Name: "Lines", File: "streams.go", Leaks: true, Note: "no fix: an early return would skip the close at the tail", Run: readOneThenCancel(func(ctx context.Context) <-chan string {
		return Lines(ctx, func() (string, error) { return "line", nil })
	})},
	{Name: "PeerMetricsCtx", File: "streams.go", Run: readOneThenCancel(func(ctx context.Context) <-chan Metric { return PeerMetricsCtx(ctx, endless{}) })},
	{Name: "CountUp", File: "streams.go", Run: func() {
		for range CountUp(3) {
		}
	}},
	{Name: "FanOut", File: "streams.go", Leaks: true, Run: func() { <-FanOut([]string{"a", "b", "c"}, func(string) error { return nil }) }},
	// Positive: the result is dropped, as the SDK's own sample did.
	{Name: "StartContinuousRecognitionAsync", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { (&Recognizer{}).StartContinuousRecognitionAsync() }},
	{Name: "StopAsync", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { (&Recognizer{}).StopAsync() }},
	{Name: "Ping", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Ping("no-such-scheme://x") }},
	{Name: "Fetch", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { _, _, _ = Fetch(context.Background(), "u") }},
	{Name: "Nested", File: "positive.go", Leaks: true, Note: "the send is in a goroutine's goroutine: its count per path is not known, so no fix", Run: func() { Nested() }},
	{Name: "Async", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Async(func() int { return 1 }) }},
	{Name: "Validate", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Validate("") }},
	{Name: "TwoPhase", File: "positive.go", Leaks: true, Note: "two sends on one path: no one-slot fix is offered", Run: func() { TwoPhase() }},
	{Name: "SingleCaseSelect", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { SingleCaseSelect() }},
	{Name: "Signal", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Signal() }},
	{Name: "StartTimer", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { StartTimer(time.Millisecond) }},
	{Name: "Job.Run", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Job{id: 1}.Run() }},
	{Name: "Classify", File: "positive.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { Classify(-1) }},
	{Name: "返す", File: "cjk_crlf.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { 返す() }},

	// Negative: used as their contracts say, nothing stays behind.
	{Name: "Buffered", File: "negative.go", Run: func() { Buffered() }},
	{Name: "WithCancel", File: "negative.go", Run: func() {
		ctx, cancel := context.WithCancel(context.Background())
		WithCancel(ctx)
		cancel()
	}},
	{Name: "NonBlocking", File: "negative.go", Run: func() { NonBlocking() }},
	{Name: "Done", File: "negative.go", Run: func() { Done() }},
	{Name: "Count", File: "negative.go", Run: func() {
		for range CountUp(3) {
		}
	}},
	{Name: "Sink", File: "negative.go", Run: func() {
		in := Sink()
		in <- "x"
		close(in)
	}},
	{Name: "Delegated", File: "negative.go", Run: func() { <-Delegated() }},
	{Name: "Await", File: "negative.go", Run: func() { Await() }},
	{Name: "Other", File: "negative.go", Run: func() { Other() }},
	{Name: "newWorker", File: "negative.go", Run: func() {
		_, results := newWorker()
		<-results
	}},
	{Name: "Sized", File: "negative.go", Run: func() { Sized([]string{"a", "b"}) }},
	{Name: "Timeout", File: "negative.go", Run: func() { Timeout() }},
	{Name: "Never", File: "negative.go", Run: func() { Never() }},
	{Name: "安全", File: "cjk_crlf.go", Run: func() { 安全() }},
}

func TestGroundTruth(t *testing.T) {
	groundtruth.RunAll(t, cases, nil)
}
