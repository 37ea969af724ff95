package abandonedsender

import (
	"context"
	"errors"
	"sync"
	"time"
)

// heal sends its result on out: a caller that passes an unbuffered channel has a sender here.
func heal(set int, out chan<- error) {
	time.Sleep(time.Duration(set) * time.Millisecond)
	out <- errors.New("heal failed")
}

// Every set's goroutine sends through heal, but only the first error is received.
func HealAll(sets int) error {
	errCh := make(chan error) // want "abandoned-sender: Goroutine leaks: its loop on line 21 sends on every turn, but 'errCh' is received once"
	go func() {
		var wg sync.WaitGroup
		for i := 0; i < sets; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				heal(i, errCh)
			}(i)
		}
		wg.Wait()
	}()
	return <-errCh
}

// A producer sends every item, the function takes the first only.
func FirstItem(items []int) int {
	out := make(chan int) // want "abandoned-sender: Goroutine leaks: its loop on line 37 sends on every turn, but 'out' is received once"
	go func() {
		for _, it := range items {
			out <- it
		}
	}()
	return <-out
}

type watcher struct{ fail bool }

// watchErrors reports an error from a goroutine it starts: the call returns at once.
func (w *watcher) watchErrors(errCh chan<- error) {
	go func() {
		time.Sleep(time.Millisecond)
		if w.fail {
			errCh <- errors.New("watch failed")
		}
	}()
}

// Two watchers report on one unbuffered channel; after stop or the first error, the other stays blocked.
func (w *watcher) Watch(stop <-chan struct{}) error {
	errCh := make(chan error) // want "abandoned-sender: Goroutine leaks if the case on line 63 wins: the send in w.watchErrors \\(line 59\\) blocks forever"
	w.watchErrors(errCh)
	w.watchErrors(errCh)
	for {
		select {
		case <-stop:
			return nil
		case err := <-errCh:
			return err
		}
	}
}

// ok: the producer leaves after its first send.
func FirstMatch(items []int) int {
	out := make(chan int)
	go func() {
		for _, it := range items {
			if it > 0 {
				out <- it
				return
			}
		}
		out <- 0
	}()
	return <-out
}

// ok: every item is received.
func AllItems(items []int) int {
	out := make(chan int)
	go func() {
		for _, it := range items {
			out <- it
		}
		close(out)
	}()
	sum := 0
	for v := range out {
		sum += v
	}
	return sum
}

// drain receives from its channel: passing it there is not a send.
func drain(in <-chan error) {
	for range in {
	}
}

// ok: the callee receives, it does not send.
func Drained() {
	errCh := make(chan error)
	go drain(errCh)
	errCh <- nil
	close(errCh)
}

// ok: each watcher's error has a receiver: both are received.
func (w *watcher) WatchBoth() (error, error) {
	errCh := make(chan error)
	w.watchErrors(errCh)
	w.watchErrors(errCh)
	return <-errCh, <-errCh
}

// ok: the loop sends once, at its midpoint, and the function receives that one.
func HalfWay(n int, work func(int)) {
	half := make(chan bool)
	go func() {
		for i := 0; i < n; i++ {
			work(i)
			if i == n/2 {
				half <- true
			}
		}
	}()
	<-half
}

type deriver struct{ attempts int }

// derive sends its token on ch once it has one (nomad's tryDerive, started with go).
func (d *deriver) derive(ctx context.Context, ch chan<- string) {
	for i := 0; i < d.attempts; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	ch <- "token"
}

// The goroutine is the callee itself: when the timeout wins, its send blocks forever.
func (d *deriver) Token(ctx context.Context) (string, error) {
	ctx2, cancel := context.WithTimeout(ctx, time.Millisecond)
	defer cancel()
	tokenCh := make(chan string) // want "abandoned-sender: Goroutine leaks if cancellation wins: the send in d.derive \\(line \\d+\\) blocks forever"
	go d.derive(ctx2, tokenCh)
	select {
	case token := <-tokenCh:
		return token, nil
	case <-ctx2.Done():
		return "", ctx2.Err()
	}
}

// The function closes the channel on its way out: when the timeout wins, the late send
// panics instead of blocking (nomad's LibcontainerExecutor.Exec).
func (d *deriver) TokenClosing(ctx context.Context) (string, error) {
	tokenCh := make(chan string) // want "abandoned-sender: Goroutine panics if the timeout wins: the send in d.derive \\(line \\d+\\) hits closed 'tokenCh'"
	defer close(tokenCh)
	go d.derive(ctx, tokenCh)
	select {
	case token := <-tokenCh:
		return token, nil
	case <-time.After(time.Millisecond):
		return "", context.DeadlineExceeded
	}
}

// deriveOrFail reports either an error or a token, then returns.
func (d *deriver) deriveOrFail(out chan<- string, errs chan<- error) {
	if d.attempts == 0 {
		errs <- errors.New("no attempts")
		return
	}
	out <- "token"
}

// ok: the error case is fed by the sender itself, which is done once it has sent the error.
func (d *deriver) TokenOrError() (string, error) {
	tokenCh := make(chan string)
	errCh := make(chan error, 1)
	go d.deriveOrFail(tokenCh, errCh)
	select {
	case token := <-tokenCh:
		return token, nil
	case err := <-errCh:
		return "", err
	}
}
