// Package goroutinewithoutcancel holds the cases goroutine-without-cancel must report.
package goroutinewithoutcancel

import (
	"context"
	"log"
	"time"
)

type Manager struct {
	events chan string
}

func (m *Manager) poll() {}

// A busy loop with a context in scope that it ignores.
func (m *Manager) Run(ctx context.Context) {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 19 never checks ctx\\.Done\\(\\).* ctx is in scope, but the goroutine never checks ctx.Done\\(\\)"
		for {
			m.poll()
			time.Sleep(time.Second)
		}
	}()
}

// A select loop with no way out.
func (m *Manager) Listen(ctx context.Context) {
	go func() { // want "goroutine-without-cancel: Goroutine never ends: the loop on line 29 never checks ctx\\.Done\\(\\)"
		for {
			select {
			case e := <-m.events:
				log.Println(e)
			}
		}
	}()
}

// Ranging over a ticker never ends.
func Heartbeat(ctx context.Context) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	go func() { // want "goroutine-without-cancel: .*`range t.C` loop"
		for range t.C {
			log.Println("beat")
		}
	}()
}

// time.Tick in a goroutine that never ends.
func Tick() {
	go func() { // want "goroutine-without-cancel: .*`range time.Tick\\(...\\)` loop"
		for range time.Tick(time.Minute) {
			log.Println("tick")
		}
	}()
}

// A channel nothing closes.
func Consume(items []int) {
	jobs := make(chan int)
	go func() { // want "goroutine-without-cancel: .*`range jobs` loop over a channel nothing closes"
		for j := range jobs {
			log.Println(j)
		}
	}()
	for _, it := range items {
		jobs <- it
	}
}

func pollForever() {
	for {
		time.Sleep(time.Second)
	}
}

// A named function of the package that never returns.
func StartPoller(ctx context.Context) {
	go pollForever() // want "goroutine-without-cancel: Goroutine never ends: pollForever never returns.* ctx is in scope but is not passed"
}

// An empty select blocks forever.
func Park() {
	go func() { // want "goroutine-without-cancel: .*empty `select {}`"
		log.Println("parking")
		select {}
	}()
}

// The VM-manager shape: waits only on a context handed in by the caller.
func Watch(ctx context.Context, cleanup func()) {
	go func() { // want "goroutine-without-cancel: Goroutine leaks unless the caller cancels ctx: it only waits for its Done\\(\\)"
		<-ctx.Done()
		cleanup()
	}()
}

// for true is for {}.
func ForTrue(done <-chan struct{}) {
	go func() { // want "goroutine-without-cancel: .*`for true {}` loop.* done is in scope, but the goroutine never receives from it"
		for true {
			time.Sleep(time.Millisecond)
		}
	}()
}

// A generic worker.
func Worker[T any](in chan T, handle func(T)) {
	go func() { // want "goroutine-without-cancel: .*`for {}` loop"
		for {
			v := <-in
			handle(v)
		}
	}()
}

// continue is not a way out.
func Labelled(ctx context.Context, ch chan int) {
	go func() { // want "goroutine-without-cancel: .*`for {}` loop"
	Loop:
		for {
			select {
			case v := <-ch:
				if v < 0 {
					continue Loop
				}
			}
		}
	}()
}

// break inside a select leaves the select, not the loop.
func BreakSelect(ch chan int) {
	go func() { // want "goroutine-without-cancel: .*`for {}` loop"
		for {
			select {
			case <-ch:
				break
			}
		}
	}()
}

// Nested: the inner goroutine is the endless one.
func Nested(ctx context.Context) {
	go func() {
		go func() { // want "goroutine-without-cancel: .*`for {}` loop"
			for {
				time.Sleep(time.Second)
			}
		}()
	}()
}
