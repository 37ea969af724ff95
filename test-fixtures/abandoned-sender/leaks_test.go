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

var asTest = groundtruth.AsTest

func fails() error    { return errors.New("boom") }
func succeeds() error { return nil }
func slowly() error   { time.Sleep(50 * time.Millisecond); return nil }

var cases = []gt{
	// Senders in callees and in loops (callees.go).
	{Name: "HealAll", File: "callees.go", Leaks: true, Run: func() { _ = HealAll(3) }},
	{Name: "deriver.Token", File: "callees.go", Leaks: true, Run: func() { _, _ = (&deriver{attempts: 3}).Token(context.Background()) }},
	{Name: "deriver.TokenOrError", File: "callees.go", Run: func() { _, _ = (&deriver{}).TokenOrError() }},
	// One channel per table case (elements_test.go).
	{Name: "checkLookups", File: "elements_test.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: asTest(func(t testing.TB) {
		checkLookups(t, []lookupCase{{key: ""}, {key: "a", want: "a"}, {key: "b", want: "b"}})
	})},
	{Name: "checkLookupsAll", File: "elements_test.go", Run: asTest(func(t testing.TB) {
		checkLookupsAll(t, []lookupCase{{key: ""}, {key: "a", want: "a"}})
	})},
	{Name: "checkLookupsBuffered", File: "elements_test.go", Run: asTest(func(t testing.TB) {
		checkLookupsBuffered(t, []lookupCase{{key: ""}, {key: "a", want: "a"}})
	})},
	// Receives in a local helper (closures.go).
	{Name: "HealRequest", File: "closures.go", Leaks: true, FixedBy: []string{"add-buffer", "select-done"}, Run: func() { _ = HealRequest(cancelled(), slowly) }},
	{Name: "HealRequestWaits", File: "closures.go", Run: func() { _ = HealRequestWaits(cancelled(), slowly) }},
	{Name: "HealRequestBuffered", File: "closures.go", Run: func() { _ = HealRequestBuffered(cancelled(), slowly) }},
	{Name: "HealRequestDeferred", File: "closures.go", Run: func() { _ = HealRequestDeferred(cancelled(), slowly) }},
	{Name: "FirstItem", File: "callees.go", Leaks: true, Run: func() { _ = FirstItem([]int{1, 2, 3}) }},
	{Name: "watcher.Watch", File: "callees.go", Leaks: true, Run: func() { _ = (&watcher{fail: true}).Watch(make(chan struct{})) }},
	{Name: "FirstMatch", File: "callees.go", Run: func() { _ = FirstMatch([]int{0, 1, 2}) }},
	{Name: "AllItems", File: "callees.go", Run: func() { _ = AllItems([]int{1, 2, 3}) }},
	{Name: "Drained", File: "callees.go", Run: Drained},
	{Name: "HalfWay", File: "callees.go", Run: func() { HalfWay(4, func(int) {}) }},
	{Name: "watcher.WatchBoth", File: "callees.go", Run: func() { _, _ = (&watcher{fail: true}).WatchBoth() }},
	// Callbacks run later by their callee's goroutine (callbacks.go).
	{Name: "Resolve", File: "callbacks.go", Leaks: true, Run: func() { _, _ = Resolve(&resolver{delay: 50 * time.Millisecond}, "db", 5*time.Millisecond) }},
	{Name: "WaitTasks", File: "callbacks.go", Leaks: true, Run: func() { _ = WaitTasks(&miner{}, 2, time.Second) }},
	{Name: "ResolveBuffered", File: "callbacks.go", Run: func() { _ = ResolveBuffered(&resolver{delay: 50 * time.Millisecond}, "db", 5*time.Millisecond) }},
	{Name: "ResolveCtx", File: "callbacks.go", Run: func() { _ = ResolveCtx(&resolver{delay: 50 * time.Millisecond}, "db", 5*time.Millisecond) }},
	{Name: "ResolveChecked", File: "callbacks.go", Run: func() { _, _ = ResolveChecked(&resolver{}, ""); _, _ = ResolveChecked(&resolver{}, "db") }},
	{Name: "FatalBeforeReceive", File: "testexits.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: asTest(func(t testing.TB) { FatalBeforeReceive(t, fails, succeeds) })},
	{Name: "WatchdogLoop", File: "testexits.go", Leaks: true, Run: asTest(func(t testing.TB) {
		WatchdogLoop(t, 10*time.Millisecond, func(int) string { time.Sleep(30 * time.Millisecond); return "frame" })
	})},
	{Name: "RetryFirst", File: "testexits.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() { _ = RetryFirst(2, slowly) }},
	{Name: "FatalAfterReceive", File: "testexits.go", Run: asTest(func(t testing.TB) { FatalAfterReceive(t, fails) })},
	{Name: "ErrorBeforeReceive", File: "testexits.go", Run: asTest(func(t testing.TB) { ErrorBeforeReceive(t, fails, succeeds) })},
	{Name: "SlowThenWait", File: "testexits.go", Run: func() { _ = SlowThenWait(slowly) }},
	{Name: "RetryListen", File: "testexits.go", Run: func() { _ = RetryListen(slowly) }},
	{Name: "CancelThenWait", File: "cancelwait.go", Leaks: true, FixedBy: []string{"add-buffer"}, Run: func() {
		_, _ = CancelThenWait(func() error { return errors.New("not ready") }, func() int { return 1 })
	}},
	{Name: "ReceivedInAllBranches", File: "testexits.go", Run: func() {
		done := make(chan struct{})
		close(done)
		_ = ReceivedInAllBranches(slowly, done)
	}},
	{Name: "DrainOnTimeout", File: "testexits.go", Run: func() { _ = DrainOnTimeout(func() int { time.Sleep(50 * time.Millisecond); return 1 }) }},
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
