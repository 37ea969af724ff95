package goroutinewithoutcancel

import (
	"context"
	"log"
	"time"
)

// Rotator flushes on a ticker kept in a field; Stop does not close C, so the range never ends.
type Rotator struct {
	flushTicker *time.Ticker
	quit        chan struct{}
}

func (r *Rotator) flushPeriodically() {
	for range r.flushTicker.C {
		log.Println("flush")
	}
}

// Start launches the flusher on its own receiver: one more goroutine per Start.
func (r *Rotator) Start() {
	r.flushTicker = time.NewTicker(time.Second)
	go r.flushPeriodically() // want "goroutine-without-cancel: Goroutine never ends: r\\.flushPeriodically never returns"
}

// Stop stops the ticker, which leaves the flusher parked forever.
func (r *Rotator) Stop() { r.flushTicker.Stop() }

type watcher struct{ events chan string }

func (w *watcher) watchMiss() {
	for {
		e, ok := <-w.events
		if !ok {
			continue
		}
		log.Println(e)
	}
}

// A method of another value, the only endless method of that name in the package.
func WatchEvents(ctx context.Context, w *watcher) {
	go w.watchMiss() // want "goroutine-without-cancel: Goroutine never ends: w\\.watchMiss never returns.* ctx is in scope but is not passed to w.watchMiss"
}

// ok: the loop returns when quit is closed.
func (r *Rotator) flushUntilQuit() {
	for {
		select {
		case <-r.flushTicker.C:
			log.Println("flush")
		case <-r.quit:
			return
		}
	}
}

// ok: the method it starts can end.
func (r *Rotator) StartQuittable() {
	r.flushTicker = time.NewTicker(time.Second)
	go r.flushUntilQuit()
}

type pollerA struct{}
type pollerB struct{}

func (pollerA) poll() {
	for {
		time.Sleep(time.Second)
	}
}

func (pollerB) poll() {
	for {
		time.Sleep(time.Second)
	}
}

// ok: two types have an endless poll; without the receiver's type there is no guessing.
func StartPoll(p interface{ poll() }) {
	go p.poll()
}

// HealthChecker's loop has no way out: stopping the ticker leaves it parked on C.
type HealthChecker struct{ Ticker *time.Ticker }

func (h *HealthChecker) ScheduleChecks() {
	for {
		select {
		case <-h.Ticker.C:
			log.Println("check")
		}
	}
}

type upstream struct{ healthChecker *HealthChecker }

// A method reached through a field: the only endless ScheduleChecks of the package.
func StartChecks(u *upstream) {
	go u.healthChecker.ScheduleChecks() // want "goroutine-without-cancel: Goroutine never ends: u.healthChecker.ScheduleChecks never returns. Its `for {}` loop on line 89"
}

type listener struct {
	accepted chan int
	done     chan struct{}
}

// The closure bound to handle loops forever: giving up the send does not end the loop.
func (l *listener) Start(n int) {
	handle := func(i int) {
		for {
			select {
			case l.accepted <- i:
			case <-l.done:
			}
		}
	}
	for i := 0; i < n; i++ {
		go handle(i) // want "goroutine-without-cancel: Goroutine never ends: the loop on line 112 has no exit"
	}
}

// ok: the bound closure returns once done is closed.
func (l *listener) StartStoppable(n int) {
	handle := func(i int) {
		for {
			select {
			case l.accepted <- i:
			case <-l.done:
				return
			}
		}
	}
	for i := 0; i < n; i++ {
		go handle(i)
	}
}
