// Package go123 is analysed as Go 1.23 (see go.mod): the runtime frees timers and tickers
// that nothing references, stopped or not. Only a timer kept alive for good, or a callback
// that reschedules itself forever, still leaks.
package go123

import (
	"context"
	"log"
	"time"
)

// ok: not stopped, but collected once the function returns.
func WaitOrDone(d time.Duration, done <-chan struct{}) bool {
	t := time.NewTimer(d)
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

// ok: the function reads its own ticker; once it returns, nothing references the ticker.
func Sample(ctx context.Context) {
	ticker := time.NewTicker(time.Second)
	for {
		select {
		case <-ticker.C:
			log.Println("sample")
		case <-ctx.Done():
			return
		}
	}
}

// ok: time.After in a loop makes garbage, not a leak, since Go 1.23.
func Debounce(events <-chan string) {
	for {
		select {
		case e := <-events:
			log.Println(e)
		case <-time.After(time.Second):
			return
		}
	}
}

// ok: time.Tick outside main is collected once its loop is gone.
func Every(n int, f func()) {
	tick := time.Tick(time.Millisecond)
	for i := 0; i < n; i++ {
		<-tick
		f()
	}
}

// ok: the goroutine reading the ticker ends when the context does.
func Heartbeat(ctx context.Context, beat func()) {
	ticker := time.NewTicker(time.Second)
	go func() {
		for {
			select {
			case <-ticker.C:
				beat()
			case <-ctx.Done():
				return
			}
		}
	}()
}

// ok: a one-shot AfterFunc.
func Remind(msg string) {
	time.AfterFunc(time.Hour, func() { log.Println(msg) })
}

// A goroutine ranges over the ticker forever: the ticker stays referenced and never stops.
func Metrics(report func()) {
	ticker := time.NewTicker(time.Second) // want "timer-not-stopped: Ticker 'ticker' is never freed: a goroutine reads it in an endless loop \\(line 81\\)"
	go func() {                           // want "goroutine-without-cancel: Goroutine never ends: the loop on line 81 has no exit"
		for range ticker.C {
			report()
		}
	}()
}

// The same with a select that has no way out.
func Flusher(flush func(), kick <-chan struct{}) {
	t := time.NewTicker(time.Second) // want "timer-not-stopped: Ticker 't' is never freed: a goroutine reads it in an endless loop \\(line 91\\)"
	go func() {                      // want "goroutine-without-cancel: Goroutine never ends: the loop on line 91 has no exit"
		for {
			select {
			case <-t.C:
				flush()
			case <-kick:
				flush()
			}
		}
	}()
}

// Refresher reschedules itself forever, from a method.
type Refresher struct{ n int }

func (r *Refresher) refresh() {
	r.n++
	time.AfterFunc(time.Minute, r.refresh) // want "timer-not-stopped: time\\.AfterFunc reschedules refresh forever: nothing can stop it"
}

// A closure bound to a variable reschedules itself.
func Gossip(send func()) {
	var round func()
	round = func() {
		send()
		time.AfterFunc(time.Second, round) // want "timer-not-stopped: time\\.AfterFunc reschedules round forever: nothing can stop it"
	}
	round()
}

// A function that calls itself through a literal callback.
func Reap(clean func()) {
	clean()
	time.AfterFunc(time.Minute, func() { Reap(clean) }) // want "timer-not-stopped: time\\.AfterFunc reschedules Reap forever: nothing can stop it"
}

// ok: the chain stops when the flag is set.
type Loop struct{ stopped bool }

func (l *Loop) run() {
	if l.stopped {
		return
	}
	time.AfterFunc(time.Second, l.run)
}

// ok: the chain is conditional.
func (l *Loop) maybe(again bool) {
	if again {
		time.AfterFunc(time.Second, l.run)
	}
}

// ok: the *Timer is kept, so the chain can be stopped.
type Kept struct{ t *time.Timer }

func (k *Kept) tick() {
	k.t = time.AfterFunc(time.Second, k.tick)
}
