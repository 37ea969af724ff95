package timernotstopped

import (
	"context"
	"log"
	"time"
)

// ok: deferred Stop.
func Deferred(ch <-chan int) int {
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case v := <-ch:
		return v
	case <-t.C:
		return -1
	}
}

// ok: stopped explicitly.
func Explicit(ch <-chan int) int {
	t := time.NewTimer(time.Second)
	select {
	case v := <-ch:
		t.Stop()
		return v
	case <-t.C:
		return -1
	}
}

// ok: returned to the caller.
func Make() *time.Timer {
	t := time.NewTimer(time.Second)
	return t
}

type poller struct{ ticker *time.Ticker }

// ok: stored in a field; its owner stops it.
func (p *poller) start() {
	t := time.NewTicker(time.Second)
	p.ticker = t
}

func stopLater(t *time.Timer) { t.Stop() }

// ok: passed on.
func Passed() {
	t := time.NewTimer(time.Second)
	stopLater(t)
}

// ok: the timer is drained right away, so it has fired.
func Sleep(d time.Duration) {
	t := time.NewTimer(d)
	<-t.C
}

// ok: the function never returns: its ticker lives as long as it does.
func Forever(work func()) {
	for range time.Tick(time.Second) {
		work()
	}
}

// ok: time.After outside a loop.
func Once(ch <-chan int) int {
	select {
	case v := <-ch:
		return v
	case <-time.After(time.Second):
		return -1
	}
}

// ok: every other case returns, so each timer is either received or the loop ends.
func Retry(ctx context.Context, try func() bool) bool {
	for {
		if try() {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(time.Second):
		}
	}
}

// ok: AfterFunc's timer is kept and stopped.
func Cancellable(msg string) func() bool {
	t := time.AfterFunc(time.Hour, func() { log.Println(msg) })
	return t.Stop
}

var started = time.Now()

func init() {
	// ok: time.Tick in init.
	go func() {
		for range time.Tick(time.Hour) {
			log.Println(time.Since(started))
		}
	}()
}

// ok: a ticker stopped by a deferred closure.
func ClosureStop(ctx context.Context) {
	tk := time.NewTicker(time.Second)
	defer func() { tk.Stop() }()
	<-ctx.Done()
}

// ok: nothing to stop.
func Nap() { time.Sleep(time.Millisecond) }

// ok: the other case breaks out of the labelled loop.
func WaitForFile(exists func() bool, done <-chan struct{}) {
poll:
	for {
		if exists() {
			break poll
		}
		select {
		case <-done:
			break poll
		case <-time.After(time.Millisecond):
		}
	}
}

// ok: a loop of a fixed, small number of turns.
func Collect(errc <-chan error) error {
	for i := 0; i < 2; i++ {
		select {
		case err := <-errc:
			if err != nil {
				return err
			}
		case <-time.After(10 * time.Second):
			log.Println("slow")
		}
	}
	return nil
}

// ok: ranging over a time.Tick channel forever: the function never returns.
func TickForever(report func(time.Time)) {
	c := time.Tick(5 * time.Second)
	for next := range c {
		report(next)
	}
}
