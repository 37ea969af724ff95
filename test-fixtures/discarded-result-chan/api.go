// Package discardedresultchan holds the callees (here) and the callers (other files).
package discardedresultchan

import (
	"context"
	"errors"
)

type Recognizer struct{ name string }

func (r *Recognizer) connect() error { return nil }

// StartAsync is the leaky callee; its own finding is unbuffered-result-chan.
func (r *Recognizer) StartAsync() chan error {
	outcome := make(chan error) // want "unbuffered-result-chan: .*'outcome'"
	go func() {
		outcome <- r.connect()
	}()
	return outcome
}

func Start() chan error {
	errc := make(chan error) // want "unbuffered-result-chan: .*'errc'"
	go func() {
		errc <- errors.New("boom")
	}()
	return errc
}

// Open returns the channel first among two results.
func Open(name string) (chan string, error) {
	lines := make(chan string) // want "unbuffered-result-chan: .*'lines'"
	go func() {
		lines <- name
	}()
	return lines, nil
}

func Async[T any](f func() T) chan T {
	ch := make(chan T) // want "unbuffered-result-chan: .*'ch'"
	go func() {
		ch <- f()
	}()
	return ch
}

// Safe gives up when the context ends: calling it and dropping the result is fine.
func Safe(ctx context.Context) chan int {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-ctx.Done():
		}
	}()
	return ch
}

type Timer struct{}

// StartAsync on another type has room for its result.
func (Timer) StartAsync() chan error {
	ch := make(chan error, 1)
	go func() { ch <- nil }()
	return ch
}
