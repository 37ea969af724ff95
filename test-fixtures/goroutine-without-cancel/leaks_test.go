//leaklint:file-ignore all -- the ground-truth harness calls leaky code on purpose

package goroutinewithoutcancel

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"example.com/fixtures/internal/groundtruth"
)

type gt = groundtruth.Case

var reviewedOnly = map[string]string{
	"FatalLoop":           "its way out is os.Exit, which would end the test process",
	"ImportChain":         "negative by design: a CLI action's goroutine lives as long as the process (it would linger here)",
	"StartCleaner":        "negative by design: at most one per process (sync.Once); it lingers by intent",
	"ServeWithStats":      "negative by design: the function serves until the process ends",
	"WatchSignals":        "negative by design: documented to live as long as the process",
	"Stress":              "negative: the goroutine cannot outlive Stress, which hangs instead (running it would hang the test)",
	"ExampleWatchSignals": "negative: an Example without Output is never run by go test",
	"StartPoll":           "negative by the rule's limits: which poll runs is unknown without types (both leak if run)",
}

// withCancelled calls f with a context and cancels it afterwards, as a careful caller does:
// the goroutine must end anyway, or it leaks.
func withCancelled(f func(ctx context.Context)) func() {
	return func() {
		ctx, cancel := context.WithCancel(context.Background())
		f(ctx)
		cancel()
	}
}

// withCancelledAsync runs f, which returns only once ctx is done, and cancels ctx shortly after.
func withCancelledAsync(f func(ctx context.Context)) func() {
	return func() {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(10 * time.Millisecond)
			cancel()
		}()
		f(ctx)
	}
}

var cases = []gt{
	{Name: "Rotator.Start", File: "methods.go", Leaks: true, Run: func() { r := &Rotator{}; r.Start(); r.Stop() }},
	{Name: "WatchEvents", File: "methods.go", Leaks: true, Run: withCancelled(func(ctx context.Context) { WatchEvents(ctx, &watcher{events: make(chan string)}) })},
	{Name: "Rotator.StartQuittable", File: "methods.go", Run: func() {
		r := &Rotator{quit: make(chan struct{})}
		r.StartQuittable()
		close(r.quit)
	}},
	{Name: "StartChecks", File: "methods.go", Leaks: true, Run: func() {
		h := &HealthChecker{Ticker: time.NewTicker(time.Hour)}
		StartChecks(&upstream{healthChecker: h})
		h.Ticker.Stop()
	}},
	{Name: "listener.Start", File: "methods.go", Leaks: true, Run: func() {
		l := &listener{accepted: make(chan int), done: make(chan struct{})}
		l.Start(2)
		close(l.done)
	}},
	{Name: "listener.StartStoppable", File: "methods.go", Run: func() {
		l := &listener{accepted: make(chan int), done: make(chan struct{})}
		l.StartStoppable(2)
		close(l.done)
	}},
	{Name: "Transfer", File: "shared.go", Leaks: true, FixedBy: []string{"close-after-wait"}, Run: func() { _ = Transfer(3) }},
	// Servers a stop method cannot reach (servers.go).
	{Name: "httpApp.Run", File: "servers.go", Leaks: true, Run: func() {
		a := &httpApp{addrs: []string{"127.0.0.1:0"}}
		_ = a.Run()
		_ = a.Cancel()
	}},
	{Name: "httpApp.RunKept", File: "servers.go", Run: func() {
		a := &httpApp{addrs: []string{"127.0.0.1:0"}}
		_ = a.RunKept()
		_ = a.Cancel()
	}},
	{Name: "httpApp.RunWithListener", File: "servers.go", Run: func() {
		var kept net.Listener
		_ = (&httpApp{addrs: []string{"127.0.0.1:0"}}).RunWithListener(func(l net.Listener) { kept = l })
		kept.Close()
	}},
	// Owners whose stop leaves the loop's channel open (fieldloop.go).
	{Name: "execQueue", File: "fieldloop.go", Leaks: true, Run: func() {
		q := newExecQueue(1)
		ran := make(chan struct{})
		q.queue(func() { close(ran) })
		<-ran
		q.quit() // the loop is parked in its range now: the flag is never read
	}},
	{Name: "closingQueue", File: "fieldloop.go", Run: func() { q := newClosingQueue(); q.queue(func() {}); q.quit() }},
	{Name: "sentinelQueue", File: "fieldloop.go", Run: func() { q := newSentinelQueue(); q.queue(func() {}); q.Stop() }},
	{Name: "remoteQueue", File: "fieldloop.go", Run: func() { newRemoteQueue().Close() }},
	{Name: "batch", File: "fieldloop.go", Run: func() { newBatch([]func(){func() {}}).Stop() }},
	{Name: "TransferFinish", File: "shared.go", Leaks: true, Run: func() { _ = TransferFinish(3) }},
	{Name: "TransferClosed", File: "shared.go", Run: func() { _ = TransferClosed(3) }},
	{Name: "TransferOnce", File: "shared.go", Run: func() {
		_ = TransferOnce(func(c chan<- int) { c <- 1; close(c) })
	}},
	{Name: "WatchLocally", File: "watchers.go", Run: func() { _ = WatchLocally(context.Background(), func() {}) }},
	{Name: "WatchWithTimeout", File: "watchers.go", Run: func() { WatchWithTimeout(context.Background(), func() {}) }},
	{Name: "Serve", File: "watchers.go", Run: withCancelledAsync(func(ctx context.Context) { Serve(ctx, make(chan int), func() {}) })},
	{Name: "WatchNoDefer", File: "watchers.go", Leaks: true, Run: func() { WatchNoDefer(context.Background(), func() {}) }},
	{Name: "ServeOrFail", File: "watchers.go", Leaks: true, Run: func() {
		conns := make(chan int)
		close(conns)
		_ = ServeOrFail(context.Background(), conns, func() {})
	}},
	{Name: "StressNoWait", File: "lifetime.go", Leaks: true, Run: func() { StressNoWait(func() {}) }},
	{Name: "StartReporter", File: "lifetime.go", Leaks: true, Run: func() { StartReporter(func() {}) }},
	{Name: "StartLocked", File: "lifetime.go", Leaks: true, Run: func() { StartLocked(func() {}) }},
	{Name: "ExampleStartReporter", File: "example_test.go", Leaks: true, Run: ExampleStartReporter},
	// Positive: even with the context cancelled (or the done channel closed), the goroutine runs on.
	{Name: "Manager.Run", File: "positive.go", Leaks: true, FixedBy: []string{"check-done"}, Run: withCancelled((&Manager{}).Run)},
	{Name: "Manager.Listen", File: "positive.go", Leaks: true, FixedBy: []string{"add-done-case"}, Run: withCancelled((&Manager{events: make(chan string)}).Listen)},
	{Name: "Heartbeat", File: "positive.go", Leaks: true, Note: "a stopped ticker never fires again: no cure by a check inside the loop, so no fix", Run: withCancelled(Heartbeat)},
	{Name: "Tick", File: "positive.go", Leaks: true, Run: Tick},
	{Name: "Consume", File: "positive.go", Leaks: true, Run: func() { Consume([]int{1, 2}) }},
	{Name: "StartPoller", File: "positive.go", Leaks: true, Run: withCancelled(StartPoller)},
	{Name: "Park", File: "positive.go", Leaks: true, Run: Park},
	{Name: "Watch", File: "positive.go", Leaks: true, Note: "Information: leaks when the caller never cancels, as here", Run: func() { Watch(context.Background(), func() {}) }},
	{Name: "ForTrue", File: "positive.go", Leaks: true, FixedBy: []string{"check-done"}, Run: func() {
		done := make(chan struct{})
		ForTrue(done)
		close(done)
	}},
	{Name: "Worker", File: "positive.go", Leaks: true, Run: func() { Worker(make(chan int), func(int) {}) }},
	{Name: "Labelled", File: "positive.go", Leaks: true, FixedBy: []string{"add-done-case"}, Run: withCancelled(func(ctx context.Context) { Labelled(ctx, make(chan int)) })},
	{Name: "BreakSelect", File: "positive.go", Leaks: true, Run: func() { BreakSelect(make(chan int)) }},
	{Name: "Nested", File: "positive.go", Leaks: true, FixedBy: []string{"check-done"}, Run: withCancelled(Nested)},
	{Name: "監視", File: "cjk_crlf.go", Leaks: true, FixedBy: []string{"check-done"}, Run: withCancelled(監視)},

	// Negative: with the context cancelled, channels closed, or the work bounded, every goroutine ends.
	{Name: "Cancellable", File: "negative.go", Run: withCancelled(func(ctx context.Context) { Cancellable(ctx, make(chan int)) })},
	{Name: "WithDone", File: "negative.go", Run: func() {
		done := make(chan struct{})
		WithDone(done, make(chan int))
		close(done)
	}},
	{Name: "Bounded", File: "negative.go", Run: func() { Bounded([]int{1, 2}) }},
	{Name: "Closed", File: "negative.go", Run: func() { Closed([]int{1, 2}) }},
	{Name: "Param", File: "negative.go", Run: func() {
		ch := make(chan int)
		Param(ch)
		close(ch)
	}},
	{Name: "Breaks", File: "negative.go", Run: func() {
		ch := make(chan int)
		Breaks(ch)
		ch <- -1
	}},
	{Name: "Counted", File: "negative.go", Run: func() { Counted(3) }},
	{Name: "LabelledBreak", File: "negative.go", Run: func() {
		ch := make(chan int)
		LabelledBreak(ch)
		close(ch)
	}},
	{Name: "ReturnsOnError", File: "negative.go", Run: func() { ReturnsOnError(func() error { return errors.New("eof") }) }},
	{Name: "OwnContext", File: "negative.go", Run: func() { OwnContext()() }},
	{Name: "StartPollUntil", File: "negative.go", Run: withCancelled(StartPollUntil)},
	{Name: "TickerWithExit", File: "negative.go", Run: withCancelled(TickerWithExit)},
	{Name: "ReturnedChan", File: "negative.go", Run: func() { close(ReturnedChan()) }},
}

func TestGroundTruth(t *testing.T) {
	groundtruth.RunAll(t, cases, reviewedOnly)
}
