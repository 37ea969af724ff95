package unbufferedresultchan

import (
	"context"
	"time"
)

// ok: buffered with room for the single send.
func Buffered() chan error {
	errc := make(chan error, 1)
	go func() {
		errc <- nil
	}()
	return errc
}

// ok: the send gives up when the context is cancelled.
func WithCancel(ctx context.Context) chan int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
	return ch
}

// ok: the send gives up when nobody is ready.
func NonBlocking() chan int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		default:
		}
	}()
	return ch
}

// ok: the goroutine only closes the channel.
func Done() chan struct{} {
	done := make(chan struct{})
	go func() {
		time.Sleep(time.Millisecond)
		close(done)
	}()
	return done
}

// ok: a stream (generator pattern): sends in a loop, then close.
func Count(n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			out <- i
		}
	}()
	return out
}

// ok: the goroutine receives from the returned channel; the caller sends.
func Sink() chan<- string {
	in := make(chan string)
	go func() {
		for s := range in {
			_ = s
		}
	}()
	return in
}

// ok: the channel is handed to a named function: nothing to say without seeing it.
func Delegated() chan int {
	ch := make(chan int)
	go produce(ch)
	return ch
}

func produce(ch chan int) { ch <- 1 }

// ok: the function receives itself and returns a value, not the channel.
func Await() int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return <-ch
}

// ok: returns another channel than the one the goroutine feeds.
func Other() chan int {
	fed := make(chan int, 1)
	ret := make(chan int)
	go func() { fed <- 1 }()
	close(ret)
	return ret
}

type worker struct {
	results chan int
}

// ok: the channel is stored in a struct field before it is returned.
func newWorker() (*worker, chan int) {
	results := make(chan int)
	w := &worker{results: results}
	go func() { w.results <- 1 }()
	return w, results
}

// ok: capacity computed at run time: we cannot tell, so we stay silent.
func Sized(items []string) chan string {
	ch := make(chan string, len(items))
	go func() {
		for _, it := range items {
			ch <- it
		}
	}()
	return ch
}

// ok: the send has a timeout.
func Timeout() chan int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-time.After(time.Second):
		}
	}()
	return ch
}

// ok: nothing sends.
func Never() chan int {
	ch := make(chan int)
	go func() {}()
	return ch
}
