// Package timernotstopped holds the cases timer-not-stopped must report.
package timernotstopped

import (
	"context"
	"log"
	"time"
)

// A timer abandoned when done fires first.
func WaitOrDone(d time.Duration, done <-chan struct{}) bool {
	t := time.NewTimer(d) // want "timer-not-stopped: Timer 't' is never stopped"
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

// A ticker that is never stopped.
func Sample(ctx context.Context, read func() int) []int {
	ticker := time.NewTicker(100 * time.Millisecond) // want "timer-not-stopped: Ticker 'ticker' is never stopped: before Go 1\\.23 it is never freed"
	var out []int
	for {
		select {
		case <-ticker.C:
			out = append(out, read())
		case <-ctx.Done():
			return out
		}
	}
}

// time.Tick in a function that returns.
func PollUntil(ctx context.Context, check func() bool) {
	for range time.Tick(time.Second) { // want "timer-not-stopped: time\\.Tick makes a ticker nothing can stop: before Go 1\\.23 it is never freed"
		if check() || ctx.Err() != nil {
			return
		}
	}
}

// time.Tick kept in a variable.
func Throttle(ctx context.Context, work []func()) {
	limiter := time.Tick(200 * time.Millisecond) // want "timer-not-stopped: time.Tick"
	for _, w := range work {
		select {
		case <-limiter:
			w()
		case <-ctx.Done():
			return
		}
	}
}

// A new timer per event: they pile up while events flow.
func Debounce(events <-chan string, flush func()) {
	for {
		select {
		case e, ok := <-events:
			if !ok {
				return
			}
			log.Println(e)
		case <-time.After(500 * time.Millisecond): // want "timer-not-stopped: New timer on every turn of the loop on line 59: before Go 1\\.23 they pile up until they fire"
			flush()
		}
	}
}

// In a labelled loop.
func Labelled(in <-chan int, idle time.Duration) int {
	n := 0
Loop:
	for {
		select {
		case v, ok := <-in:
			if !ok {
				break Loop
			}
			n += v
		case <-time.After(idle): // want "timer-not-stopped: New timer on every turn of the loop on line 76: before Go 1\\.23 they pile up until they fire"
			log.Println("idle")
		}
	}
	return n
}

// In a range loop.
func Each(items []string, slow func(string) <-chan bool) int {
	done := 0
	for _, it := range items {
		select {
		case <-slow(it):
			done++
		case <-time.After(time.Second): // want "timer-not-stopped: New timer on every turn of the loop on line 93: before Go 1\\.23 they pile up until they fire"
			log.Println("skipped", it)
		}
	}
	return done
}

// ok: a one-shot AfterFunc runs once and is then freed; dropping its *Timer only means it cannot be cancelled.
func Remind(msg string) {
	time.AfterFunc(time.Hour, func() { log.Println(msg) })
}

// Poller reschedules itself forever: nothing can stop the chain.
type Poller struct{ polls int }

func (p *Poller) poll() {
	p.polls++
	time.AfterFunc(time.Second, p.poll) // want "timer-not-stopped: time\\.AfterFunc reschedules poll forever: nothing can stop it"
}

// Declared with var.
func VarTimer(ch <-chan int) int {
	var t = time.NewTimer(time.Second) // want "timer-not-stopped: Timer 't' is never stopped"
	select {
	case v := <-ch:
		return v
	case <-t.C:
		return -1
	}
}

// Reset is not Stop.
func Resetting(ch <-chan int) int {
	t := time.NewTimer(time.Second) // want "timer-not-stopped: Timer 't'"
	sum := 0
	for i := 0; i < 3; i++ {
		t.Reset(time.Second)
		select {
		case v := <-ch:
			sum += v
		case <-t.C:
			return sum
		}
	}
	return sum
}

// A ticker inside a goroutine whose loop can end.
func Background(ctx context.Context) {
	go func() {
		tk := time.NewTicker(time.Minute) // want "timer-not-stopped: Ticker 'tk'"
		for {
			select {
			case <-tk.C:
				log.Println("tick")
			case <-ctx.Done():
				return
			}
		}
	}()
}

// Generic.
func FirstOr[T any](ch <-chan T, fallback T, d time.Duration) T {
	timer := time.NewTimer(d) // want "timer-not-stopped: Timer 'timer'"
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		return fallback
	}
}
